//! Property tests for replies, EHLO replies and SASL challenges: the two round-trip oracles,
//! exact re-encoding of accepted input near valid input, and split invariance of
//! `parse_prefix` (the same replies, and the same first error, however the stream is cut).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{arb, esc};
use proptest::prelude::*;
use smtp_wire::{
    Capability, EhloReply, Encode, EnhancedCode, Extension, Limits, ParseError, ParseOptions, Reply, ReplyBuilder,
    ReplyCode, SaslChallenge, Status,
};

/// What a constructed value may need: UTF-8 text.
fn permissive() -> ParseOptions {
    ParseOptions::default().with_smtputf8(true)
}

/// The reply leniencies (the client's defaults), with small limits.
fn tolerant() -> ParseOptions {
    ParseOptions::default()
        .with_malformed_capabilities(true)
        .with_loose_reply_text(true)
        .with_limits(Limits::default().with_reply_line(24).with_reply_lines(3))
}

/// Small limits, so that the line and line-count bounds are reached by short inputs.
fn tight() -> ParseOptions {
    ParseOptions::default().with_smtputf8(true).with_limits(Limits::default().with_reply_line(24).with_reply_lines(3))
}

/// One octet changed, inserted or removed.
fn mutate(mut bytes: Vec<u8>, pos: usize, byte: u8, op: u8) -> Vec<u8> {
    if bytes.is_empty() {
        return vec![byte];
    }
    let p = pos % bytes.len();
    match op {
        0 => bytes[p] = byte,
        1 => bytes.insert(p, byte),
        _ => {
            bytes.remove(p);
        }
    }
    bytes
}

