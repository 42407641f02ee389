//! Real server traffic (Postfix 3.7, recorded with many clients, see `tests/corpus/README.md`):
//! every reply in the plaintext part of every session parses, re-encodes byte for byte and
//! parses the same fed one octet at a time; every EHLO reply parses as one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::corpus;
use smtp_wire::{Capability, EhloReply, Encode, Extension, Reply, Status};

/// Splits a server stream into replies with their exact octets.
fn replies(name: &str, stream: &[u8]) -> Vec<(Vec<u8>, Reply<'static>)> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let Status::Complete { value, consumed } =
            Reply::parse_prefix(rest).unwrap_or_else(|e| panic!("{name}: {e} in {:?}", String::from_utf8_lossy(rest)))
        else {
            panic!("{name}: incomplete reply at the end of the stream: {:?}", String::from_utf8_lossy(rest));
        };
        out.push((rest[..consumed].to_vec(), value.into_owned()));
        rest = &rest[consumed..];
    }
    out
}

#[test]
fn every_server_reply_round_trips() {
    let files = corpus("s2c");
    assert!(files.len() >= 40, "corpus missing: {}", files.len());
    let (mut total, mut multi, mut enhanced) = (0, 0, 0);
    let mut codes = std::collections::BTreeSet::new();
    for (name, stream) in &files {
        let all = replies(name, stream);
        assert!(all.len() >= 2, "{name}: no greeting and EHLO reply");
        for (bytes, reply) in &all {
            assert_eq!(&reply.to_vec(), bytes, "{name}: re-encoding differs");
            assert_eq!(reply.encoded_len(), bytes.len());
            assert_eq!(&Reply::parse(bytes).unwrap(), reply, "{name}: exact parse differs from prefix parse");
            codes.insert(reply.code().as_u16());
            total += 1;
            multi += usize::from(reply.is_multiline());
            // Postfix advertises ENHANCEDSTATUSCODES: everything but the greeting, the EHLO
            // reply and 354 carries one.
            let first_text = reply.lines().next().unwrap().text();
            if reply.code().as_u16() != 354 && !first_text.starts_with("mx.postfix.test") {
                assert!(reply.enhanced_code().is_some(), "{name}: no enhanced code in {first_text:?}");
                enhanced += 1;
            }
        }
    }
    // 43 sessions: 43 greetings, 43 EHLO replies (the multi-line ones), 15 DATA 354s and 94
    // replies with an enhanced code.
    assert_eq!((total, multi, enhanced), (195, 43, 94));
    for c in [220, 221, 250, 354, 500, 502] {
        assert!(codes.contains(&c), "corpus has no {c}");
    }
}

#[test]
fn every_ehlo_reply_parses_as_one() {
    let mut seen = 0;
    for (name, stream) in corpus("s2c") {
        let all = replies(&name, &stream);
        // Every client greets with EHLO first: the second reply is its answer.
        let (bytes, reply) = &all[1];
        let ehlo = EhloReply::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&ehlo.to_vec(), bytes);
        assert_eq!(EhloReply::try_from(reply).unwrap(), ehlo);
        assert_eq!(ehlo.host().to_string(), "mx.postfix.test");
        assert_eq!(ehlo.greeting(), None);
        assert_eq!(ehlo.size_limit(), Some(10240000));
        for ext in [
            Extension::Pipelining,
            Extension::Vrfy,
            Extension::Etrn,
            Extension::EnhancedStatusCodes,
            Extension::EightBitMime,
            Extension::Dsn,
            Extension::SmtpUtf8,
            Extension::Chunking,
        ] {
            assert!(ehlo.supports(ext), "{name}: {ext}");
        }
        let caps: Vec<Capability<'_>> = ehlo.capabilities().collect();
        assert!(caps.iter().all(|c| c.extension().is_some()), "{name}: untyped capability in {caps:?}");
        assert_eq!(caps.len(), if ehlo.supports(Extension::StartTls) { 10 } else { 9 });
        assert_eq!(ehlo.duplicates().count(), 0);
        // No other reply in the stream is an EHLO reply.
        for (b, _) in all.iter().skip(2) {
            assert!(EhloReply::parse(b).is_err() || b.starts_with(b"250"), "{name}");
        }
        seen += 1;
    }
    assert!(seen >= 40, "{seen}");
}

#[test]
fn server_streams_parse_the_same_fed_one_octet_at_a_time() {
    for (name, stream) in corpus("s2c") {
        let whole: Vec<Reply<'static>> = replies(&name, &stream).into_iter().map(|(_, r)| r).collect();
        let mut buf: Vec<u8> = Vec::new();
        let mut got = Vec::new();
        for &octet in &stream {
            buf.push(octet);
            if let Status::Complete { value, consumed } = Reply::parse_prefix(&buf).unwrap() {
                assert_eq!(consumed, buf.len(), "{name}: a reply completes only at its last CRLF");
                got.push(value.into_owned());
                buf.clear();
            }
        }
        assert!(buf.is_empty(), "{name}");
        assert_eq!(got, whole, "{name}");
    }
}
