//! The client state machine driven by a fuzzer: server octets in fuzzer-chosen reads, with
//! fuzzer-chosen configuration, messages, TLS results and time.
//!
//! Input: `[config: 1][n: 1][actions: n][m: 1][reads: m][server stream]`. `actions` picks
//! what the application does at each decision (submit which message or quit; the TLS result),
//! `reads` the read sizes and clock steps; when either runs out, defaults are used. After a
//! handshake the rest of the server stream is read as if it came over TLS.
//!
//! Checks: no panic; unconsumed input and each write stay bounded; every octet written parses
//! as commands (`Command::parse_prefix`) or is the body framing of the message submitted (the
//! dot-stuffed body after `DATA`, the chunk after `BDAT n LAST`); under `Required` no MAIL,
//! RCPT or body octet is written before the handshake; no octet handed in before
//! `established` is processed after it (the buffer is empty when the upgrade happens); the
//! TLS outcome of every message result matches what happened.
#![no_main]

use std::sync::Arc;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use smtp_wire::framing::{DataEncoder, EncoderConfig};
use smtp_wire::{
    Client, ClientConfig, ClientEvent, ClientTlsPending, Command, CommandBody, Credentials, Domain, Envelope,
    ForwardPath, ReversePath, Status, TlsInfo, TlsPolicy,
};
use smtp_wire_fuzz::Tape;

const BODIES: [&[u8]; 4] = [b"Subject: a\r\n\r\nhello\r\n", b".\r\n..\r\nRSET\r\n.x\r\n", b"caf\xc3\xa9\r\n", b""];

/// Checks the client's output: commands, or the framing of the body just submitted.
struct Wire {
    /// The stuffed body (with its final dot) that may follow a DATA, if one was written.
    after_data: Option<Vec<u8>>,
    /// The payload of the BDAT chunks of the current message so far.
    chunks: Vec<u8>,
    body: Vec<u8>,
    encrypted: bool,
    required: bool,
    /// Credentials configured (AUTH only over TLS).
    auth: bool,
}

