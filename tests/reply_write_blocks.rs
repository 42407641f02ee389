//! The one-pass reply writer copies and checks text in fixed-size blocks (16, 8, 4 octets
//! overlapping, or the first, middle and last octet of a shorter text) and assembles the line
//! head from a digit table: every text length up to three blocks, with a control character or
//! a non-ASCII character at every position, and every digit count of the enhanced code's
//! parts, against the known octets and the exact refusal (kind, index, offset) found by a
//! plain scan.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use smtp_wire::{BuildErrorKind, EnhancedCode, Limits, Reply, ReplyBuilder, ReplyCode};

/// The offset of the first control character (C0 but HT, DEL, C1) in `t`.
fn first_control(t: &str) -> Option<usize> {
    t.char_indices().find(|&(_, c)| c.is_control() && c != '\t').map(|(k, _)| k)
}

/// `Reply::write_to` after some octets already in the buffer, checked against the known
/// octets (or the refusal of the first control character) and the builder.
fn check(code: ReplyCode, esc: Option<EnhancedCode>, texts: &[&str]) {
    let mut out = b"prefix".to_vec();
    let got = Reply::write_to(&mut out, code, esc, texts);
    let mut b = ReplyBuilder::new(code).lines(texts.iter().copied());
    if let Some(e) = esc {
        b = b.enhanced_code(e);
    }
    let built = b.build().map(|r| r.as_bytes().to_vec());
    let bad = texts.iter().enumerate().find_map(|(k, t)| first_control(t).map(|at| (k, at)));
    match bad {
        Some((k, at)) => {
            let e = got.unwrap_err();
            assert_eq!((e.kind(), e.index(), e.offset()), (BuildErrorKind::ControlCharacter, Some(k), Some(at)));
            assert_eq!(out, b"prefix", "{texts:?}");
            assert_eq!(built.unwrap_err(), e);
        }
        None => {
            let mut want = b"prefix".to_vec();
            for (k, t) in texts.iter().enumerate() {
                let sep = if k + 1 == texts.len() { ' ' } else { '-' };
                let head = match esc {
                    Some(e) => format!("{}{sep}{}.{}.{} ", code.as_u16(), e.class(), e.subject(), e.detail()),
                    None => format!("{}{sep}", code.as_u16()),
                };
                want.extend_from_slice(head.as_bytes());
                want.extend_from_slice(t.as_bytes());
                want.extend_from_slice(b"\r\n");
            }
            assert_eq!(got.unwrap(), want.len() - 6);
            assert_eq!(out.escape_ascii().to_string(), want.escape_ascii().to_string());
            assert_eq!(built.unwrap(), want[6..]);
        }
    }
}

#[test]
fn every_length_and_position() {
    let code = ReplyCode::new(550).unwrap();
    let esc = EnhancedCode::new(5, 1, 1).ok();
    let base: String = (0..60).map(|k| char::from(b'a' + (k % 26) as u8)).collect();
    for n in 1..=50 {
        let t = &base[..n];
        check(code, esc, &[t]);
        check(code, None, &["first", t, "last"]);
        for at in 0..n {
            for bad in ["\0", "\t", "\x1f", "\x7f", "\n", "\r", "é", "\u{85}", "\u{9f}", "\u{a0}"] {
                let s = format!("{}{bad}{}", &t[..at], &t[at + 1..]);
                check(code, esc, &[&s]);
                check(code, None, &["ok", &s]);
            }
        }
    }
}

#[test]
fn every_digit_count() {
    for code in [200u16, 250, 354, 421, 451, 559] {
        let code = ReplyCode::new(code).unwrap();
        let class = code.as_u16() as u8 / 100;
        check(code, None, &["x"]);
        if class == 3 {
            continue;
        }
        for subject in [0u16, 7, 10, 42, 99, 100, 999] {
            for detail in [0u16, 9, 10, 55, 99, 100, 123, 999] {
                let esc = EnhancedCode::new(class, subject, detail).ok();
                check(code, esc, &["Ok"]);
                check(code, esc, &["one", "two words", "a longer line of text here"]);
            }
        }
    }
}

/// The line limit is exact: the longest text that fits one line is written as one, one
/// octet more is split, and a 334 challenge takes the longer SASL limit.
#[test]
fn line_limit_edges() {
    let code = ReplyCode::OK;
    let esc = EnhancedCode::new(2, 1, 0).ok();
    let long = "x".repeat(600);
    // 512 octets with "250 2.1.0 " and CRLF: 500 of text.
    let mut out = Vec::new();
    Reply::write_to(&mut out, code, esc, &[&long[..500]]).unwrap();
    assert_eq!(out.len(), 512);
    out.clear();
    Reply::write_to(&mut out, code, esc, &[&long[..501]]).unwrap();
    assert_eq!(out.iter().filter(|&&c| c == b'\n').count(), 2);
    let limits = Limits::RFC5321.with_reply_line(20);
    out.clear();
    Reply::write_to_within(&mut out, code, None, &["0123456789abcd"], &limits).unwrap();
    assert_eq!(out, b"250 0123456789abcd\r\n");
    out.clear();
    Reply::write_to_within(&mut out, code, None, &["0123456789abcde"], &limits).unwrap();
    assert_eq!(out, b"250-0123456789abcd\r\n250 e\r\n");
    let sasl = "Y".repeat(2000);
    out.clear();
    Reply::write_to(&mut out, ReplyCode::AUTH_CHALLENGE, None, &[&sasl]).unwrap();
    assert_eq!(out.len(), 2006);
}
