//! Server rules that a transcript cannot show: when replies are released (RFC 2920),
//! caller-misuse errors, the TLS boundary as a type, determinism, redaction, bounded memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use smtp_wire::{
    AuthMechanisms, Close, Domain, Lost, PlaintextReason, Reply, Server, ServerConfig, ServerError, ServerEvent,
    TlsInfo, TlsOutcome, TlsPending, TlsPolicy, Transport, sasl,
};

const T0: Duration = Duration::ZERO;

fn config() -> ServerConfig {
    ServerConfig::new(Domain::new("mx.test").unwrap())
}

fn server(c: ServerConfig) -> Server {
    let mut s = Server::new(Arc::new(c), T0);
    let mut greeting = Vec::new();
    assert!(s.poll_transmit(&mut greeting));
    assert_eq!(greeting, b"220 mx.test ESMTP\r\n");
    s
}

/// Feeds `input` whole, accepting every question; returns the unconsumed rest.
fn feed<'a>(s: &mut Server, mut input: &'a [u8]) -> &'a [u8] {
    loop {
        let h = s.handle_input(input, T0).unwrap();
        let (n, none) = (h.consumed, h.event.is_none());
        input = &input[n..];
        if s.is_pending() {
            s.accept().unwrap();
        }
        if none && n == 0 {
            return input;
        }
    }
}

fn out(s: &mut Server) -> String {
    let mut v = Vec::new();
    s.poll_transmit(&mut v);
    String::from_utf8(v).unwrap()
}

fn hash(s: &Server) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

#[test]
fn pipelined_replies_wait_for_the_end_of_the_group() {
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    assert!(out(&mut s).starts_with("250-mx.test\r\n"));
    let input = b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n";
    let h = s.handle_input(input, T0).unwrap();
    assert!(matches!(h.event, Some(ServerEvent::Mail { .. })));
    let n = h.consumed;
    s.accept().unwrap();
    assert_eq!(out(&mut s), "", "MAIL's reply must wait: the group goes on");
    let h = s.handle_input(&input[n..], T0).unwrap();
    assert!(matches!(h.event, Some(ServerEvent::Rcpt { .. })));
    let m = h.consumed;
    s.accept().unwrap();
    assert_eq!(out(&mut s), "");
    let h = s.handle_input(&input[n + m..], T0).unwrap();
    assert_eq!((h.consumed, h.event), (6, None));
    // DATA ends the group (RFC 2920 §3.1): all three replies at once, in order.
    assert_eq!(out(&mut s), "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n");
}

