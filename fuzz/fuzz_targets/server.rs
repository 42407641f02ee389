//! The server state machine driven by a fuzzer: client octets in fuzzer-chosen reads, with
//! fuzzer-chosen configuration, answers to questions, TLS results and timeouts.
//!
//! Input: `[config: 2][n: 1][answers: n][m: 1][reads: m][client stream]`. `answers` gives the
//! answer to each question and each TLS result, `reads` the read sizes and clock steps; when
//! either runs out, defaults are used.
//!
//! Checks: no panic; the caller's buffer never has to hold more than
//! `ServerConfig::max_input_buffer` unconsumed octets and queued output stays bounded; at
//! most one reply per command line (plus the greeting, one closing `421`, and LMTP's
//! per-recipient replies); no octet handed in before `established` is processed after it
//! (nothing is left in the buffer when the upgrade happens); every octet written parses as a
//! sequence of valid replies (`Reply::parse_prefix`); caller-misuse errors never happen in a
//! correct driver loop; and, for sessions without STARTTLS and timeouts, the same events and
//! output when the stream is handed in as one read.
#![no_main]

use std::sync::Arc;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use smtp_wire::framing::BareLineEnds;
use smtp_wire::{
    AuthMechanisms, Close, Domain, Reply, Server, ServerConfig, ServerError, ServerEvent, Status, TlsInfo, TlsPending,
    TlsPolicy, Violation,
};
use smtp_wire_fuzz::Tape;

fn config(a: u8, b: u8) -> ServerConfig {
    let mut c = ServerConfig::new(Domain::new("mx.fuzz").unwrap());
    c.tls_policy = [TlsPolicy::Disabled, TlsPolicy::Opportunistic, TlsPolicy::Required, TlsPolicy::Opportunistic]
        [usize::from(a & 3)];
    c.pipelining = a & 4 == 0;
    c.chunking = a & 8 == 0;
    c.lmtp = a & 16 != 0;
    if a & 32 != 0 {
        c.auth_mechanisms = Some(AuthMechanisms::new("PLAIN LOGIN XOAUTH2").unwrap().into_owned());
    }
    c.auth_plaintext = a & 64 != 0;
    c.vrfy = a & 128 != 0;
    c.expn = b & 1 != 0;
    c.binarymime = b & 2 != 0;
    c.reject_undeclared_8bit = b & 2 != 0;
    // The client leniencies (on by default) off together, with the 8-bit and DSN switches.
    c.utf8_envelope = b & 1 == 0;
    c.exact_parameter_repeats = b & 2 == 0;
    c.max_errors = u32::from(b >> 5) * 3;
    c.max_recipients = usize::from((b >> 2) & 7) + 1;
    c.max_message_size = if b & 16 != 0 { Some(64) } else { Some(10 << 20) };
    c.bare_line_ends = if b & 2 != 0 { BareLineEnds::Normalize } else { BareLineEnds::Reject };
    if a & 3 == 3 {
        c.limits = c.limits.with_command_line(128).with_sasl_line(256);
    }
    c
}

/// Replies in `out` (all of them complete and valid).
fn count_replies(out: &[u8]) -> usize {
    let mut rest = out;
    let mut n = 0;
    while !rest.is_empty() {
        match Reply::parse_prefix(rest) {
            Ok(Status::Complete { consumed, .. }) => {
                rest = &rest[consumed..];
                n += 1;
            }
            other => panic!("invalid reply octets {:?}: {other:?}", String::from_utf8_lossy(rest)),
        }
    }
    n
}

