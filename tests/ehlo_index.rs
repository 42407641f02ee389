//! The typed view of an EHLO reply does not depend on how the value was made: a reply read
//! by the one-pass parse (which records where its `SIZE` and `AUTH` lines are), the same
//! reply checked by the full parser (`EhloReply::try_from` a `Reply`) and the reply rebuilt
//! with `EhloReply::new` from its parts answer every lookup alike. The inputs: every EHLO
//! reply of the corpus, the bench replies, and variants of them with lines repeated, split,
//! reordered and respelled.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;
#[path = "../benches/common/inputs.rs"]
mod inputs;

use common::corpus;
use smtp_wire::{Capability, EhloReply, Extension, ParseOptions, Reply, Status};

/// Replies beyond the bench's (`inputs::EHLO`): `AUTH=` and repeated `AUTH`, parameters of
/// every typed capability, a one-line reply.
const MORE: &[&[u8]] = &[
    b"250-[192.0.2.1]\r\n250-AUTH=LOGIN PLAIN\r\n250-auth login\r\n250-SIZE\r\n250-LIMITS RCPTMAX=10\r\n250-FUTURERELEASE 604800 2026-12-01T00:00:00Z\r\n250-DELIVERBY 240\r\n250-MT-PRIORITY MIXER\r\n250-X-FOO a b\r\n250 PIPE_CONNECT\r\n",
    b"250 mx.example.org\r\n",
];

/// Extra capability lines mixed into the inputs: repeats, both `AUTH` spellings, lists with
/// a name twice, `SIZE` 0 and past `u64::MAX`, keywords that only look like known ones.
const EXTRA: &[&str] = &[
    "SIZE 0",
    "size 99999999999999999999",
    "SIZE",
    "AUTH",
    "AUTH PLAIN plain LOGIN",
    "AUTH=PLAIN XOAUTH2",
    "Auth CRAM-MD5",
    "AUTHX",
    "SIZE-X 10",
    "SIZE_X",
    "X-AUTH PLAIN",
    "STARTTLS",
    "LIMITS MAILMAX=5 RCPTMAX=2",
    "BURL imap",
];

/// Every EHLO reply of the corpus, and the bench replies.
fn inputs() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = inputs::EHLO.iter().chain(MORE).map(|b| b.to_vec()).collect();
    for (_, stream) in corpus("s2c") {
        let mut rest = &stream[..];
        while let Ok(Status::Complete { consumed, .. }) = Reply::parse_prefix(rest) {
            if EhloReply::parse(&rest[..consumed]).is_ok() {
                out.push(rest[..consumed].to_vec());
            }
            rest = &rest[consumed..];
        }
    }
    assert!(out.len() > 50, "corpus missing");
    out
}

/// The reply of `first` (the first line's text) and capability lines `caps`.
fn reply(first: &[u8], caps: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    let all: Vec<&[u8]> = std::iter::once(first).chain(caps.iter().copied()).collect();
    for (k, line) in all.iter().enumerate() {
        out.extend_from_slice(if k + 1 == all.len() { b"250 " } else { b"250-" });
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The inputs, and variants: each extra line put first, in the middle and last; the lines
/// reversed; every `AUTH` line doubled.
fn variants() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for r in inputs() {
        let lines: Vec<&[u8]> = r.split(|&c| c == b'\n').filter(|l| l.len() > 4).map(|l| &l[4..l.len() - 1]).collect();
        let (first, caps) = lines.split_first().unwrap();
        for extra in EXTRA {
            for at in [0, caps.len() / 2, caps.len()] {
                let mut c = caps.to_vec();
                c.insert(at, extra.as_bytes());
                out.push(reply(first, &c));
            }
        }
        let mut rev = caps.to_vec();
        rev.reverse();
        out.push(reply(first, &rev));
        let doubled: Vec<&[u8]> = caps
            .iter()
            .flat_map(|&c| if c.len() >= 4 && c[..4].eq_ignore_ascii_case(b"AUTH") { vec![c, c] } else { vec![c] })
            .collect();
        out.push(reply(first, &doubled));
        // More lines than the index holds (16), and a line longer than it holds (255
        // octets): the lookups walk the lines.
        let twice: Vec<&[u8]> = caps.iter().chain(caps.iter()).copied().collect();
        out.push(reply(first, &twice));
        let long = [&b"X-LONG "[..], &[b'v'; 300][..]].concat();
        let mut with_long = caps.to_vec();
        with_long.insert(caps.len() / 2, &long);
        out.push(reply(first, &with_long));
        out.push(r);
    }
    out
}

/// Every lookup of the typed view, as plain values.
fn view(e: &EhloReply<'_>) -> String {
    let caps: Vec<Capability<'_>> = e.capabilities().collect();
    let supports: Vec<bool> = Extension::ALL.iter().map(|&x| e.supports(x)).collect();
    let mechs: Vec<String> = e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect();
    let each: Vec<Option<Capability<'_>>> = Extension::ALL.iter().map(|&x| e.capability(x)).collect();
    format!(
        "{caps:?}\n{supports:?}\n{:?}\n{mechs:?}\n{:?}\n{:?}\n{each:?}\n{:?}\n{}",
        e.size_limit(),
        e.extensions().collect::<Vec<_>>(),
        e.limits(),
        e.duplicates().collect::<Vec<_>>(),
        e.supports_keyword("auth"),
    )
}

#[test]
fn the_view_does_not_depend_on_the_path() {
    // (That the one-pass reader is taken on such replies is `ehlo::grammar`'s unit test.)
    let mut parsed_ones = 0;
    for input in variants() {
        let Ok(parsed) = EhloReply::parse(&input) else { continue };
        parsed_ones += 1;
        let want = view(&parsed);
        // The full parser, through a `Reply`.
        let checked = EhloReply::try_from(Reply::parse(&input).unwrap()).unwrap();
        assert_eq!(view(&checked), want, "{}", String::from_utf8_lossy(&input));
        // The tolerant options read a well-formed reply the same.
        let tolerant = ParseOptions::default().with_malformed_capabilities(true).with_loose_reply_text(true);
        assert_eq!(view(&EhloReply::parse_with(&input, &tolerant).unwrap()), want);
        // A value owned keeps its answers.
        assert_eq!(view(&parsed.clone().into_owned()), want);
        // Rebuilt from its parts: written in canonical form (another wire text), read alike
        // but for the keywords' case.
        let caps: Vec<Capability<'_>> = parsed.capabilities().collect();
        let host = parsed.host();
        if let Ok(built) = EhloReply::new(&host, parsed.greeting(), &caps) {
            assert_eq!(view(&built), want, "{}", String::from_utf8_lossy(&input));
            let reread = EhloReply::parse(built.reply().as_bytes()).unwrap();
            assert_eq!(view(&reread), want);
        }
    }
    assert!(parsed_ones > 500, "{parsed_ones}");
}
