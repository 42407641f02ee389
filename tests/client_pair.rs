//! The crate's own `Server` and `Client` wired together in memory (`common::pair`): messages
//! delivered byte for byte, with and without STARTTLS or implicit TLS, pipelined or not, DATA
//! or BDAT, LMTP, AUTH; and a man in the middle on the plaintext hop.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::pair::{Dir, Handshake, Pair, Sent};
use smtp_wire::{
    AuthMechanisms, ClientConfig, ClientError, Credentials, Domain, Envelope, ForwardPath, ReversePath, ServerConfig,
    TlsPolicy,
};

const BODY: &[u8] = b"Subject: pair\r\n\r\n.leading dot\r\n..two\r\ncaf\xc3\xa9\r\n.\r\nend\r\n";

fn envelope(body: &[u8], rcpts: usize) -> Envelope {
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    let mut env = Envelope::new(from, body);
    for i in 0..rcpts {
        env = env.with_recipient(ForwardPath::parse(format!("<r{i}@example.net>").as_bytes()).unwrap().into_owned());
    }
    env
}

fn server(policy: TlsPolicy) -> ServerConfig {
    let mut c = ServerConfig::new(Domain::new("mx.test").unwrap());
    c.tls_policy = policy;
    c
}

fn client(policy: TlsPolicy) -> ClientConfig {
    ClientConfig::new(Domain::new("client.test").unwrap()).with_tls_policy(policy)
}

