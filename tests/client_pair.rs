//! The crate's own `Server` and `Client` wired together in memory: a message delivered byte
//! for byte, with and without a pretend STARTTLS hand-off, pipelined or not, DATA or BDAT.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::sync::Arc;
use std::time::Duration;

use smtp_wire::{
    Client, ClientConfig, ClientEvent, Domain, Envelope, ForwardPath, ReversePath, Server, ServerConfig, ServerEvent,
    TlsInfo, TlsPolicy,
};

const BODY: &[u8] = b"Subject: pair\r\n\r\n.leading dot\r\n..two\r\ncaf\xc3\xa9\r\n.\r\nend\r\n";

struct Outcome {
    delivered: Vec<u8>,
    client_events: Vec<String>,
    encrypted: bool,
}

/// Runs a session to its end; panics on livelock (no progress within the bound).
fn pair(server_cfg: ServerConfig, client_cfg: ClientConfig, split: usize) -> Outcome {
    let now = Duration::ZERO;
    let mut server = Some(Server::new(Arc::new(server_cfg), now));
    let mut client = Some(Client::new(Arc::new(client_cfg), now));
    let (mut c2s, mut s2c) = (Vec::new(), Vec::new());
    // What each side has read and not consumed yet.
    let (mut s_in, mut c_in) = (Vec::new(), Vec::new());
    let mut delivered = Vec::new();
    let mut client_events = Vec::new();
    let (mut server_tls, mut client_tls, mut submitted) = (false, false, false);
    let mut encrypted = false;
    for _round in 0..1000 {
        if let Some(c) = client.as_mut() {
            c.poll_transmit(&mut c2s);
        }
        if let Some(s) = server.as_mut() {
            s.poll_transmit(&mut s2c);
        }
        // The server reads at most `split` octets per round (a slow network).
        if let Some(s) = server.as_mut().filter(|s| !server_tls && s.closed().is_none()) {
            let n = c2s.len().min(split);
            s_in.extend(c2s.drain(..n));
            let buf = &mut s_in;
            loop {
                let h = s.handle_input(buf, now).unwrap();
                let consumed = h.consumed;
                let mut accept = false;
                match h.event {
                    Some(ServerEvent::Body(b)) => delivered.extend_from_slice(b),
                    Some(ServerEvent::StartTls) => server_tls = true,
                    Some(ServerEvent::Closed(_)) => {}
                    Some(_) => accept = s.is_pending(),
                    None => {}
                }
                let more = h.event.is_some() && !server_tls && s.closed().is_none();
                buf.drain(..consumed);
                if accept {
                    // LMTP answers a complete message once per accepted recipient.
                    for _ in 0..8 {
                        if !s.is_pending() {
                            break;
                        }
                        s.accept().unwrap();
                    }
                }
                if !more {
                    break;
                }
            }
            s.poll_transmit(&mut s2c);
        }
        if let Some(c) = client.as_mut() {
            let n = s2c.len().min(split);
            c_in.extend(s2c.drain(..n));
            let buf = &mut c_in;
            loop {
                let h = c.handle_input(buf, now).unwrap();
                let consumed = h.consumed;
                let event = h.event.as_ref().map(|e| match e {
                    ClientEvent::Ready(o) => format!("Ready {o}"),
                    ClientEvent::MessageAccepted { tls, .. } => format!("MsgOk {tls}"),
                    ClientEvent::StartTls => "StartTls".into(),
                    e => format!("{:?}", std::mem::discriminant(e)),
                });
                buf.drain(..consumed);
                let Some(event) = event else { break };
                if event.starts_with("Ready") && !submitted {
                    submitted = true;
                    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
                    let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
                    c.submit(Envelope::new(from, BODY).with_recipient(to)).unwrap();
                } else if event.starts_with("MsgOk") {
                    c.quit().unwrap();
                } else if event == "StartTls" {
                    client_tls = true;
                }
                client_events.push(event);
            }
        }
        // The pretend handshake: both sides at the boundary, nothing in flight.
        if server_tls && client_tls && c2s.is_empty() && s2c.is_empty() && s_in.is_empty() && c_in.is_empty() {
            let info = TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256").with_peer_verified(true);
            let s = server.take().unwrap();
            let mut sout = Vec::new();
            let mut s = s;
            s.poll_transmit(&mut sout);
            assert!(sout.is_empty());
            server = Some(s.into_tls().ok().unwrap().established(info.clone(), now));
            client = Some(client.take().unwrap().into_tls().ok().unwrap().established(info, now).unwrap());
            server_tls = false;
            client_tls = false;
            encrypted = true;
        }
        if client.as_ref().is_some_and(Client::is_closed) {
            return Outcome { delivered, client_events, encrypted };
        }
    }
    panic!("livelock: {client_events:?}");
}

fn check(server_cfg: impl Fn() -> ServerConfig, client_cfg: impl Fn() -> ClientConfig, tls: bool) {
    for split in [1, 2, 3, 7, 64, usize::MAX] {
        let o = pair(server_cfg(), client_cfg(), split);
        assert_eq!(o.delivered, BODY, "split {split}: {:?}", o.client_events);
        assert_eq!(o.encrypted, tls);
        let msg = o.client_events.iter().find(|e| e.starts_with("MsgOk")).unwrap();
        assert_eq!(msg.contains("encrypted"), tls, "{msg}");
    }
}

fn server(policy: TlsPolicy) -> ServerConfig {
    let mut c = ServerConfig::new(Domain::new("mx.test").unwrap());
    c.tls_policy = policy;
    c
}

fn client(policy: TlsPolicy) -> ClientConfig {
    ClientConfig::new(Domain::new("client.test").unwrap()).with_tls_policy(policy)
}

#[test]
fn plaintext_pipelined() {
    check(|| server(TlsPolicy::Disabled), || client(TlsPolicy::Opportunistic), false);
}

#[test]
fn plaintext_not_pipelined() {
    check(|| server(TlsPolicy::Disabled), || client(TlsPolicy::Disabled).with_pipelining(false), false);
}

#[test]
fn starttls_opportunistic() {
    check(|| server(TlsPolicy::Opportunistic), || client(TlsPolicy::Opportunistic), true);
}

#[test]
fn starttls_required_both_sides() {
    check(|| server(TlsPolicy::Required), || client(TlsPolicy::Required), true);
}

#[test]
fn bdat_over_tls() {
    check(
        || {
            let mut c = server(TlsPolicy::Opportunistic);
            c.chunking = true;
            c
        },
        || client(TlsPolicy::Required).with_chunking(true),
        true,
    );
}

#[test]
fn lmtp() {
    check(
        || {
            let mut c = server(TlsPolicy::Disabled);
            c.lmtp = true;
            c
        },
        || client(TlsPolicy::Opportunistic).with_lmtp(true),
        false,
    );
}
