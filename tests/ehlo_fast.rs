//! The one-pass reading of common EHLO replies agrees with the full parser: every reply of
//! the bench mix, with one octet changed, inserted or removed anywhere, under each option,
//! is parsed (whole and as a prefix), and debug builds compare both readings of every input
//! the fast path accepts (`debug_assert_eq!` in `EhloReply::parse_with` / `parse_prefix_with`).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use smtp_wire::{EhloReply, ParseOptions};

const REPLIES: &[&[u8]] = &[
    b"250-mx.postfix.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
    b"250-mail.example.com Hello client.example [192.0.2.1]\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n250-PRDR\r\n250 HELP\r\n",
    b"250-[192.0.2.1]\r\n250-AUTH=LOGIN PLAIN\r\n250-auth login\r\n250-SIZE\r\n250-LIMITS RCPTMAX=10\r\n250-FUTURERELEASE 604800 2026-12-01T00:00:00Z\r\n250-DELIVERBY 240\r\n250-MT-PRIORITY MIXER\r\n250-X-FOO a b\r\n250 PIPE_CONNECT\r\n",
    b"250 mx.example.org\r\n",
];

const OCTETS: &[u8] = b"\x00\t\r\n \x7f\x80\xc3-=_aZ09.[";

fn options() -> Vec<ParseOptions> {
    let d = ParseOptions::default();
    vec![
        d,
        d.with_malformed_capabilities(true),
        d.with_loose_reply_text(true),
        d.with_smtputf8(true),
        d.with_malformed_capabilities(true).with_loose_reply_text(true),
    ]
}

fn check(input: &[u8], opts: &[ParseOptions]) {
    for o in opts {
        let whole = EhloReply::parse_with(input, o);
        let prefix = EhloReply::parse_prefix_with(input, o);
        if let Ok(w) = &whole {
            assert_eq!(w.reply().as_bytes(), input);
            assert!(matches!(prefix, Ok(smtp_wire::Status::Complete { consumed, .. }) if consumed == input.len()));
        }
    }
}

#[test]
fn one_octet_changed_anywhere() {
    let opts = options();
    for r in REPLIES {
        EhloReply::parse(r).unwrap();
        check(r, &opts);
        for k in 0..r.len() {
            for &c in OCTETS {
                let mut m = r.to_vec();
                m[k] = c;
                check(&m, &opts);
                let mut m = r.to_vec();
                m.insert(k, c);
                check(&m, &opts);
            }
            let mut m = r.to_vec();
            m.remove(k);
            check(&m, &opts);
            check(&r[..k], &opts);
        }
    }
}

#[test]
fn limits_are_the_full_parsers() {
    use smtp_wire::Limits;
    let r = REPLIES[0];
    for line in [5usize, 10, 20, 25, 26, 27, 28, 512] {
        for lines in [1usize, 2, 10, 11, 12] {
            let o =
                ParseOptions::default().with_limits(Limits::default().with_reply_line(line).with_reply_lines(lines));
            check(r, &[o]);
        }
    }
}
