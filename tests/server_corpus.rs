//! Real client sessions (`tests/corpus/*.c2s`, recorded against Postfix) replayed against
//! the server with the default configuration (with TLS disabled for the `postfix-2524`
//! listener, which offered none), accepting every envelope and message: the
//! server must give the same reply classes (2xx/3xx/4xx/5xx) that Postfix gave
//! (`*.s2c`), up to and including the `220` to STARTTLS. Each replay runs fed whole and one
//! octet at a time, with the same output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;
mod server_harness;

use std::sync::Arc;
use std::time::Duration;

use smtp_wire::{Domain, Reply, Server, ServerConfig, Status, TlsPolicy};

/// The reply codes of a server stream.
fn codes(mut s: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    while let Ok(Status::Complete { value, consumed }) = Reply::parse_prefix(s) {
        out.push(value.code().as_u16());
        s = &s[consumed..];
    }
    out
}

/// Replays `c2s` in reads of `read` octets; returns the server's output up to STARTTLS.
fn replay(c2s: &[u8], read: usize, tls: bool) -> Vec<u8> {
    let mut config = ServerConfig::new(Domain::new("mx.postfix.test").unwrap());
    if !tls {
        config.tls_policy = TlsPolicy::Disabled;
    }
    let config = Arc::new(config);
    let mut server = Server::new(config, Duration::ZERO);
    let (mut buf, mut out) = (Vec::new(), Vec::new());
    'reads: for chunk in c2s.chunks(read) {
        buf.extend_from_slice(chunk);
        loop {
            let h = server.handle_input(&buf, Duration::ZERO).unwrap();
            let consumed = h.consumed;
            let event = h.event.as_ref().map(server_harness::describe);
            drop(h);
            buf.drain(..consumed);
            if server.is_pending() {
                server.accept().unwrap();
            }
            server.poll_transmit(&mut out);
            match event.as_deref() {
                Some("starttls") => break 'reads,
                Some(e) if e.starts_with("closed") => break 'reads,
                None if consumed == 0 => break,
                _ => {}
            }
        }
    }
    server.poll_transmit(&mut out);
    out
}

#[test]
fn corpus_sessions_get_postfix_reply_classes() {
    let clients = common::corpus("c2s");
    let servers = common::corpus("s2c");
    assert!(clients.len() >= 30, "corpus missing");
    let (mut compared, mut whole) = (0, 0);
    for ((cname, c2s), (sname, s2c)) in clients.iter().zip(&servers) {
        assert_eq!(cname.trim_end_matches(".c2s"), sname.trim_end_matches(".s2c"));
        let tls = !cname.starts_with("postfix-2524.");
        let ours = replay(c2s, c2s.len().max(1), tls);
        server_harness::assert_replies_valid(&ours);
        let classes = |codes: Vec<u16>| codes.iter().map(|c| c / 100).collect::<Vec<_>>();
        let (got, want) = (classes(codes(&ours)), classes(codes(s2c)));
        // Postfix's stream may go on past the recorded plaintext: a client that started TLS
        // on a server without it (openssl s_client) sent a ClientHello, which the recording
        // keeps out as ciphertext, and Postfix answered it with 500s. The server must answer
        // every recorded command as Postfix did.
        let n = got.len().min(want.len());
        assert_eq!(got, want[..n], "{cname}: reply classes differ\nours:\n{}", String::from_utf8_lossy(&ours));
        let quit = c2s.ends_with(b"QUIT\r\n") || c2s.ends_with(b"quit\r\n");
        if quit {
            assert_eq!(got.len(), want.len(), "{cname}: a session that ended with QUIT is replayed whole");
            whole += 1;
        }
        assert!(got.len() >= 2, "{cname}: no replies beyond the greeting");
        compared += 1;
        assert_eq!(replay(c2s, 1, tls), ours, "{cname}: one octet at a time differs");
    }
    assert_eq!(compared, clients.len());
    // The plaintext sessions (and those on the listener without TLS) end with QUIT.
    assert!(whole >= 15, "only {whole} sessions compared whole");
}

/// Feeds `input` whole, accepting every question; stops at STARTTLS or the end.
fn drive(server: &mut Server, input: &[u8], out: &mut Vec<u8>) -> bool {
    let mut buf = input;
    loop {
        let h = server.handle_input(buf, Duration::ZERO).unwrap();
        let consumed = h.consumed;
        let event = h.event.as_ref().map(server_harness::describe);
        buf = &buf[consumed..];
        if server.is_pending() {
            server.accept().unwrap();
        }
        server.poll_transmit(out);
        match event.as_deref() {
            Some("starttls") => return true,
            Some(e) if e.starts_with("closed") => return false,
            None if consumed == 0 => return false,
            _ => {}
        }
    }
}

/// Through a fake TLS hand-off: each client's STARTTLS session up to the `220`, then, as
/// what the client sends inside TLS, the same client's recorded plaintext session. After
/// the handshake the server is fresh (no greeting, STARTTLS no longer offered) and gives the
/// reply classes Postfix gave that plaintext session.
#[test]
fn corpus_sessions_continue_after_a_fake_tls_hand_off() {
    let clients = common::corpus("c2s");
    let servers = common::corpus("s2c");
    let find = |list: &[(String, Vec<u8>)], name: &str| list.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone());
    let mut done = 0;
    for (name, c2s) in &clients {
        let Some(client) = name.strip_prefix("postfix-2525.").and_then(|n| n.strip_suffix(".starttls.0.c2s")) else {
            continue;
        };
        let (Some(plain_c2s), Some(plain_s2c)) = (
            find(&clients, &format!("postfix-2525.{client}.plain.0.c2s")),
            find(&servers, &format!("postfix-2525.{client}.plain.0.s2c")),
        ) else {
            continue;
        };
        let config = Arc::new(ServerConfig::new(Domain::new("mx.postfix.test").unwrap()));
        let mut server = Server::new(config, Duration::ZERO);
        let mut out = Vec::new();
        assert!(drive(&mut server, c2s, &mut out), "{name}: no STARTTLS");
        let pending = server.into_tls().unwrap();
        let mut server =
            pending.established(smtp_wire::TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256"), Duration::ZERO);
        let mut inside = Vec::new();
        drive(&mut server, &plain_c2s, &mut inside);
        server_harness::assert_replies_valid(&inside);
        let text = String::from_utf8_lossy(&inside);
        assert!(!text.contains("STARTTLS"), "{name}: STARTTLS offered inside TLS");
        let classes = |codes: Vec<u16>| codes.iter().map(|c| c / 100).collect::<Vec<_>>();
        let want = classes(codes(&plain_s2c));
        assert_eq!(classes(codes(&inside)), want[1..], "{name}: inside TLS\n{text}");
        assert!(server.tls_outcome().is_encrypted());
        done += 1;
    }
    assert!(done >= 8, "only {done} clients replayed through TLS");
}