#[test]
fn replies_go_out_when_the_input_runs_out() {
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    out(&mut s);
    let h = s.handle_input(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@exa", T0).unwrap();
    let n = h.consumed;
    s.accept().unwrap();
    assert_eq!(out(&mut s), "");
    // The rest is not a whole command: the server flushes (RFC 2920 §3.2).
    let h = s.handle_input(&b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@exa"[n..], T0).unwrap();
    assert_eq!((h.consumed, h.event), (0, None));
    assert_eq!(out(&mut s), "250 2.1.0 Ok\r\n");
}

#[test]
fn a_pending_question_refuses_input_without_change() {
    let mut s = server(config());
    let h = s.handle_input(b"EHLO c.example\r\nNOOP\r\n", T0).unwrap();
    assert_eq!(h.consumed, 16);
    let before = s.clone();
    assert_eq!(s.handle_input(b"NOOP\r\n", T0), Err(ServerError::DecisionPending));
    assert_eq!(s, before);
    assert_eq!(s.poll_timeout(), None, "no timer while the application decides");
    s.accept().unwrap();
    assert_eq!(s.poll_timeout(), Some(Duration::from_secs(300)));
}

#[test]
fn answers_must_fit_the_question() {
    let mut c = config();
    c.auth_mechanisms = Some(AuthMechanisms::new("PLAIN").unwrap().into_owned());
    c.auth_plaintext = true;
    let mut s = server(c);
    assert_eq!(s.accept(), Err(ServerError::NoQuestion));
    let ok = Reply::parse(b"250 2.0.0 fine\r\n").unwrap();
    let no = Reply::parse(b"550 5.7.1 no\r\n").unwrap();
    assert_eq!(s.reject(&no), Err(ServerError::NoQuestion));
    let _ = s.handle_input(b"EHLO c.example\r\n", T0).unwrap();
    assert_eq!(s.reject(&ok), Err(ServerError::WrongReplyClass));
    assert_eq!(s.respond(&ok), Err(ServerError::NoQuestion), "EHLO's positive reply is the server's");
    assert_eq!(s.challenge(b"x"), Err(ServerError::NoQuestion));
    s.accept().unwrap();
    let _ = s.handle_input(b"AUTH PLAIN\r\n", T0).unwrap();
    assert_eq!(s.respond(&ok), Err(ServerError::NoQuestion));
    assert_eq!(s.challenge(&vec![0; 9300]), Err(ServerError::ChallengeTooLong));
    s.challenge(b"").unwrap();
    assert!(out(&mut s).ends_with("334 \r\n"));
    let _ = s.handle_input(b"AGEAYg==\r\n", T0).unwrap();
    assert_eq!(s.respond(&no), Err(ServerError::NoQuestion));
    s.reject(&Reply::parse(b"535 5.7.8 Authentication credentials invalid\r\n").unwrap()).unwrap();
    assert!(!s.is_authenticated());
}

#[test]
fn the_tls_boundary_is_a_type() {
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    // Not before STARTTLS was accepted.
    let mut s = s.into_tls().unwrap_err();
    let h = s.handle_input(b"STARTTLS\r\n", T0).unwrap();
    assert_eq!(h.event, Some(ServerEvent::StartTls));
    assert_eq!(s.handle_input(b"", T0), Err(ServerError::TlsUpgradePending));
    // Not before the 220 was transmitted.
    let mut s = s.into_tls().unwrap_err();
    assert!(out(&mut s).ends_with("220 2.0.0 Ready to start TLS\r\n"));
    let pending: TlsPending = s.into_tls().unwrap();
    assert_eq!(pending.transport(), Transport::StartTls);
    let info = TlsInfo::new("TLSv1.3", "TLS_AES_256_GCM_SHA384").with_peer_verified(true);
    let fresh = pending.clone().established(info.clone(), T0);
    // Everything from before is gone (RFC 3207 §4.2): the same as a server built from the
    // configuration in TLS, with no greeting (the client speaks first after STARTTLS).
    assert!(!fresh.is_authenticated() && !fresh.is_pending() && fresh.closed().is_none());
    assert_eq!(fresh.tls_outcome(), TlsOutcome::Encrypted { transport: Transport::StartTls, info });
    let mut fresh = fresh;
    assert_eq!(out(&mut fresh), "");
    assert_eq!(pending.failed(), TlsOutcome::Plaintext(PlaintextReason::HandshakeFailed));
}

#[test]
fn implicit_tls_greets_after_the_handshake() {
    let pending = TlsPending::implicit(Arc::new(config()));
    assert_eq!(pending.transport(), Transport::Implicit);
    let mut s = pending.established(TlsInfo::new("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"), T0);
    assert_eq!(out(&mut s), "220 mx.test ESMTP\r\n");
    assert!(s.tls_outcome().is_encrypted());
}

/// `TlsPending::turn_away` turns an implicit-TLS session away inside TLS, and after a
/// STARTTLS upgrade (the session was greeted before it) is `established`: equal servers.
#[test]
fn turning_away_after_a_handshake() {
    let info = TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256");
    let mut s = TlsPending::implicit(Arc::new(config())).turn_away(info.clone(), T0, "Go away");
    assert_eq!(out(&mut s), "554 mx.test Go away\r\n");
    assert!(s.tls_outcome().is_encrypted());
    let mut input: &[u8] = b"EHLO c.example\r\nQUIT\r\n";
    while s.closed().is_none() {
        let h = s.handle_input(input, T0).unwrap();
        input = &input[h.consumed..];
    }
    assert_eq!(out(&mut s), "503 5.5.1 Error: session refused, send QUIT\r\n221 2.0.0 Bye\r\n");
    assert_eq!(s.closed(), Some(&Close::Quit));

    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    assert_eq!(s.handle_input(b"STARTTLS\r\n", T0).unwrap().event, Some(ServerEvent::StartTls));
    out(&mut s);
    let pending = s.into_tls().unwrap();
    let turned = pending.clone().turn_away(info.clone(), T0, "Go away");
    assert_eq!(turned, pending.established(info, T0));
}

/// A greeting text cannot break the 554 reply (the echo helper keeps it one line), and the
/// turned-away server is deterministic like any other.
#[test]
fn turn_away_text_stays_one_line() {
    let c = Arc::new(config());
    let mut a = Server::turn_away(Arc::clone(&c), T0, "bad\r\n250 injected");
    let b = Server::turn_away(Arc::clone(&c), T0, "bad\r\n250 injected");
    assert_eq!(hash(&a), hash(&b));
    let greeting = out(&mut a);
    assert_eq!(greeting.matches("\r\n").count(), 1, "{greeting:?}");
    assert!(greeting.starts_with("554 mx.test "));
    assert!(Reply::parse(greeting.as_bytes()).is_ok());
}

#[test]
fn every_session_reports_its_tls_outcome() {
    let s = server(config());
    assert_eq!(s.tls_outcome(), TlsOutcome::Plaintext(PlaintextReason::NotRequested));
    let mut c = config();
    c.tls_policy = TlsPolicy::Disabled;
    assert_eq!(server(c).tls_outcome(), TlsOutcome::Plaintext(PlaintextReason::Disabled));
}

#[test]
fn deterministic_clone_eq_hash() {
    let script: &[u8] =
        b"EHLO c.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n";
    let (mut a, mut b) = (server(config()), server(config()));
    for cut in 1..script.len() {
        let (x, y) = (feed(&mut a, &script[..cut]).len(), feed(&mut b, &script[..cut]).len());
        assert_eq!(x, y);
        assert_eq!(a, b);
        assert_eq!(hash(&a), hash(&b));
        let (mut a2, mut b2) = (a.clone(), b.clone());
        assert_eq!(out(&mut a2), out(&mut b2));
        a = server(config());
        b = server(config());
    }
    let mut c = server(config());
    let d = c.clone();
    feed(&mut c, b"NOOP\r\n");
    assert_ne!(c, d);
}

#[test]
fn credentials_never_in_debug() {
    let mut c = config();
    c.auth_mechanisms = Some(AuthMechanisms::new("PLAIN").unwrap().into_owned());
    c.auth_plaintext = true;
    let mut s = server(c);
    feed(&mut s, b"EHLO c.example\r\n");
    let secret = "AGFsaWNlAHMzY3IzdA==";
    let line = format!("AUTH PLAIN {secret}\r\n");
    let h = s.handle_input(line.as_bytes(), T0).unwrap();
    let ev = h.event.unwrap();
    assert!(!format!("{ev:?}").contains(secret), "{ev:?}");
    let ServerEvent::Auth { initial_response: Some(smtp_wire::InitialResponse::Data(data)), .. } = &ev else {
        panic!()
    };
    let decoded = data.decode();
    let plain = sasl::plain(&decoded).unwrap();
    assert_eq!((plain.authcid, plain.password()), ("alice", "s3cr3t"));
    assert!(!format!("{plain:?}").contains("s3cr3t"));
    assert!(!format!("{s:?}").contains("s3cr3t") && !format!("{s:?}").contains(secret));
}

#[test]
fn sasl_helpers_check_their_input() {
    assert_eq!(sasl::plain(b"admin\0alice\0pw").unwrap().authzid, "admin");
    assert_eq!(sasl::plain(b"\0\0pw"), Err(sasl::SaslError::Empty));
    assert_eq!(sasl::plain(b"\0alice\0"), Err(sasl::SaslError::Empty));
    assert_eq!(sasl::plain(b"\0alice\0pw\0x"), Err(sasl::SaslError::Malformed));
    assert_eq!(sasl::plain(b"\0al\xffce\0pw"), Err(sasl::SaslError::NotUtf8));
    assert_eq!(sasl::login(b"alice"), Ok("alice"));
    assert_eq!(sasl::login(b""), Err(sasl::SaslError::Empty));
    assert_eq!(sasl::login(b"a\0b"), Err(sasl::SaslError::Malformed));
    assert!(sasl::xoauth2(b"user=a\x01auth=Bearer t\x01").is_err());
    assert!(sasl::xoauth2(b"user=a\x01auth=Basic t\x01\x01").is_err());
    assert_eq!(sasl::xoauth2(b"user=\x01auth=Bearer t\x01\x01"), Err(sasl::SaslError::Empty));
    assert_eq!(sasl::LOGIN_USERNAME, b"Username:");
}

#[test]
fn after_the_end_input_is_refused() {
    let mut s = server(config());
    let h = s.handle_input(b"QUIT\r\n", T0).unwrap();
    assert_eq!(h.event, Some(ServerEvent::Closed(Close::Quit)));
    assert_eq!(s.handle_input(b"NOOP\r\n", T0), Err(ServerError::Closed));
    assert_eq!(s.peer_closed(), Close::Quit, "the first ending stays");
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn memory_is_bounded_whatever_the_client_sends() {
    // A flood of pipelined commands: output waits at most ~16 KiB before handle_input stops
    // to let the caller transmit.
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    out(&mut s);
    let flood = b"RSET\r\n".repeat(50_000);
    let mut rest = &flood[..];
    let mut replies = 0;
    while !rest.is_empty() {
        let h = s.handle_input(rest, T0).unwrap();
        assert!(h.event.is_none());
        rest = &rest[h.consumed..];
        let o = out(&mut s);
        assert!(o.len() <= 16 * 1024 + 64, "{} octets queued", o.len());
        replies += o.matches("\r\n").count();
    }
    assert_eq!(replies, 50_000, "one reply per command");
    // An endless line is consumed as it comes, never buffered.
    let junk = vec![b'A'; 1 << 20];
    let h = s.handle_input(&junk, T0).unwrap();
    assert_eq!(h.consumed, junk.len());
    let h = s.handle_input(b"\r\n", T0).unwrap();
    assert_eq!(h.consumed, 2);
    assert_eq!(out(&mut s), "500 5.5.6 Line too long\r\n");
    // An endless body likewise.
    feed(&mut s, b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    out(&mut s);
    let body = b"0123456789012345678901234567890123456789\r\n".repeat(1000);
    for _ in 0..300 {
        let mut rest = &body[..];
        while !rest.is_empty() {
            let h = s.handle_input(rest, T0).unwrap();
            rest = &rest[h.consumed..];
        }
    }
    let h = s.handle_input(b".\r\n", T0).unwrap();
    let Some(ServerEvent::MessageRefused { reason }) = h.event else { panic!("{:?}", h.event) };
    assert!(matches!(reason.kind(), smtp_wire::ParseErrorKind::MessageTooLarge { .. }));
    assert_eq!(out(&mut s), "552 5.3.4 Message size exceeds fixed limit\r\n");
}

#[test]
fn the_input_buffer_bound_is_the_sasl_line() {
    assert_eq!(config().max_input_buffer(), 12288);
    // A command line just under the bound waits for its CRLF; one over is skipped.
    let mut s = server(config());
    let long = vec![b'A'; 12287];
    assert_eq!(s.handle_input(&long, T0).unwrap().consumed, 0);
    let longer = vec![b'A'; 12289];
    assert_eq!(s.handle_input(&longer, T0).unwrap().consumed, 12289);
}

#[test]
fn peer_close_reports_a_line_being_skipped_as_partial() {
    let mut s = server(config());
    let junk = vec![b'A'; 13_000];
    assert_eq!(s.handle_input(&junk, T0).unwrap().consumed, 13_000);
    assert_eq!(s.peer_closed(), Close::PeerClosed { lost: Lost::PartialCommand });
}

#[test]
fn peer_close_with_a_question_pending() {
    let mut s = server(config());
    let _ = s.handle_input(b"EHLO c.example\r\n", T0).unwrap();
    assert_eq!(s.peer_closed(), Close::PeerClosed { lost: Lost::Decision });
    assert_eq!(s.accept(), Err(ServerError::NoQuestion), "the question died with the session");
}

#[test]
fn utf8_reply_text_only_in_an_smtputf8_transaction() {
    let utf8 = Reply::parse_with(
        "550 5.1.1 Unbekannter Empfänger\r\n".as_bytes(),
        &smtp_wire::ParseOptions::default().with_smtputf8(true),
    )
    .unwrap()
    .into_owned();
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\nMAIL FROM:<a@example.org>\r\n");
    let _ = s.handle_input(b"RCPT TO:<b@example.org>\r\n", T0).unwrap();
    assert_eq!(s.reject(&utf8), Err(ServerError::NonAsciiReply));
    s.accept().unwrap();
    feed(&mut s, b"RSET\r\nMAIL FROM:<a@example.org> SMTPUTF8\r\n");
    let _ = s.handle_input(b"RCPT TO:<b@example.org>\r\n", T0).unwrap();
    s.reject(&utf8).unwrap();
}

#[test]
fn an_over_long_sasl_line_ends_the_exchange() {
    let mut c = config();
    c.auth_mechanisms = Some(AuthMechanisms::new("LOGIN").unwrap().into_owned());
    c.auth_plaintext = true;
    let mut s = server(c);
    feed(&mut s, b"EHLO c.example\r\n");
    let _ = s.handle_input(b"AUTH LOGIN\r\n", T0).unwrap();
    s.challenge(sasl::LOGIN_USERNAME).unwrap();
    out(&mut s);
    let mut long = vec![b'A'; 13_000];
    long.extend_from_slice(b"\r\n");
    let h = s.handle_input(&long[..13_000], T0).unwrap();
    assert_eq!((h.consumed, h.event), (13_000, None));
    let h = s.handle_input(&long[13_000..], T0).unwrap();
    assert_eq!((h.consumed, h.event), (2, Some(ServerEvent::AuthAborted)));
    assert_eq!(out(&mut s), "500 5.5.6 Line too long\r\n");
    // Back to commands.
    feed(&mut s, b"NOOP\r\n");
    assert_eq!(out(&mut s), "250 2.0.0 Ok\r\n");
}

// ---------------------------------------------------------------------------------------------
// Found by review

/// A loop that transmits after every call is never told to transmit first, however many
/// pipelined commands are rejected with long replies (the held group is flushed early).
#[test]
fn rejected_pipelined_commands_never_block_a_correct_loop() {
    for (head, cmd, reply) in [
        (&b"EHLO c\r\n"[..], &b"MAIL FROM:<>\r\n"[..], format!("550 5.7.1 {}\r\n", "x".repeat(88))),
        (
            &b"EHLO c\r\nMAIL FROM:<a@b.c>\r\n"[..],
            &b"RCPT TO:<x@y.z>\r\n"[..],
            "550 5.1.1 <x@y.z>: Recipient address rejected: User unknown in local recipient table\r\n".to_owned(),
        ),
    ] {
        let mut s = server(config());
        let (mut out, mut buf) = (Vec::new(), head.to_vec());
        while buf.len() < 16 * 1024 {
            buf.extend_from_slice(cmd);
        }
        let no = Reply::parse(reply.as_bytes()).unwrap();
        let mut calls = 0;
        loop {
            calls += 1;
            assert!(calls < 10_000, "no progress");
            let h = s.handle_input(&buf, T0).unwrap_or_else(|e| panic!("{e:?} after {calls} calls"));
            let (n, ev) = (h.consumed, h.event.is_some());
            // The repeated command is rejected, the rest accepted.
            let question = match h.event {
                Some(ServerEvent::Mail { .. }) => cmd.starts_with(b"MAIL"),
                Some(ServerEvent::Rcpt { .. }) => true,
                _ => false,
            };
            buf.drain(..n);
            if s.is_pending() {
                if question { s.reject(&no).unwrap() } else { s.accept().unwrap() }
            }
            s.poll_transmit(&mut out);
            if !ev && n == 0 {
                break;
            }
        }
        assert!(buf.is_empty());
        let replies = String::from_utf8(out).unwrap();
        assert_eq!(replies.matches(&reply).count(), (16 * 1024 - head.len()).div_ceil(cmd.len()));
    }
}

/// `peer_closed` says what was really lost: no stale partial command, and an open
/// transaction before a partial one.
#[test]
fn peer_closed_reports_the_open_transaction() {
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    let h = s.handle_input(b"NO", T0).unwrap();
    assert_eq!((h.consumed, h.event), (0, None));
    let input = b"NOOP\r\nMAIL FROM:<a@example.org>\r\n";
    let h = s.handle_input(input, T0).unwrap();
    assert_eq!(h.consumed, input.len());
    s.accept().unwrap();
    assert_eq!(s.peer_closed(), Close::PeerClosed { lost: Lost::Transaction });
}

/// Calls that re-present the same unconsumed octets do not postpone the command timeout
/// (RFC 5321 §4.5.3.2.7 times the client's silence): a runtime that retries on wake-ups
/// cannot keep a silent client's session open.
#[test]
fn empty_calls_do_not_rearm_the_timeout() {
    let mut s = server(config());
    // Two octets arrive at 60 s: the client was active then.
    let h = s.handle_input(b"NO", Duration::from_secs(60)).unwrap();
    assert_eq!((h.consumed, h.event), (0, None));
    let deadline = s.poll_timeout().unwrap();
    assert_eq!(deadline, Duration::from_secs(60 + 300));
    // Then nothing new: the same octets handed in again and again.
    for t in [120u64, 180, 240, 300] {
        let h = s.handle_input(b"NO", Duration::from_secs(t)).unwrap();
        assert_eq!((h.consumed, h.event), (0, None));
        assert_eq!(s.poll_timeout(), Some(deadline));
        s.handle_timeout(Duration::from_secs(t));
        assert!(s.closed().is_none());
    }
    s.handle_timeout(deadline);
    assert_eq!(s.closed(), Some(&Close::Timeout));
}

/// A MAIL or RCPT that was the last input handed in ends its group: its reply goes out when
/// the application answers, so a client waiting for it is not left hanging.
#[test]
fn the_last_pipelined_command_is_answered_at_once() {
    let mut s = server(config());
    feed(&mut s, b"EHLO c.example\r\n");
    out(&mut s);
    let h = s.handle_input(b"MAIL FROM:<a@example.org>\r\n", T0).unwrap();
    assert!(matches!(h.event, Some(ServerEvent::Mail { .. })));
    s.accept().unwrap();
    assert_eq!(out(&mut s), "250 2.1.0 Ok\r\n");
}

/// A configured injection reply that is positive is not sent: the client must not be told
/// the plaintext after STARTTLS was fine.
#[test]
fn a_positive_injection_reply_is_not_sent() {
    let mut c = config();
    c.starttls_injection_reply = Some(Reply::parse(b"250 2.0.0 All good\r\n").unwrap());
    let mut s = server(c);
    feed(&mut s, b"EHLO c.example\r\n");
    out(&mut s);
    let h = s.handle_input(b"STARTTLS\r\nNOOP\r\n", T0).unwrap();
    assert!(matches!(h.event, Some(ServerEvent::Closed(Close::Violation(_)))));
    assert_eq!(out(&mut s), "421 4.7.0 Pipelined data after STARTTLS, closing\r\n");
}
