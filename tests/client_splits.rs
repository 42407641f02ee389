//! proptest: any split of the server's octets gives the client the same events, output and
//! error as one read (a `StartTls` reported just before a `ReplyInjection` aside: fed whole,
//! the injection is refused at once).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use smtp_wire::{Client, ClientConfig, ClientEvent, Domain, Envelope, ForwardPath, ReversePath, TlsPolicy};

const REPLIES: &[&str] = &[
    "220 mx.test ESMTP\r\n",
    "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 100\r\n250 STARTTLS\r\n",
    "250-mx.test\r\n250 CHUNKING\r\n",
    "250 ok\r\n",
    "550 no\r\n",
    "354 go\r\n",
    "220 ready\r\n",
    "454 no TLS\r\n",
    "502 no\r\n",
    "421 bye\r\n",
    "221 bye\r\n",
    "250-partial",
    "\r\n",
];

fn run(policy: u8, pipelining: bool, stream: &[u8], cuts: &[usize]) -> Vec<String> {
    let policy = [TlsPolicy::Disabled, TlsPolicy::Opportunistic, TlsPolicy::Required][usize::from(policy % 3)];
    let cfg =
        ClientConfig::new(Domain::new("client.test").unwrap()).with_tls_policy(policy).with_pipelining(pipelining);
    let mut c = Client::new(Arc::new(cfg), Duration::ZERO);
    let mut trace = Vec::new();
    let mut out = Vec::new();
    let mut buf = Vec::new();
    let mut at = 0;
    let mut points: Vec<usize> = cuts.iter().map(|&k| k % (stream.len() + 1)).collect();
    points.push(stream.len());
    points.sort_unstable();
    'reads: for p in points {
        buf.extend_from_slice(&stream[at..p]);
        at = p;
        loop {
            match c.handle_input(&buf, Duration::ZERO) {
                Ok(h) => {
                    let ev = h.event.as_ref().map(|e| format!("{e:?}"));
                    let ready = matches!(h.event, Some(ClientEvent::Ready(_)));
                    buf.drain(..h.consumed);
                    c.poll_transmit(&mut out);
                    let Some(ev) = ev else { break };
                    trace.push(ev);
                    if ready {
                        let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
                        let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
                        if let Err(e) = c.submit(Envelope::new(from, &b"hi\r\n"[..]).with_recipient(to)) {
                            trace.push(format!("submit {e:?}"));
                        }
                        c.poll_transmit(&mut out);
                    }
                }
                Err(e) => {
                    if trace.last().is_some_and(|l| l == "StartTls") && e == smtp_wire::ClientError::ReplyInjection {
                        trace.pop();
                    }
                    trace.push(format!("ERR {e:?}"));
                    c.poll_transmit(&mut out);
                    break 'reads;
                }
            }
        }
    }
    trace.push(String::from_utf8_lossy(&out).into_owned());
    trace
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn any_split_same_result(
        policy in 0u8..3,
        pipelining: bool,
        picks in proptest::collection::vec(0usize..REPLIES.len(), 0..12),
        cuts in proptest::collection::vec(any::<usize>(), 0..6),
    ) {
        let stream: Vec<u8> = picks.iter().flat_map(|&i| REPLIES[i].bytes()).collect();
        let whole = run(policy, pipelining, &stream, &[]);
        let split = run(policy, pipelining, &stream, &cuts);
        prop_assert_eq!(whole, split);
    }
}

#[test]
fn every_single_cut_of_a_session() {
    let stream = b"220 mx\r\n250-mx\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n354 go\r\n250 ok\r\n";
    let whole = run(0, true, stream, &[]);
    assert!(whole.iter().any(|e| e.starts_with("MessageAccepted")), "{whole:?}");
    for k in 0..=stream.len() {
        assert_eq!(run(0, true, stream, &[k]), whole, "cut at {k}");
    }
}