fn answer(server: &mut Server, answers: &mut Tape<'_>) {
    let reject = Reply::parse(b"550 5.7.1 No\r\n").unwrap();
    let temp = Reply::parse(b"451 4.3.0 Later\r\n").unwrap();
    let mine = Reply::parse(b"250 2.0.0 Mine\r\n").unwrap();
    let closing = Reply::parse(b"421 4.3.2 Closing\r\n").unwrap();
    // A long refusal: pipelined commands refused with it fill the output queue quickly.
    let long = format!("550 5.7.1 {}\r\n", "x".repeat(480));
    let long = Reply::parse(long.as_bytes()).unwrap();
    while server.is_pending() {
        let r = match answers.next(0) % 8 {
            1 => server.reject(&reject),
            2 => server.reject(&temp),
            3 => server.respond(&mine).or_else(|_| server.accept()),
            // A challenge answers only an AUTH question; anything else is accepted.
            4 => server.challenge(b"Username:").or_else(|_| server.accept()),
            5 => server.challenge(&[0u8; 10]).or_else(|_| server.accept()),
            // The application ends the session (RFC 5321 §3.8).
            6 => server.reject(&closing),
            7 => server.reject(&long),
            _ => server.accept(),
        };
        r.expect("an answer to a pending question");
    }
}

/// What a run saw.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    events: Vec<String>,
    out: Vec<u8>,
}

/// One session over `stream`, cut into reads by `reads` (all of it at once when `None`).
/// Returns the outcome and whether it is comparable across splits (no STARTTLS, no timeout).
fn run(
    config: &Arc<ServerConfig>,
    mut answers: Tape<'_>,
    mut reads: Option<Tape<'_>>,
    stream: &[u8],
    implicit: bool,
    refuse: bool,
) -> (Outcome, bool) {
    let limit = config.max_input_buffer();
    let mut comparable = true;
    let mut now = Duration::ZERO;
    let info = TlsInfo::new("TLSv1.3", "X");
    let mut server = match (implicit, refuse) {
        // Implicit TLS (RFC 8314): the greeting after the handshake, STARTTLS not offered.
        (true, false) => TlsPending::implicit(Arc::clone(config)).established(info, now),
        // Turned away (RFC 5321 §3.1): a 554 greeting, then 503 to all but QUIT.
        (true, true) => TlsPending::implicit(Arc::clone(config)).turn_away(info, now, "refused"),
        (false, false) => Server::new(Arc::clone(config), now),
        (false, true) => Server::turn_away(Arc::clone(config), now, "refused"),
    };
    let mut events: Vec<String> = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut out: Vec<u8> = Vec::new();
    // The greeting goes out before any input: 554 when turned away, else 220.
    server.poll_transmit(&mut out);
    assert!(out.starts_with(if refuse { b"554 " } else { b"220 " }), "{:?}", out.escape_ascii().to_string());
    // Per session (a TLS upgrade starts a new one): lines consumed, extra replies allowed.
    let (mut lines, mut extra, mut session_out_start) = (0usize, 0usize, 0usize);
    let mut fed = 0;
    'outer: while fed < stream.len() {
        let step = match reads.as_mut() {
            // Mostly small reads; 255 stands for one as large as the input.
            Some(r) => match r.next(255) {
                255 => stream.len(),
                k => usize::from(k) + 1,
            },
            None => stream.len(),
        };
        let end = (fed + step).min(stream.len());
        buf.extend_from_slice(&stream[fed..end]);
        fed = end;
        if let Some(r) = reads.as_mut().filter(|r| r.0.first() == Some(&0xAA)) {
            r.next(0);
            comparable = false;
            now += Duration::from_secs(u64::from(r.next(0)) * 4);
            server.handle_timeout(now);
            server.poll_transmit(&mut out);
            if server.closed().is_some() {
                break;
            }
        }
        loop {
            let h = match server.handle_input(&buf, now) {
                Ok(h) => h,
                Err(ServerError::Closed) => break 'outer,
                Err(e) => panic!("misuse error in a correct loop: {e:?}"),
            };
            let consumed = h.consumed;
            assert!(consumed <= buf.len());
            lines += buf[..consumed].iter().filter(|&&c| c == b'\n').count();
            let (mut starttls, mut closed) = (false, false);
            let none = h.event.is_none();
            // A session turned away asks nothing and ends only by QUIT, errors or time.
            assert!(!refuse || matches!(h.event, None | Some(ServerEvent::Closed(_))), "{:?}", h.event);
            match &h.event {
                Some(ServerEvent::StartTls) => starttls = true,
                Some(ServerEvent::Closed(_)) => closed = true,
                Some(ServerEvent::MessageComplete { recipients, .. }) if config.lmtp => {
                    extra += recipients.saturating_sub(1);
                }
                _ => {}
            }
            match (&h.event, events.last_mut()) {
                (Some(ServerEvent::Body(b)), Some(last)) if last.starts_with("body ") => {
                    last.push_str(&b.escape_ascii().to_string());
                }
                (Some(ServerEvent::Body(b)), _) => events.push(format!("body {}", b.escape_ascii())),
                // How many octets followed STARTTLS depends on how they were read.
                (Some(ServerEvent::Closed(Close::Violation(Violation::StartTlsInjection { .. }))), _) => {
                    events.push("StartTlsInjection".into());
                }
                (Some(ev), _) => events.push(format!("{ev:?}")),
                (None, _) => {}
            }
            drop(h);
            buf.drain(..consumed);
            answer(&mut server, &mut answers);
            let before = out.len();
            server.poll_transmit(&mut out);
            assert!(out.len() - before <= 3 * 16 * 1024 + 64 * 1024, "output not bounded");
            if closed {
                break 'outer;
            }
            if starttls {
                comparable = false;
                // The boundary: nothing handed in before the upgrade is left to process.
                assert!(buf.is_empty(), "octets behind STARTTLS survived: {buf:?}");
                let replies = count_replies(&out[session_out_start..]);
                assert!(replies <= lines + 2 + extra, "{replies} replies for {lines} lines");
                let pending = server.into_tls().expect("STARTTLS accepted and 220 transmitted");
                if answers.next(1) % 8 == 0 {
                    let _ = pending.failed();
                    return (Outcome { events, out }, false);
                }
                server = pending.established(TlsInfo::new("TLSv1.3", "X"), now);
                server.poll_transmit(&mut out);
                session_out_start = out.len();
                (lines, extra) = (0, 0);
                break;
            }
            if none && consumed == 0 {
                break;
            }
        }
        assert!(buf.len() <= limit, "caller buffer {} over the documented bound {limit}", buf.len());
    }
    match server.peer_closed() {
        Close::Violation(Violation::StartTlsInjection { .. }) => events.push("StartTlsInjection".into()),
        other => events.push(format!("{other:?}")),
    }
    server.poll_transmit(&mut out);
    let replies = count_replies(&out[session_out_start..]);
    assert!(replies <= lines + 2 + extra, "{replies} replies for {lines} lines");
    (Outcome { events, out }, comparable)
}

