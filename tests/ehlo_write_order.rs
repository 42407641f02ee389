//! The EHLO writer checks each capability as its line is written: the refusals still come in
//! the builder's order (greeting, line count, host, the first capability its type does not
//! hold to, then the first line over the limit), whatever their positions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use smtp_wire::{BuildErrorKind, Capability, Domain, EhloKeyword, EhloReply, Host, Limits};

fn refusal(
    host: &Host<'_>,
    greeting: Option<&str>,
    caps: &[Capability<'_>],
    limits: &Limits,
) -> (BuildErrorKind, Option<usize>) {
    let mut out = b"before".to_vec();
    let e = EhloReply::write_to_within(&mut out, host, greeting, caps, limits).unwrap_err();
    assert_eq!(out, b"before");
    let built = EhloReply::build(host, greeting, caps, limits).unwrap_err();
    assert_eq!(built, e);
    (e.kind(), e.index())
}

#[test]
fn refusals_in_order() {
    let host: Host<'_> = Domain::new("mx.example.org").unwrap().into();
    let known = Capability::Other { keyword: EhloKeyword::new("SIZE").unwrap(), params: None };
    let limits = Limits::RFC5321.with_reply_line(24);
    // A line over 24 octets at 0, a known keyword as `Other` at 2: the keyword first.
    let caps = [Capability::EnhancedStatusCodes, Capability::Dsn, known.clone()];
    assert_eq!(refusal(&host, None, &caps, &limits), (BuildErrorKind::KnownKeyword, Some(2)));
    // Without it, the first line over the limit.
    let caps = [Capability::Dsn, Capability::EnhancedStatusCodes, Capability::EnhancedStatusCodes];
    assert_eq!(refusal(&host, None, &caps, &limits), (BuildErrorKind::TooLong { limit: 24 }, Some(1)));
    // The first line (host and greeting) over the limit comes before any capability's.
    let caps = [Capability::EnhancedStatusCodes];
    assert_eq!(
        refusal(&host, Some("a greeting too long"), &caps, &limits),
        (BuildErrorKind::TooLong { limit: 24 }, None)
    );
    // A control character in the greeting before everything.
    let caps = [known.clone()];
    assert_eq!(refusal(&host, Some("hi\r\nthere"), &caps, &limits), (BuildErrorKind::ControlCharacter, None));
    // Too many lines before a capability's refusal.
    let few = Limits::RFC5321.with_reply_lines(2);
    let caps = [Capability::Dsn, known.clone()];
    assert_eq!(refusal(&host, None, &caps, &few), (BuildErrorKind::TooManyLines { limit: 2 }, None));
    // A number over nine digits at 1 after a known keyword at 0.
    let caps = [known, Capability::DeliverBy(Some(1_000_000_000))];
    assert_eq!(refusal(&host, None, &caps, &Limits::RFC5321), (BuildErrorKind::KnownKeyword, Some(0)));
    let caps = [Capability::Dsn, Capability::DeliverBy(Some(1_000_000_000))];
    assert_eq!(refusal(&host, None, &caps, &Limits::RFC5321), (BuildErrorKind::OutOfRange, Some(1)));
}

/// Greetings of every length up to three blocks, with a control or non-ASCII character at
/// every position: written, or refused at the exact offset.
#[test]
fn greeting_checked_while_copied() {
    let host: Host<'_> = Domain::new("mx.example.org").unwrap().into();
    let base: String = (0..50).map(|k| char::from(b'a' + (k % 26) as u8)).collect();
    for n in 1..=50 {
        for at in 0..n {
            for bad in ["\0", "\t", "\x7f", "\n", "é", "\u{85}"] {
                let g = format!("{}{bad}{}", &base[..at], &base[at + 1..n]);
                let mut out = Vec::new();
                let got = EhloReply::write_to(&mut out, &host, Some(&g), &[Capability::Pipelining]);
                let control = g.char_indices().find(|&(_, c)| c.is_control() && c != '\t').map(|(k, _)| k);
                match control {
                    Some(k) => {
                        let e = got.unwrap_err();
                        assert_eq!((e.kind(), e.offset()), (BuildErrorKind::ControlCharacter, Some(k)));
                        assert!(out.is_empty());
                    }
                    None => {
                        let want = format!("250-mx.example.org {g}\r\n250 PIPELINING\r\n");
                        assert_eq!(got.unwrap(), want.len());
                        assert_eq!(out, want.as_bytes());
                    }
                }
            }
        }
    }
}