/// Whatever `parse_prefix` answers for a prefix of `bytes` other than Incomplete, it answers
/// the same for all of `bytes`: an error is found at the first offending octet, a reply is
/// complete at its last CRLF, neither depends on what follows.
fn prefix_answers_are_final<'a, T: PartialEq + core::fmt::Debug>(
    bytes: &'a [u8],
    parse: impl Fn(&'a [u8]) -> Result<Status<T>, ParseError>,
) -> Result<(), TestCaseError> {
    let whole = parse(bytes);
    for k in 0..bytes.len() {
        match parse(&bytes[..k]) {
            Ok(Status::Incomplete) => {}
            answer => {
                prop_assert_eq!(&answer, &whole, "prefix {} of {}", k, esc(bytes));
                break;
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Oracle 2: any constructible reply encodes to bytes that parse back to it.
    #[test]
    fn reply_value_encode_parse(reply in arb::<Reply<'static>>()) {
        let bytes = reply.to_vec();
        prop_assert_eq!(reply.encoded_len(), bytes.len());
        let back = Reply::parse_with(&bytes, &permissive()).unwrap_or_else(|e| panic!("{e}: {}", esc(&bytes)));
        prop_assert_eq!(&back, &reply);
        prop_assert_eq!(back.to_vec(), bytes.clone());
        // Lines fit the default limit.
        for l in reply.lines() {
            prop_assert!(l.as_str().len() + 2 <= 512 || reply.code() == ReplyCode::AUTH_CHALLENGE);
        }
        if reply.is_ascii() {
            prop_assert_eq!(Reply::parse(&bytes).unwrap(), reply);
        }
    }

    /// Oracle 2 for EHLO replies: they parse back, and each capability line is the canonical
    /// writing of the typed capability read from it.
    #[test]
    fn ehlo_value_encode_parse(ehlo in arb::<EhloReply<'static>>()) {
        let bytes = ehlo.to_vec();
        prop_assert_eq!(ehlo.encoded_len(), bytes.len());
        let back = EhloReply::parse_with(&bytes, &permissive()).unwrap_or_else(|e| panic!("{e}: {}", esc(&bytes)));
        prop_assert_eq!(&back, &ehlo);
        prop_assert_eq!(back.host(), ehlo.host());
        prop_assert_eq!(back.greeting(), ehlo.greeting());
        let lines: Vec<&str> = ehlo.reply().texts().skip(1).collect();
        let caps: Vec<Capability<'_>> = ehlo.capabilities().collect();
        prop_assert_eq!(lines.len(), caps.len());
        for (line, cap) in lines.iter().zip(&caps) {
            prop_assert_eq!(&cap.to_string(), line);
        }
        // Rebuilt from its parts, the same reply.
        let rebuilt = EhloReply::new(&ehlo.host(), ehlo.greeting(), &caps).unwrap();
        prop_assert_eq!(rebuilt, ehlo.clone());
        // Lookups agree with the list.
        for c in &caps {
            if let Some(ext) = c.extension() {
                prop_assert!(ehlo.supports(ext));
            }
            prop_assert!(ehlo.supports_keyword(c.keyword()));
        }
    }

    /// The builder, from its inputs: an enhanced code it was asked for opens every line, text
    /// that fits one line is carried unchanged, and it refuses only what it documents.
    /// (Found by the `reply_roundtrip` fuzz target: text that itself starts with an enhanced
    /// code reads back as one, so "the first line has a code" does not mean "every line has".)
    #[test]
    fn reply_builder_from_inputs(code in arb::<ReplyCode>(), esc in proptest::option::of(arb::<EnhancedCode>()), texts in proptest::collection::vec(r"[ -~\t\x{e9}\x{1F600}]{0,80}|[0-9. ]{0,12}|[ -~]{400,700}|(?s).{0,20}", 0..5)) {
        let mut b = ReplyBuilder::new(code).lines(texts.iter().map(String::as_str));
        if let Some(e) = esc {
            b = b.enhanced_code(e);
        }
        match b.build() {
            Ok(r) => {
                prop_assert_eq!(&Reply::parse_with(r.as_str().as_bytes(), &permissive()).unwrap(), &r);
                if let Some(e) = esc {
                    prop_assert!(r.lines().all(|l| l.enhanced_code() == Some(e)));
                }
                prop_assert!(r.lines().all(|l| l.as_str().len() + 2 <= 512 || code == ReplyCode::AUTH_CHALLENGE));
                if r.line_count() == texts.len() {
                    for (line, text) in r.lines().zip(&texts) {
                        prop_assert_eq!(if esc.is_some() { line.message() } else { line.text() }, text.as_str());
                    }
                }
            }
            Err(e) => {
                let control = texts.iter().any(|t| t.chars().any(|c| c != '\t' && c.is_control()));
                let mismatch = esc.is_some_and(|e| u16::from(e.class()) != code.as_u16() / 100);
                prop_assert!(control || mismatch, "{e} for {texts:?}");
            }
        }
    }

    #[test]
    fn sasl_challenges_round_trip(c in arb::<SaslChallenge<'static>>()) {
        let bytes = c.to_vec();
        let back = SaslChallenge::parse(&bytes).unwrap();
        prop_assert_eq!(back.decode(), c.decode());
        prop_assert_eq!(back, c);
    }

    #[test]
    fn enhanced_codes_round_trip(code in arb::<EnhancedCode>()) {
        prop_assert_eq!(EnhancedCode::parse(code.to_string().as_bytes()).unwrap(), code);
    }

    /// Oracle 1 near valid input: whatever is accepted re-encodes exactly and parses back
    /// equal, for replies and EHLO replies, and the prefix parser's answers are final.
    #[test]
    fn mutated_replies_reencode_exactly(reply in arb::<Reply<'static>>(), pos in any::<usize>(), byte in any::<u8>(), op in 0..3u8) {
        let bytes = mutate(reply.to_vec(), pos, byte, op);
        for opts in [ParseOptions::default(), permissive(), tight(), tolerant()] {
            if let Ok(r) = Reply::parse_with(&bytes, &opts) {
                prop_assert_eq!(r.to_vec(), bytes.clone(), "{}", esc(&bytes));
                prop_assert_eq!(Reply::parse_with(&r.to_vec(), &opts).unwrap().into_owned(), r);
            }
            prefix_answers_are_final(&bytes, |b| Reply::parse_prefix_with(b, &opts))?;
        }
    }

    #[test]
    fn mutated_ehlo_replies_reencode_exactly(ehlo in arb::<EhloReply<'static>>(), pos in any::<usize>(), byte in any::<u8>(), op in 0..3u8) {
        let bytes = mutate(ehlo.to_vec(), pos, byte, op);
        let tolerant = tolerant().with_limits(Limits::default());
        for opts in [ParseOptions::default(), permissive(), tolerant] {
            if let Ok(e) = EhloReply::parse_with(&bytes, &opts) {
                prop_assert_eq!(e.to_vec(), bytes.clone(), "{}", esc(&bytes));
                let again = e.to_vec();
                prop_assert_eq!(EhloReply::parse_with(&again, &opts).unwrap(), e.clone());
                // The same as going through Reply.
                let r = Reply::parse_with(&bytes, &opts).unwrap();
                prop_assert_eq!(EhloReply::from_reply_with(&r, &opts).unwrap(), e.clone());
                // The typed view agrees with the keyword as written (read from the octets:
                // under loose reply text the rest of the line need not be UTF-8).
                for (line, c) in r.lines().skip(1).zip(e.capabilities()) {
                    let line = line.text_bytes();
                    let keyword = line.split(|&c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'_')).next().unwrap_or(line);
                    prop_assert_eq!(c.extension(), Extension::from_keyword(std::str::from_utf8(keyword).unwrap()));
                }
            }
            prefix_answers_are_final(&bytes, |b| EhloReply::parse_prefix_with(b, &opts))?;
        }
    }

    /// Trailing spaces after every capability line of a constructed EHLO reply: strictly
    /// refused, tolerantly the same capabilities, and the octets kept.
    #[test]
    fn trailing_spaces_are_tolerated(ehlo in arb::<EhloReply<'static>>(), spaces in proptest::collection::vec(prop_oneof![Just(" "), Just("  "), Just("\t"), Just(" \t ")], 1..40)) {
        let mut bytes = Vec::new();
        for (k, line) in ehlo.reply().as_str().split_inclusive("\r\n").enumerate() {
            let body = line.strip_suffix("\r\n").unwrap();
            bytes.extend_from_slice(body.as_bytes());
            // Not on the first line, and not past the line limit.
            if k > 0 && body.len() + 6 <= 510 {
                bytes.extend_from_slice(spaces[k % spaces.len()].as_bytes());
            }
            bytes.extend_from_slice(b"\r\n");
        }
        let opts = permissive().with_malformed_capabilities(true);
        let e = EhloReply::parse_with(&bytes, &opts).unwrap_or_else(|err| panic!("{err}: {}", esc(&bytes)));
        prop_assert_eq!(e.to_vec(), bytes.clone());
        prop_assert_eq!(e.capabilities().collect::<Vec<_>>(), ehlo.capabilities().collect::<Vec<_>>());
        prop_assert_eq!(e.size_limit(), ehlo.size_limit());
        prop_assert!(e.auth_mechanisms().eq(ehlo.auth_mechanisms()));
        if bytes != ehlo.to_vec() {
            prop_assert!(EhloReply::parse_with(&bytes, &permissive()).is_err());
        }
    }

    /// `parse_prefix` gives the same replies however the stream is split into reads.
    #[test]
    fn parse_prefix_is_split_invariant(replies in proptest::collection::vec(arb::<Reply<'static>>(), 1..6), cuts in proptest::collection::vec(any::<usize>(), 0..10)) {
        let stream: Vec<u8> = replies.iter().flat_map(|r| r.to_vec()).collect();
        let opts = permissive();
        let (got, rest) = common::feed_in_reads(&stream, &cuts, |b| {
            Reply::parse_prefix_with(b, &opts).unwrap().map(Reply::into_owned)
        });
        prop_assert!(rest.is_empty());
        prop_assert_eq!(got, replies);
    }

    #[test]
    fn ehlo_parse_prefix_is_split_invariant(ehlo in arb::<EhloReply<'static>>(), next in arb::<Reply<'static>>(), cuts in proptest::collection::vec(any::<usize>(), 0..6)) {
        let mut stream = ehlo.to_vec();
        let first = stream.len();
        stream.extend(next.to_vec());
        let mut cut_points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
        cut_points.push(stream.len());
        cut_points.sort_unstable();
        let opts = permissive();
        let mut got = None;
        for cut in cut_points {
            match EhloReply::parse_prefix_with(&stream[..cut], &opts).unwrap() {
                Status::Complete { value, consumed } => {
                    prop_assert_eq!(consumed, first);
                    got = Some(value.into_owned());
                    break;
                }
                Status::Incomplete => prop_assert!(cut < first),
            }
        }
        prop_assert_eq!(got, Some(ehlo));
    }

    /// No input makes a parser panic; errors point inside the input; a prefix parse that
    /// takes all of the input agrees with the whole parse.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        for opts in [ParseOptions::default(), permissive(), tight(), tolerant()] {
            match Reply::parse_with(&bytes, &opts) {
                Ok(r) => prop_assert_eq!(r.to_vec(), bytes.clone()),
                Err(e) => prop_assert!(e.offset() <= bytes.len()),
            }
            if let Ok(Status::Complete { value, consumed }) = Reply::parse_prefix_with(&bytes, &opts) {
                prop_assert_eq!(Reply::parse_with(&bytes[..consumed], &opts).unwrap(), value);
            }
            if let Err(e) = EhloReply::parse_with(&bytes, &opts) {
                prop_assert!(e.offset() <= bytes.len());
            }
            if let Err(e) = SaslChallenge::parse_with(&bytes, &opts) {
                prop_assert!(e.offset() <= bytes.len());
            }
            prefix_answers_are_final(&bytes, |b| Reply::parse_prefix_with(b, &opts))?;
        }
        let _ = EnhancedCode::parse(&bytes);
    }

    /// Reply-shaped noise: three digits, a separator, text from a small alphabet with line
    /// ends, so that the interesting paths are reached often.
    #[test]
    fn reply_shaped_noise(lines in proptest::collection::vec((200u16..560, prop_oneof![Just(b'-'), Just(b' '), Just(b'\r')], proptest::collection::vec(prop_oneof![Just(b'a'), Just(b' '), Just(b'\r'), Just(b'\n'), Just(b'2'), Just(b'.'), Just(b'\t'), Just(0xc3u8), Just(0xbcu8), Just(0u8), Just(0x1bu8)], 0..12)), 1..5)) {
        let mut bytes = Vec::new();
        for (code, sep, text) in &lines {
            bytes.extend(code.to_string().bytes());
            bytes.push(*sep);
            bytes.extend(text);
            bytes.extend(b"\r\n");
        }
        for opts in [ParseOptions::default(), permissive(), tight(), tolerant()] {
            if let Ok(r) = Reply::parse_with(&bytes, &opts) {
                prop_assert_eq!(r.to_vec(), bytes.clone());
            }
            prefix_answers_are_final(&bytes, |b| Reply::parse_prefix_with(b, &opts))?;
            prefix_answers_are_final(&bytes, |b| EhloReply::parse_prefix_with(b, &opts))?;
            prefix_answers_are_final(&bytes, |b| SaslChallenge::parse_prefix_with(b, &opts))?;
        }
    }
}