impl Wire {
    fn check(&mut self, mut out: &[u8]) {
        while !out.is_empty() {
            if let Some(stuffed) = self.after_data.take() {
                if let Some(rest) = out.strip_prefix(&stuffed[..]) {
                    assert!(self.encrypted || !self.required, "body written in plaintext under Required");
                    out = rest;
                    continue;
                }
                if let Some(rest) = out.strip_prefix(&b".\r\n"[..]) {
                    out = rest; // the lone dot of RFC 2920 §3.1
                    continue;
                }
            }
            // AUTH LOGIN's answers (the username and the password, as base64 lines), the
            // generic mechanism's answer ("resp"), its cancel, XOAUTH2's empty answer.
            let answers: [&[u8]; 5] = [b"dXNlcg==\r\n", b"cGFzcw==\r\n", b"cmVzcA==\r\n", b"*\r\n", b"\r\n"];
            if let Some(rest) = answers.iter().find_map(|a| out.strip_prefix(*a)) {
                assert!(self.auth && self.encrypted, "credentials written in plaintext");
                out = rest;
                continue;
            }
            let Ok(Status::Complete { value, consumed }) = Command::parse_prefix(out) else {
                panic!("client wrote something that is not a command: {:?}", String::from_utf8_lossy(out));
            };
            match value.body() {
                CommandBody::Mail { .. } | CommandBody::Rcpt { .. } => {
                    assert!(self.encrypted || !self.required, "envelope written in plaintext under Required");
                }
                CommandBody::Auth { .. } => {
                    assert!(self.auth && self.encrypted, "AUTH written in plaintext");
                }
                CommandBody::Data => {
                    let mut stuffed = Vec::new();
                    let mut enc = DataEncoder::new(EncoderConfig::STRICT);
                    enc.encode(&self.body, &mut stuffed).unwrap();
                    enc.finish(&mut stuffed).unwrap();
                    self.after_data = Some(stuffed);
                }
                CommandBody::Bdat { size, last, .. } => {
                    assert!(self.encrypted || !self.required, "BDAT written in plaintext under Required");
                    let n = usize::try_from(*size).unwrap();
                    let rest = &out[consumed..];
                    assert!(rest.len() >= n, "BDAT chunk cut short");
                    self.chunks.extend_from_slice(&rest[..n]);
                    if *last {
                        assert_eq!(std::mem::take(&mut self.chunks), self.body, "the chunks are not the body");
                    } else {
                        assert!(self.body.starts_with(&self.chunks), "a chunk that is not the body's");
                    }
                    out = &rest[n..];
                    continue;
                }
                _ => {}
            }
            out = &out[consumed..];
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut tape = Tape(data);
    let cfg_byte = tape.next(0);
    let n = usize::from(tape.next(0));
    let actions_len = n.min(tape.0.len());
    let mut actions = Tape(&tape.0[..actions_len]);
    tape.0 = &tape.0[actions_len..];
    let m = usize::from(tape.next(0));
    let reads_len = m.min(tape.0.len());
    let mut reads = Tape(&tape.0[..reads_len]);
    let mut stream = &tape.0[reads_len..];

    let policy = [TlsPolicy::Disabled, TlsPolicy::Opportunistic, TlsPolicy::Required, TlsPolicy::Required]
        [usize::from(cfg_byte & 3)];
    let auth = cfg_byte & 128 != 0;
    let mut config = ClientConfig::new(Domain::new("client.fuzz").unwrap());
    if auth {
        let mechanism = smtp_wire::Mechanism::new("X-STEP").unwrap();
        config = config.with_credentials(match m % 3 {
            0 => Credentials::new("user", "pass"),
            1 => Credentials::xoauth2("user", "token"),
            _ => Credentials::sasl(mechanism, (m & 4 != 0).then_some(&b"init"[..])),
        });
    }
    let config = Arc::new(
        config
            .with_tls_policy(policy)
            .with_pipelining(cfg_byte & 4 == 0)
            .with_chunking(cfg_byte & 8 != 0)
            .with_accept_unverified(cfg_byte & 16 != 0)
            .with_lmtp(cfg_byte & 64 != 0),
    );
    let implicit = cfg_byte & 32 != 0;
    let mut now = Duration::ZERO;
    let info = |a: u8| TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256").with_peer_verified(a & 1 == 0);
    let mut wire = Wire {
        after_data: None,
        chunks: Vec::new(),
        body: Vec::new(),
        encrypted: false,
        required: policy == TlsPolicy::Required,
        auth,
    };
    let mut client = if implicit {
        let a = actions.next(0);
        match ClientTlsPending::implicit(config.clone()).established(info(a), now) {
            Ok(c) => {
                wire.encrypted = true;
                c
            }
            Err(_) => return,
        }
    } else {
        Client::new(config.clone(), now)
    };
    let mut input: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    // The pieces of a streamed body not yet handed in, and whether they were made.
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut fed = false;
    let mut handshakes = 0;
    for _ in 0..10_000 {
        out.clear();
        client.poll_transmit(&mut out);
        assert!(out.len() <= 4096, "a write of {} octets", out.len());
        wire.check(&out);
        if client.is_closed() {
            return;
        }
        let r = reads.next(255);
        if r == 0 {
            // A clock step past any deadline.
            now += Duration::from_secs(700);
            if client.handle_timeout(now).is_err() {
                return;
            }
            continue;
        }
        let take = usize::from(r).min(stream.len());
        if take == 0 && input.is_empty() {
            let _ = client.peer_closed();
            return;
        }
        input.extend_from_slice(&stream[..take]);
        stream = &stream[take..];
        assert!(input.len() <= 70_000, "unconsumed input grows: {}", input.len());
        let mut starttls = false;
        loop {
            let h = match client.handle_input(&input, now) {
                Ok(h) => h,
                Err(_) => {
                    out.clear();
                    client.poll_transmit(&mut out);
                    wire.check(&out);
                    return;
                }
            };
            assert!(h.consumed <= input.len());
            // Checked before the application acts, so the body matches its message.
            out.clear();
            client.poll_transmit(&mut out);
            assert!(out.len() <= 4096, "a write of {} octets", out.len());
            wire.check(&out);
            let Some(event) = h.event else {
                input.drain(..h.consumed);
                break;
            };
            match &event {
                ClientEvent::StartTls => starttls = true,
                ClientEvent::AuthChallenge(_) => {
                    let a = actions.next(0);
                    let _ = if a & 1 == 0 { client.auth_respond(b"resp") } else { client.auth_cancel() };
                }
                ClientEvent::SendBody => {
                    // The body in two pieces cut where the action says, fed while the client
                    // takes them (one per SendBody when BDAT chunks go in lock step).
                    if pieces.is_empty() && !fed {
                        let cut = usize::from(actions.next(0)).min(wire.body.len());
                        pieces.push(wire.body[..cut].to_vec());
                        pieces.push(wire.body[cut..].to_vec());
                        fed = true;
                    }
                    while client.wants_body() && !pieces.is_empty() {
                        let piece = pieces.remove(0);
                        if client.body_chunk(&piece, pieces.is_empty()).is_err() {
                            out.clear();
                            client.poll_transmit(&mut out);
                            wire.check(&out);
                            return;
                        }
                    }
                }
                _ => {}
            }
            let ready = matches!(
                event,
                ClientEvent::Ready(_) | ClientEvent::MessageAccepted { .. } | ClientEvent::MessageRefused { .. }
            );
            input.drain(..h.consumed);
            if ready && client.is_ready() {
                let a = actions.next(0);
                if a & 0x80 != 0 {
                    let _ = client.quit();
                } else {
                    let body = BODIES[usize::from(a & 3)];
                    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
                    let mut env = if a & 0x40 != 0 { Envelope::streamed(from) } else { Envelope::new(from, body) };
                    for i in 0..=((a >> 2) & 3) {
                        let to = format!("<r{i}@example.net>");
                        env = env.with_recipient(ForwardPath::parse(to.as_bytes()).unwrap().into_owned());
                    }
                    if client.submit(env).is_ok() {
                        wire.body = body.to_vec();
                        wire.chunks.clear();
                        pieces.clear();
                        fed = false;
                    }
                }
            }
        }
        if starttls && !client.is_closed() {
            out.clear();
            client.poll_transmit(&mut out);
            wire.check(&out);
            // No octet read before the handshake may be processed after it.
            assert!(input.is_empty(), "octets kept across the boundary");
            let pending = match client.into_tls() {
                Ok(p) => p,
                Err(_) => panic!("into_tls refused after StartTls"),
            };
            handshakes += 1;
            let a = actions.next(0);
            if a & 2 != 0 {
                let _ = pending.failed();
                return;
            }
            match pending.established(info(a), now) {
                Ok(c) => {
                    client = c;
                    wire.encrypted = true;
                }
                Err(_) => return,
            }
            assert!(handshakes <= 1 || implicit);
        }
    }
});