/// Delivers three messages at every split size; checks bytes, outcomes and a clean end.
fn check(server_cfg: impl Fn() -> ServerConfig, client_cfg: impl Fn() -> ClientConfig, tls: bool) {
    let bodies: [&[u8]; 3] = [BODY, b"", b"x\r\n"];
    for split in [1, 2, 3, 7, 64, usize::MAX] {
        let mut p = Pair::new(server_cfg(), client_cfg());
        p.split = split;
        for (i, body) in bodies.iter().enumerate() {
            p.send(envelope(body, i + 1));
        }
        p.drive();
        assert_eq!(p.received, bodies, "split {split}: {:?}", p.client_events);
        assert_eq!(p.sent.len(), 3);
        for sent in &p.sent {
            let Sent::Accepted(250, outcome) = sent else { panic!("{sent:?}") };
            assert_eq!(outcome.is_encrypted(), tls, "{outcome}");
        }
        assert_eq!(p.client_error, None, "split {split}");
        assert_eq!(p.server_close, Some(smtp_wire::Close::Quit));
    }
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

#[test]
fn auth_plain_and_login_over_tls() {
    for login_only in [false, true] {
        let mut p = Pair::new(
            {
                let mut c = server(TlsPolicy::Opportunistic);
                let list = if login_only { "LOGIN" } else { "PLAIN LOGIN" };
                c.auth_mechanisms = Some(AuthMechanisms::new(list).unwrap().into_owned());
                c
            },
            client(TlsPolicy::Required).with_credentials(Credentials::new("user", "pass")),
        );
        p.send(envelope(BODY, 1));
        p.drive();
        assert_eq!(p.received, [BODY], "{:?}", p.client_events);
        assert!(p.server_events.iter().any(|e| e == "Auth"));
        assert!(p.server_events.iter().filter(|e| *e == "Auth").count() == 1);
    }
}

#[test]
fn implicit_tls() {
    let mut p = Pair::implicit(server(TlsPolicy::Disabled), client(TlsPolicy::Required));
    p.send(envelope(BODY, 2));
    p.drive();
    assert_eq!(p.received, [BODY]);
    let outcome = p.outcome.clone().unwrap();
    assert!(outcome.is_encrypted());
    assert!(outcome.to_string().contains("implicit"), "{outcome}");
}

/// A man in the middle removes `STARTTLS` from the EHLO reply (rewriting it to a harmless
/// keyword of the same length).
fn strip_starttls() -> common::pair::Mitm {
    Box::new(|dir, encrypted, octets: &mut Vec<u8>| {
        if dir == Dir::ToClient && !encrypted {
            if let Some(at) = octets.windows(8).position(|w| w == b"STARTTLS") {
                octets[at..at + 8].copy_from_slice(b"XSTRIPPD");
            }
        }
    })
}

#[test]
fn stripped_offer_is_visible_or_fatal() {
    // Opportunistic: delivered, and the outcome says why it was plaintext.
    let mut p = Pair::new(server(TlsPolicy::Opportunistic), client(TlsPolicy::Opportunistic));
    p.mitm = Some(strip_starttls());
    p.send(envelope(BODY, 1));
    p.drive();
    assert_eq!(p.received, [BODY]);
    let Sent::Accepted(_, outcome) = &p.sent[0] else { panic!() };
    assert_eq!(outcome.to_string(), "plaintext (STARTTLS not offered)");

    // Required: nothing of the message is written.
    let mut p = Pair::new(server(TlsPolicy::Opportunistic), client(TlsPolicy::Required));
    p.mitm = Some(strip_starttls());
    p.send(envelope(BODY, 1));
    p.drive();
    assert_eq!(p.client_error, Some(ClientError::TlsNotOffered));
    assert!(p.received.is_empty());
    assert!(!p.server_events.iter().any(|e| e == "Mail"), "{:?}", p.server_events);
}

#[test]
fn injected_reply_after_220_aborts() {
    let mut p = Pair::new(server(TlsPolicy::Opportunistic), client(TlsPolicy::Opportunistic));
    p.mitm = Some(Box::new(|dir, encrypted, octets: &mut Vec<u8>| {
        if dir == Dir::ToClient && !encrypted && octets.starts_with(b"220 2.0.0") {
            octets.extend_from_slice(b"250-mx.test\r\n250 AUTH PLAIN\r\n");
        }
    }));
    p.send(envelope(BODY, 1));
    p.drive();
    assert_eq!(p.client_error, Some(ClientError::ReplyInjection), "{:?}", p.client_events);
    assert!(p.received.is_empty());
}

#[test]
fn injected_command_after_starttls_is_refused_by_the_server() {
    let mut p = Pair::new(server(TlsPolicy::Opportunistic), client(TlsPolicy::Opportunistic));
    p.mitm = Some(Box::new(|dir, encrypted, octets: &mut Vec<u8>| {
        if dir == Dir::ToServer && !encrypted && octets == b"STARTTLS\r\n" {
            octets.extend_from_slice(b"MAIL FROM:<evil@example.org>\r\n");
        }
    }));
    p.send(envelope(BODY, 1));
    p.drive();
    assert!(
        matches!(p.server_close, Some(smtp_wire::Close::Violation(smtp_wire::Violation::StartTlsInjection { .. }))),
        "{:?}",
        p.server_close
    );
    assert!(p.received.is_empty());
}

#[test]
fn failed_or_unverified_handshake() {
    for (policy, handshake, error) in [
        (TlsPolicy::Opportunistic, Handshake::Fails, None),
        (TlsPolicy::Required, Handshake::Fails, None),
        (TlsPolicy::Required, Handshake::Unverified, Some(ClientError::PeerUnverified)),
    ] {
        let mut p = Pair::new(server(TlsPolicy::Opportunistic), client(policy));
        p.handshake = handshake;
        p.send(envelope(BODY, 1));
        p.drive();
        assert_eq!(p.client_error, error);
        assert!(p.received.is_empty());
        assert!(!p.server_events.iter().any(|e| e == "Mail"));
    }
    // Opportunistic takes an unverified peer: encrypted, and the outcome says unverified.
    let mut p = Pair::new(server(TlsPolicy::Opportunistic), client(TlsPolicy::Opportunistic));
    p.handshake = Handshake::Unverified;
    p.send(envelope(BODY, 1));
    p.drive();
    assert_eq!(p.received, [BODY]);
    let Sent::Accepted(_, outcome) = &p.sent[0] else { panic!() };
    assert!(outcome.is_encrypted() && outcome.to_string().contains("unverified"), "{outcome}");
}

#[test]
fn dropped_connection_mid_body_delivers_nothing() {
    let mut p = Pair::new(server(TlsPolicy::Disabled), client(TlsPolicy::Opportunistic));
    let mut seen = 0usize;
    p.mitm = Some(Box::new(move |dir, _, octets: &mut Vec<u8>| {
        if dir == Dir::ToServer {
            seen += 1;
            if seen == 3 {
                // The body write: cut it short; the connection then goes quiet.
                octets.truncate(octets.len() / 2);
            }
        }
    }));
    p.send(envelope(BODY, 1));
    p.drive();
    assert!(p.received.is_empty(), "{:?}", p.server_events);
    assert!(p.client_error.is_some());
}

#[test]
fn streamed_bodies_by_data_and_bdat() {
    let pieces: Vec<Vec<u8>> =
        vec![b"Subject: s\r\n\r\n.a".to_vec(), b"\r\n.".to_vec(), b"b\r\n".to_vec(), b"".to_vec()];
    let whole: Vec<u8> = pieces.concat();
    for (chunking, lmtp) in [(false, false), (true, false), (true, true), (false, true)] {
        for split in [1, 5, usize::MAX] {
            let mut s = server(TlsPolicy::Disabled);
            s.chunking = true;
            s.lmtp = lmtp;
            let mut p = Pair::new(s, client(TlsPolicy::Opportunistic).with_chunking(chunking).with_lmtp(lmtp));
            p.split = split;
            let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
            let env = envelope(b"", 2);
            let mut streamed = Envelope::streamed(from).with_size(whole.len() as u64);
            for to in env.recipients() {
                streamed = streamed.with_recipient(to.clone());
            }
            p.send_streamed(streamed, pieces.clone());
            p.send(envelope(BODY, 1));
            p.drive();
            assert_eq!(p.received, [&whole[..], BODY], "chunking {chunking} lmtp {lmtp}: {:?}", p.client_events);
            assert!(matches!(p.sent[..], [Sent::Accepted(250, _), Sent::Accepted(250, _)]), "{:?}", p.sent);
        }
    }
}

#[test]
fn binarymime_goes_by_bdat_unchanged() {
    let body: &[u8] = b"\x00\xffbare\nLF and bare\rCR\r\n.\r\n";
    let mut s = server(TlsPolicy::Disabled);
    s.chunking = true;
    s.binarymime = true;
    // Not configured for chunking: BINARYMIME needs BDAT all the same (RFC 3030 §3).
    let mut p = Pair::new(s, client(TlsPolicy::Opportunistic));
    p.send(envelope(body, 1).with_mail_param(smtp_wire::Param::Body(smtp_wire::BodyType::BinaryMime)));
    p.drive();
    assert_eq!(p.received, [body], "{:?}", p.client_events);
}

/// LMTP with CHUNKING: a streamed body whose first chunk the server refuses. Chunks go in lock
/// step under LMTP, so no `BDAT … LAST` is in flight behind the refusal and the next message
/// starts clean (found by review: with the LAST pipelined, its per-recipient replies were
/// taken for the next message's).
#[test]
fn lmtp_bdat_refused_chunk_then_next_message() {
    for split in [1, 7, usize::MAX] {
        let mut s = server(TlsPolicy::Disabled);
        s.lmtp = true;
        s.chunking = true;
        s.max_message_size = Some(10);
        let mut p = Pair::new(s, client(TlsPolicy::Opportunistic).with_chunking(true).with_lmtp(true));
        p.split = split;
        let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
        let mut streamed = Envelope::streamed(from);
        for to in envelope(b"", 2).recipients() {
            streamed = streamed.with_recipient(to.clone());
        }
        p.send_streamed(streamed, vec![b"0123456789abcdef\r\n".to_vec(), b"end\r\n".to_vec()]);
        p.send(envelope(b"x\r\n", 2));
        p.drive();
        assert!(
            matches!(p.sent[..], [Sent::Refused(552, _), Sent::Accepted(250, _)]),
            "{:?}\n{:?}",
            p.sent,
            p.client_events
        );
        assert_eq!(p.received, [b"x\r\n"]);
        assert_eq!(p.client_error, None);
    }
}

/// A server that turns the session away (RFC 5321 §3.1) and the crate's client: the client
/// reports the 554 greeting as an error, sends QUIT as §3.1 asks of it, and the server ends
/// the session on that QUIT; nothing is delivered. At every split size.
#[test]
fn turned_away_at_the_greeting() {
    for split in [1, 2, 7, usize::MAX] {
        let mut p = Pair::turned_away(server(TlsPolicy::Opportunistic), client(TlsPolicy::Opportunistic), "Go away");
        p.split = split;
        p.send(envelope(BODY, 1));
        p.drive();
        assert!(p.received.is_empty(), "split {split}");
        assert!(
            matches!(p.client_error, Some(ClientError::Unexpected { code, .. }) if code.as_u16() == 554),
            "split {split}: {:?}",
            p.client_error
        );
        assert_eq!(p.server_close, Some(smtp_wire::Close::Quit), "split {split}: {:?}", p.client_events);
        // The server asked nothing: its only event is the end of the session.
        assert_eq!(p.server_events, ["Closed"], "split {split}");
    }
}