fuzz_target!(|data: &[u8]| {
    let (Some(&a), Some(&b), Some(&n)) = (data.first(), data.get(1), data.get(2)) else { return };
    let answers_end = (3 + usize::from(n)).min(data.len());
    let answers = &data[3..answers_end];
    let m = usize::from(data.get(answers_end).copied().unwrap_or(0));
    let reads_end = (answers_end + 1 + m).min(data.len());
    let reads = data.get(answers_end + 1..reads_end).unwrap_or(&[]);
    let stream = data.get(reads_end..).unwrap_or(&[]);
    let config = Arc::new(config(a, b));
    // The first answer octet may pick the start: 0xEE implicit TLS, 0xEF turned away,
    // 0xED both.
    let (implicit, refuse) = match answers.first() {
        Some(0xEE) => (true, false),
        Some(0xEF) => (false, true),
        Some(0xED) => (true, true),
        _ => (false, false),
    };
    let answers = if implicit || refuse { &answers[1..] } else { answers };
    let (split, comparable) = run(&config, Tape(answers), Some(Tape(reads)), stream, implicit, refuse);
    if comparable {
        let (whole, _) = run(&config, Tape(answers), None, stream, implicit, refuse);
        assert_eq!(split, whole, "the outcome depends on how the input was read");
    }
});
