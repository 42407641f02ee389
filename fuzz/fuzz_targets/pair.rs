//! The crate's `Client` and `Server` joined in memory (`tests/common/pair.rs`), with
//! fuzzer-chosen configurations, messages (whole or streamed in fuzzer-chosen pieces, text or
//! BINARYMIME), network read sizes and handshake result.
//!
//! Input: `[config: 1][split: 1][handshake: 1]` then up to four messages, each
//! `[flags: 1][recipients: 1][pieces: 1][piece lengths: pieces][length: 1][body: length]`.
//!
//! Checks: no panic, no livelock (a bounded drive); every message the client reports
//! accepted arrived at the server byte for byte (with the final CRLF DATA adds); every
//! message the client submitted is accepted when the handshake succeeds; a message is
//! refused before anything is written only for a body the encoder cannot frame; the TLS
//! outcome of each message result says what happened.
#![no_main]

#[path = "../../tests/common/pair.rs"]
mod pair;

use libfuzzer_sys::fuzz_target;
use pair::{Handshake, Pair, Sent};
use smtp_wire::{
    BodyType, ClientConfig, ClientError, Domain, Envelope, ForwardPath, Param, ReversePath, ServerConfig, TlsPolicy,
};
use smtp_wire_fuzz::Tape;

struct Msg {
    body: Vec<u8>,
    binary: bool,
}

fuzz_target!(|data: &[u8]| {
    let mut tape = Tape(data);
    let cfg = tape.next(0);
    let split = usize::from(tape.next(255)).max(1);
    let handshake = [Handshake::Verified, Handshake::Unverified, Handshake::Fails][usize::from(tape.next(0) % 3)];

    let policies = [TlsPolicy::Disabled, TlsPolicy::Opportunistic, TlsPolicy::Required];
    let client_policy = policies[usize::from(cfg % 3)];
    let server_policy = policies[usize::from((cfg / 3) % 3)];
    let mut server = ServerConfig::new(Domain::new("mx.fuzz").unwrap());
    server.tls_policy = server_policy;
    server.chunking = cfg & 0x10 != 0;
    server.binarymime = server.chunking;
    server.lmtp = cfg & 0x20 != 0;
    server.pipelining = cfg & 0x40 != 0;
    let client = ClientConfig::new(Domain::new("client.fuzz").unwrap())
        .with_tls_policy(client_policy)
        .with_chunking(cfg & 0x80 != 0)
        .with_lmtp(server.lmtp)
        .with_accept_unverified(true);

    let mut msgs = Vec::new();
    let mut p = Pair::new(server, client);
    p.split = split;
    p.handshake = handshake;
    while msgs.len() < 4 && !tape.0.is_empty() {
        let flags = tape.next(0);
        let rcpts = 1 + usize::from(tape.next(0) % 3);
        let n = usize::from(tape.next(0) % 8);
        let lens: Vec<usize> = (0..n).map(|_| usize::from(tape.next(0))).collect();
        let len = usize::from(tape.next(0)).min(tape.0.len());
        let body = tape.0[..len].to_vec();
        tape.0 = &tape.0[len..];
        let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
        let streamed = flags & 1 != 0;
        let binary = flags & 2 != 0;
        let mut env = if streamed { Envelope::streamed(from) } else { Envelope::new(from, body.clone()) };
        if binary {
            env = env.with_mail_param(Param::Body(BodyType::BinaryMime));
        }
        if flags & 4 != 0 {
            env = env.with_size(body.len() as u64);
        }
        for i in 0..rcpts {
            let to = format!("<r{i}@example.net>");
            env = env.with_recipient(ForwardPath::parse(to.as_bytes()).unwrap().into_owned());
        }
        let pieces = streamed.then(|| {
            let mut v = Vec::new();
            let mut rest = &body[..];
            for l in &lens {
                let l = (*l).min(rest.len());
                v.push(rest[..l].to_vec());
                rest = &rest[l..];
            }
            v.push(rest.to_vec());
            v
        });
        p.send_streamed(env, pieces.unwrap_or_default());
        msgs.push(Msg { body, binary });
    }
    p.drive_bounded(20_000);

    // The server accepts every message it receives whole: the accepted ones, in order.
    let accepted: Vec<&Msg> =
        msgs.iter().zip(&p.sent).filter(|(_, s)| matches!(s, Sent::Accepted(..))).map(|(m, _)| m).collect();
    assert_eq!(accepted.len(), p.received.len(), "{:?}\n{:?}", p.sent, p.client_events);
    for (m, got) in accepted.iter().zip(&p.received) {
        let mut want = m.body.clone();
        // BDAT carries the body as it is; DATA cannot carry a final partial line.
        let bdat = m.binary || cfg & 0x90 == 0x90;
        if !bdat && !want.is_empty() && !want.ends_with(b"\r\n") {
            want.extend_from_slice(b"\r\n");
        }
        assert_eq!(got.escape_ascii().to_string(), want.escape_ascii().to_string(), "{:?}", p.client_events);
    }
    let encrypted = p.outcome.as_ref().is_some_and(smtp_wire::TlsOutcome::is_encrypted);
    for s in &p.sent {
        match s {
            Sent::Accepted(_, o) | Sent::Refused(_, o) => assert_eq!(o.is_encrypted(), encrypted),
            Sent::NotSubmitted(ClientError::Body(_) | ClientError::ExtensionMissing(_))
            | Sent::Aborted(ClientError::Body(_) | ClientError::ExtensionMissing(_)) => {}
            Sent::NotSubmitted(e) | Sent::Aborted(e) => panic!("refused to submit: {e}"),
        }
    }
    if client_policy == TlsPolicy::Required && !encrypted {
        assert!(p.received.is_empty(), "mail delivered in plaintext under Required");
    }
});
