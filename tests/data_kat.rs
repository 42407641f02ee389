//! Known answers for DATA bodies: decoding (dot removal, the end-of-data marker, bare line ends
//! under each policy, line and size limits) and encoding (dot-stuffing across pieces, the final
//! CRLF, refusal and normalization). BDAT is in `bdat_kat.rs`.
//!
//! Every decoding case runs whole, one octet at a time and split at every point, and must
//! agree with the reference model in `tests/body_model`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod body_model;
mod common;

use body_model::run_data;
use common::esc;
use smtp_wire::framing::{BareLineEnds, BodyConfig, DataDecoder, DataEncoder, DataEvent, EncoderConfig};
use smtp_wire::{ParseError, ParseErrorKind};

const REJECT: BodyConfig = BodyConfig::STRICT;

fn policy(p: BareLineEnds) -> BodyConfig {
    BodyConfig::STRICT.with_bare_line_ends(p)
}

/// Decodes `wire` whole, one octet at a time and split once at every point; all must agree
/// with each other and with the model. Returns the whole-input run.
fn data(wire: &[u8], cfg: BodyConfig) -> body_model::DataRun {
    let whole = run_data(wire, cfg, &[]);
    let trickle: Vec<usize> = (1..wire.len()).collect();
    assert_eq!(run_data(wire, cfg, &trickle), whole, "byte at a time: {}", esc(wire));
    for k in 0..=wire.len() {
        assert_eq!(run_data(wire, cfg, &[k]), whole, "split at {k}: {}", esc(wire));
    }
    let model = body_model::data(wire, &cfg);
    match (&whole.end, &model) {
        (Some((at, s)), Some(m)) => {
            assert_eq!(whole.output, m.output, "output vs model: {}", esc(wire));
            assert_eq!(*at as u64, m.wire_len);
            assert_eq!(s.body_len(), m.body_len);
            assert_eq!(s.refusal().map(|e| (e.offset() as u64, e.kind())), m.refusal, "{}", esc(wire));
        }
        (None, None) => {}
        _ => panic!("decoder and model disagree on the end: {}", esc(wire)),
    }
    whole
}

/// Decodes a complete body: returns (output, end offset, refusal).
fn body(wire: &[u8], cfg: BodyConfig) -> (Vec<u8>, usize, Option<ParseError>) {
    let run = data(wire, cfg);
    let (at, s) = run.end.unwrap_or_else(|| panic!("no end in {}", esc(wire)));
    (run.output, at, s.refusal())
}

fn accepted(wire: &[u8], expect: &[u8]) {
    let (out, at, refusal) = body(wire, REJECT);
    assert_eq!(refusal, None, "{}", esc(wire));
    assert_eq!(at, wire.len(), "{}", esc(wire));
    assert_eq!(esc(&out), esc(expect), "{}", esc(wire));
}

fn refused(wire: &[u8], cfg: BodyConfig, kind: ParseErrorKind, offset: usize, yielded: &[u8]) {
    let (out, at, refusal) = body(wire, cfg);
    assert_eq!(at, wire.len(), "read to the end: {}", esc(wire));
    let e = refusal.unwrap_or_else(|| panic!("accepted: {}", esc(wire)));
    assert_eq!((e.kind(), e.offset()), (kind, offset), "{}", esc(wire));
    assert_eq!(esc(&out), esc(yielded), "{}", esc(wire));
}

// --- RFC 5321 §4.1.1.4: the end of data -----------------------------------------------------

#[test]
fn end_of_data_right_after_data_is_an_empty_body() {
    // The CRLF of the DATA command is the first CRLF of the marker (smtp-proto PR #14).
    accepted(b".\r\n", b"");
    let (out, at, _) = body(b".\r\nQUIT\r\n", REJECT);
    assert_eq!((out.as_slice(), at), (&b""[..], 3));
}

#[test]
fn body_includes_the_crlf_before_the_marker() {
    accepted(b"\r\n.\r\n", b"\r\n");
    accepted(b"a\r\n.\r\n", b"a\r\n");
    accepted(b"Subject: x\r\n\r\nbody\r\n.\r\n", b"Subject: x\r\n\r\nbody\r\n");
}

#[test]
fn octets_after_the_marker_are_not_consumed() {
    let wire = b"a\r\n.\r\nMAIL FROM:<a@b>\r\n";
    let (out, at, _) = body(wire, REJECT);
    assert_eq!((out.as_slice(), &wire[at..]), (&b"a\r\n"[..], &b"MAIL FROM:<a@b>\r\n"[..]));
}

#[test]
fn no_end_without_the_marker() {
    for wire in [&b""[..], b"a", b"a\r\n", b"a\r\n.", b"a\r\n.\r", b".", b".\r", b"a\r\n..\r\n", b"a.\r\n"] {
        let run = data(wire, REJECT);
        assert_eq!(run.end, None, "{}", esc(wire));
    }
    // What was certain was yielded; the held dot and CR were not.
    assert_eq!(data(b"a\r\n.\r", REJECT).output, b"a\r\n");
    assert_eq!(data(b"ab\r", REJECT).output, b"ab");
}

#[test]
fn a_dot_inside_a_line_is_data() {
    accepted(b"a.\r\n.\r\n", b"a.\r\n");
    accepted(b"a\r\nb.\r\n.\r\n", b"a\r\nb.\r\n");
    accepted(b"a . b\r\n.\r\n", b"a . b\r\n");
}

// --- RFC 5321 §4.5.2: transparency --------------------------------------------------------------

#[test]
fn leading_dots_are_removed_once() {
    // A body that is just ".".
    accepted(b"..\r\n.\r\n", b".\r\n");
    // Lines of only dots.
    accepted(b"...\r\n....\r\n.....\r\n.\r\n", b"..\r\n...\r\n....\r\n");
    accepted(b"a\r\n..b\r\n.\r\n", b"a\r\n.b\r\n");
    // A leading dot the sender did not double is still removed (§4.5.2: the first character
    // is deleted whenever there are others on the line).
    accepted(b".a\r\n.\r\n", b"a\r\n");
    // The first line of the body is a line start too.
    accepted(b"..first\r\n.\r\n", b".first\r\n");
    // An empty line then a dot line: the double-CRLF case of RUSTSEC-2021-0069.
    accepted(b"a\r\n\r\n..\r\nb\r\n.\r\n", b"a\r\n\r\n.\r\nb\r\n");
}

#[test]
fn nul_is_data_and_never_removed() {
    accepted(b"\x00\r\n.\r\n", b"\x00\r\n");
    accepted(b"a\x00b\r\n\x00.\r\n.\r\n", b"a\x00b\r\n\x00.\r\n");
    accepted(b".\x00\r\n.\r\n", b"\x00\r\n");
}

#[test]
fn eight_bit_octets_are_data() {
    accepted("Grüße\r\n.\r\n".as_bytes(), "Grüße\r\n".as_bytes());
    accepted(b"\xff\xfe\x80\r\n.\r\n", b"\xff\xfe\x80\r\n");
}

#[test]
fn crlf_split_across_reads() {
    // `data` already splits every case at every point; these are the boundaries that matter.
    let wire = b"line one\r\n..two\r\n.\r\n";
    for k in [9, 10, 11, 12, 17, 18, 19] {
        let run = run_data(wire, REJECT, &[k]);
        assert_eq!(run.output, b"line one\r\n.two\r\n", "split at {k}");
        assert_eq!(run.end.unwrap().0, wire.len());
    }
}

#[test]
fn runs_borrow_from_the_input() {
    let wire = b"Hello\r\nworld\r\n.\r\n";
    let mut dec = DataDecoder::default();
    let d = dec.decode(wire);
    let DataEvent::Body(run) = d.event else { panic!() };
    assert_eq!(run, b"Hello\r\nworld\r\n");
    assert_eq!(run.as_ptr(), wire.as_ptr(), "zero copy");
    assert_eq!(d.consumed, 14);
    let d = dec.decode(&wire[14..]);
    assert!(matches!(d.event, DataEvent::End(_)));
    assert_eq!(d.consumed, 3);
}

#[test]
fn empty_input_needs_more() {
    let mut dec = DataDecoder::default();
    assert_eq!(dec.decode(b"").event, DataEvent::NeedMore);
    assert_eq!(dec.decode(b"").consumed, 0);
    assert!(!dec.is_done());
}

// --- Bare line ends, under each policy -----------------------------------------------------------

#[test]
fn bare_lf_under_each_policy() {
    let wire = b"a\nb\r\n.\r\n";
    refused(wire, REJECT, ParseErrorKind::BareLf, 1, b"a");
    let (out, _, r) = body(wire, policy(BareLineEnds::Normalize));
    assert_eq!((out.as_slice(), r), (&b"a\r\nb\r\n"[..], None));
    let (out, _, r) = body(wire, policy(BareLineEnds::Allow));
    assert_eq!((out.as_slice(), r), (&b"a\nb\r\n"[..], None));
}

#[test]
fn bare_cr_under_each_policy() {
    let wire = b"a\rb\r\n.\r\n";
    refused(wire, REJECT, ParseErrorKind::BareCr, 1, b"a");
    assert_eq!(body(wire, policy(BareLineEnds::Normalize)).0, b"a\r\nb\r\n");
    assert_eq!(body(wire, policy(BareLineEnds::Allow)).0, b"a\rb\r\n");
    // CR CR LF: the first CR is bare, the second starts a CRLF.
    let wire = b"a\r\r\n.\r\n";
    refused(wire, REJECT, ParseErrorKind::BareCr, 1, b"a");
    assert_eq!(body(wire, policy(BareLineEnds::Normalize)).0, b"a\r\n\r\n");
    assert_eq!(body(wire, policy(BareLineEnds::Allow)).0, b"a\r\r\n");
    // A bare CR at the start of the body and right after a removed dot.
    refused(b"\rx\r\n.\r\n", REJECT, ParseErrorKind::BareCr, 0, b"");
    refused(b".\rx\r\n.\r\n", REJECT, ParseErrorKind::BareCr, 1, b"");
    assert_eq!(body(b".\rx\r\n.\r\n", policy(BareLineEnds::Allow)).0, b"\rx\r\n");
    assert_eq!(body(b".\rx\r\n.\r\n", policy(BareLineEnds::Normalize)).0, b"\r\nx\r\n");
}

#[test]
fn the_first_refusal_by_offset_wins() {
    refused(b"a\rb\nc\r\n.\r\n", REJECT, ParseErrorKind::BareCr, 1, b"a");
    refused(b"ab\nc\rd\r\n.\r\n", REJECT, ParseErrorKind::BareLf, 2, b"ab");
    // After a refusal nothing more is yielded, and the end is still found.
    refused(b"ok\r\nbad\nline\r\nmore\r\n.\r\n", REJECT, ParseErrorKind::BareLf, 7, b"ok\r\nbad");
}

#[test]
fn normalized_line_ends_do_not_start_lines() {
    // After a bare LF, `.` CRLF is data, not the end, and the dot is kept.
    let cfg = policy(BareLineEnds::Normalize);
    let (out, at, r) = body(b"a\n.\r\nb\r\n.\r\n", cfg);
    assert_eq!((esc(&out), at, r), (esc(b"a\r\n.\r\nb\r\n"), 11, None));
    let (out, _, _) = body(b"a\n..b\r\n.\r\n", cfg);
    assert_eq!(out, b"a\r\n..b\r\n");
    let (out, _, _) = body(b"a\r.\r\n.\r\n", cfg);
    assert_eq!(out, b"a\r\n.\r\n");
}

// --- RFC 5321 §4.5.3.1.6: text lines ---------------------------------------------------------------

#[test]
fn line_limit_counts_crlf_and_not_the_stuffing_dot() {
    let line = |n: usize, lead: &[u8]| {
        let mut v = lead.to_vec();
        v.extend(std::iter::repeat_n(b'x', n));
        v.extend_from_slice(b"\r\n.\r\n");
        v
    };
    let ok = line(998, b"");
    assert_eq!(run_data(&ok, REJECT, &[]).end.unwrap().1.refusal(), None);
    let long = line(999, b"");
    let (_, _, r) = body(&long, REJECT);
    assert_eq!(r.map(|e| (e.kind(), e.offset())), Some((ParseErrorKind::LineTooLong { limit: 1000 }, 998)));
    // A stuffing dot does not count: "." + 998 octets decodes to a 998-octet line.
    let stuffed = line(998, b".");
    assert_eq!(run_data(&stuffed, REJECT, &[]).end.unwrap().1.refusal(), None);
    // ".." + 997 is a 998-octet line (".xxx…"); ".." + 998 is one octet too long.
    assert_eq!(run_data(&line(997, b".."), REJECT, &[]).end.unwrap().1.refusal(), None);
    let r = run_data(&line(998, b".."), REJECT, &[]).end.unwrap().1.refusal().unwrap();
    assert_eq!((r.kind(), r.offset()), (ParseErrorKind::LineTooLong { limit: 1000 }, 999));
    // No limit.
    let free = BodyConfig::STRICT.with_max_line(None);
    assert_eq!(run_data(&line(100_000, b""), free, &[]).end.unwrap().1.refusal(), None);
}

#[test]
fn small_line_limits() {
    let cfg = BodyConfig::STRICT.with_max_line(Some(8));
    accepted_with(b"abcdef\r\n.\r\n", cfg, b"abcdef\r\n");
    refused(b"abcdefg\r\n.\r\n", cfg, ParseErrorKind::LineTooLong { limit: 8 }, 6, b"abcdef");
    refused(b"ok\r\nabcdefgh\r\nok\r\n.\r\n", cfg, ParseErrorKind::LineTooLong { limit: 8 }, 10, b"ok\r\nabcdef");
    // Normalized line ends end lines.
    let n = cfg.with_bare_line_ends(BareLineEnds::Normalize);
    accepted_with(b"abcdef\nabcdef\r\n.\r\n", n, b"abcdef\r\nabcdef\r\n");
    // Kept bare line ends are line content.
    let a = cfg.with_bare_line_ends(BareLineEnds::Allow);
    refused(b"abc\ndef\r\n.\r\n", a, ParseErrorKind::LineTooLong { limit: 8 }, 6, b"abc\nde");
    // A bare CR that is also the octet past the limit: the bare CR is reported.
    refused(b"abcdef\rX\r\n.\r\n", cfg, ParseErrorKind::BareCr, 6, b"abcdef");
    refused(b"abcdef\rX\r\n.\r\n", a, ParseErrorKind::LineTooLong { limit: 8 }, 6, b"abcdef");
}

fn accepted_with(wire: &[u8], cfg: BodyConfig, expect: &[u8]) {
    let (out, at, r) = body(wire, cfg);
    assert_eq!((esc(&out), at, r), (esc(expect), wire.len(), None));
}

// --- RFC 1870: the message size ----------------------------------------------------------------

#[test]
fn size_limit_counts_decoded_octets_and_reads_to_the_end() {
    let cfg = BodyConfig::STRICT.with_max_size(Some(5));
    accepted_with(b"abc\r\n.\r\n", cfg, b"abc\r\n");
    // Stuffing dots are not counted (RFC 1870 §3).
    accepted_with(b"..\r\n..\r\n.\r\n", BodyConfig::STRICT.with_max_size(Some(6)), b".\r\n.\r\n");
    // One octet over: refused at the first octet past the limit, nothing past it yielded.
    let wire = b"abcd\r\n.\r\nQUIT\r\n";
    let run = data(wire, cfg);
    let (at, s) = run.end.unwrap();
    assert_eq!(&wire[at..], b"QUIT\r\n");
    assert_eq!(s.refusal().map(|e| (e.kind(), e.offset())), Some((ParseErrorKind::MessageTooLarge { limit: 5 }, 5)));
    assert_eq!(run.output, b"abcd\r");
    assert_eq!((s.body_len(), s.wire_len()), (6, 9));
    assert_eq!(s.result(), Err(s.refusal().unwrap()));
    // A large body is consumed in full, the output capped.
    let mut big = Vec::new();
    for _ in 0..1000 {
        big.extend_from_slice(b"0123456789012345678901234567890123456789\r\n");
    }
    big.extend_from_slice(b".\r\nQUIT\r\n");
    let run = run_data(&big, BodyConfig::STRICT.with_max_size(Some(1000)), &[100, 5000, 20000]);
    let (at, s) = run.end.unwrap();
    assert_eq!((run.output.len(), at, s.body_len()), (1000, big.len() - 6, 42_000));
    // A limit of 0: every non-empty body is too large.
    let (out, _, r) = body(b"a\r\n.\r\n", BodyConfig::STRICT.with_max_size(Some(0)));
    assert_eq!((out.len(), r.map(|e| e.offset())), (0, Some(0)));
    accepted_with(b".\r\n", BodyConfig::STRICT.with_max_size(Some(0)), b"");
}

#[test]
fn size_limit_with_normalized_line_ends() {
    // A normalized LF is two decoded octets from one wire octet.
    let cfg = policy(BareLineEnds::Normalize).with_max_size(Some(2));
    let (out, _, r) = body(b"a\nb\r\n.\r\n", cfg);
    assert_eq!(r.map(|e| (e.kind(), e.offset())), Some((ParseErrorKind::MessageTooLarge { limit: 2 }, 1)));
    assert_eq!(out, b"a");
}

// --- Summaries, configuration, errors -------------------------------------------------------------

#[test]
fn summary_and_accessors() {
    let mut dec = DataDecoder::new(BodyConfig::STRICT.with_max_size(Some(100)));
    assert_eq!(dec.config().max_size(), Some(100));
    assert_eq!(dec.refusal(), None);
    let d = dec.decode(b"x\ny\r\n");
    assert_eq!(d.event, DataEvent::Body(b"x"));
    assert_eq!(d.consumed, 5, "consumed through the line, yielded up to the refusal");
    assert_eq!(dec.refusal().map(|e| e.offset()), Some(1), "visible before the end");
    let s = dec.summary();
    assert!(!s.is_accepted());
    assert_eq!((s.wire_len(), s.body_len()), (5, 5));
}

#[test]
fn config_defaults_and_builders() {
    let c = BodyConfig::default();
    assert_eq!(c, BodyConfig::STRICT);
    assert_eq!((c.bare_line_ends(), c.max_line(), c.max_size()), (BareLineEnds::Reject, Some(1000), None));
    let b = BodyConfig::BINARYMIME;
    assert_eq!((b.bare_line_ends(), b.max_line(), b.max_size()), (BareLineEnds::Allow, None, None));
    let c = c.with_bare_line_ends(BareLineEnds::Normalize).with_max_line(Some(2000)).with_max_size(Some(7));
    assert_eq!((c.bare_line_ends(), c.max_line(), c.max_size()), (BareLineEnds::Normalize, Some(2000), Some(7)));
    assert_eq!(BareLineEnds::default(), BareLineEnds::Reject);
    let e = EncoderConfig::default();
    assert_eq!((e.normalize(), e.max_line()), (false, Some(1000)));
    let e = e.with_normalize(true).with_max_line(None);
    assert_eq!((e.normalize(), e.max_line()), (true, None));
    assert_eq!(DataDecoder::default().config(), &BodyConfig::STRICT);
}

#[test]
fn error_kinds_display() {
    assert_eq!(ParseErrorKind::MessageTooLarge { limit: 10 }.to_string(), "message larger than 10 octets");
    assert_eq!(ParseErrorKind::BdatAfterLast.to_string(), "BDAT after the LAST chunk");
    assert_eq!(ParseErrorKind::ChunkInProgress.to_string(), "BDAT chunk started before the previous one ended");
    assert_eq!(ParseError::new(3, ParseErrorKind::BareLf).to_string(), "bare LF (not preceded by CR) at byte 3");
}

// --- DATA encoding -------------------------------------------------------------------------------

/// Encodes `body` whole and split at every point (and, for short bodies, into three pieces at
/// every pair of points); all must agree. A refused call leaves nothing of itself in the
/// output (all or nothing), so on an error only the error is compared.
fn encode_with(body: &[u8], config: EncoderConfig) -> Result<Vec<u8>, (ParseError, Vec<u8>)> {
    let run = |cuts: &[usize]| {
        let mut enc = DataEncoder::new(config);
        let mut out = b"before".to_vec();
        let mut from = 0;
        for &c in cuts.iter().chain([&body.len()]) {
            let before = out.clone();
            if let Err(e) = enc.encode(&body[from..c], &mut out) {
                assert_eq!(enc.error(), Some(e));
                assert_eq!(out, before, "a refused call left octets behind");
                return Err((e, Vec::new()));
            }
            from = c;
        }
        let before = out.clone();
        let r = enc.finish(&mut out);
        if r.is_err() {
            assert_eq!(out, before, "a refused finish left octets behind");
        }
        r.map(|()| out[6..].to_vec()).map_err(|e| (e, Vec::new()))
    };
    let whole = run(&[]);
    for a in 0..=body.len() {
        assert_eq!(run(&[a]), whole, "split at {a}: {}", esc(body));
        if body.len() <= 64 {
            for b in a..=body.len() {
                assert_eq!(run(&[a, b]), whole, "split at {a},{b}: {}", esc(body));
            }
        }
    }
    whole
}

fn encode(body: &[u8]) -> Vec<u8> {
    let wire = encode_with(body, EncoderConfig::STRICT).unwrap_or_else(|(e, _)| panic!("{e}: {}", esc(body)));
    assert_eq!(esc(&wire), esc(&body_model::stuff(body)), "vs the reference stuffing");
    // A strict decoder reads back exactly the body (with its final CRLF).
    let (out, at, r) = body_of(&wire);
    assert_eq!((esc(&out), at, r), (esc(&body_model::with_final_crlf(body)), wire.len(), None));
    wire
}

fn body_of(wire: &[u8]) -> (Vec<u8>, usize, Option<ParseError>) {
    let run = run_data(wire, BodyConfig::STRICT, &[]);
    let (at, s) = run.end.unwrap();
    (run.output, at, s.refusal())
}

#[test]
fn encoder_known_answers() {
    assert_eq!(encode(b""), b".\r\n");
    assert_eq!(encode(b"."), b"..\r\n.\r\n");
    assert_eq!(encode(b".\r\n"), b"..\r\n.\r\n");
    assert_eq!(encode(b"a"), b"a\r\n.\r\n");
    assert_eq!(encode(b"a\r\n"), b"a\r\n.\r\n");
    assert_eq!(encode(b"\r\n"), b"\r\n.\r\n");
    assert_eq!(encode(b"..\r\n...\r\n"), b"...\r\n....\r\n.\r\n");
    assert_eq!(encode(b"a.b\r\n.c"), b"a.b\r\n..c\r\n.\r\n");
    assert_eq!(encode(b"\x00.\r\n"), b"\x00.\r\n.\r\n");
}

#[test]
fn encoder_stuffs_after_a_double_crlf() {
    // RUSTSEC-2021-0069 (lettre): a `.` after an empty line was not stuffed, so the body ended
    // DATA early and the rest ran as commands.
    let body = b"Hi\r\n\r\n.\r\nMAIL FROM:<attacker@example.org>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n";
    let wire = encode(body);
    assert!(wire.starts_with(b"Hi\r\n\r\n..\r\nMAIL FROM"), "{}", esc(&wire));
    let end = wire.windows(5).position(|w| w == b"\r\n.\r\n").unwrap();
    assert_eq!(end + 5, wire.len(), "the only end-of-data marker is the last one");
}

#[test]
fn encoder_stuffs_line_starts_in_later_pieces() {
    for pieces in
        [&[&b"a\r\n"[..], b".b"][..], &[b"a\r", b"\n.b"], &[b"a", b"\r", b"\n", b".", b"b"], &[b"", b".", b""]]
    {
        let mut enc = DataEncoder::default();
        let mut out = Vec::new();
        let mut body = Vec::new();
        for p in pieces {
            enc.encode(p, &mut out).unwrap();
            body.extend_from_slice(p);
        }
        enc.finish(&mut out).unwrap();
        assert_eq!(out, body_model::stuff(&body), "{pieces:?}");
    }
}

#[test]
fn encoder_refuses_bare_line_ends_by_default() {
    for (body, kind, at) in [
        (&b"a\nb"[..], ParseErrorKind::BareLf, 1),
        (b"a\rb", ParseErrorKind::BareCr, 1),
        (b"\n", ParseErrorKind::BareLf, 0),
        (b"ok\r\n.x\r\ny\rz", ParseErrorKind::BareCr, 9),
        (b"a\r", ParseErrorKind::BareCr, 1), // found at finish
        (b"a\r\r\n", ParseErrorKind::BareCr, 1),
    ] {
        // `encode_with` checks that each refused call left nothing of itself behind.
        let (e, _) = encode_with(body, EncoderConfig::STRICT).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (kind, at), "{}", esc(body));
        assert_eq!(body_model::first_bare(body), Some((at, kind)));
    }
    // The error sticks, and a refused call writes nothing, earlier calls' output stays.
    let mut enc = DataEncoder::default();
    let mut out = Vec::new();
    enc.encode(b"ok\r\n", &mut out).unwrap();
    let e = enc.encode(b"x\ny", &mut out).unwrap_err();
    assert_eq!(enc.encode(b"fine\r\n", &mut out), Err(e));
    assert_eq!(enc.finish(&mut out), Err(e));
    assert_eq!(out, b"ok\r\n");
}

#[test]
fn encoder_normalizes_when_asked() {
    let n = EncoderConfig::STRICT.with_normalize(true);
    for (body, wire) in [
        (&b"a\nb"[..], &b"a\r\nb\r\n.\r\n"[..]),
        (b"a\rb", b"a\r\nb\r\n.\r\n"),
        (b"a\r", b"a\r\n.\r\n"),
        (b"a\r\r\n", b"a\r\n\r\n.\r\n"),
        (b"\n.\n", b"\r\n..\r\n.\r\n"),
        (b"x\n.\r\nMAIL FROM:<a@b>\n", b"x\r\n..\r\nMAIL FROM:<a@b>\r\n.\r\n"),
        (b"\r", b"\r\n.\r\n"),
    ] {
        let out = encode_with(body, n).unwrap_or_else(|(e, _)| panic!("{e}"));
        assert_eq!(esc(&out), esc(wire), "{}", esc(body));
        let (dec, at, r) = body_of(&out);
        assert_eq!(
            (esc(&dec), at, r),
            (esc(&body_model::with_final_crlf(&body_model::normalize(body))), out.len(), None)
        );
    }
}

#[test]
fn encoder_line_limit() {
    let long = [b'x'; 999];
    let (e, _) = encode_with(&long[..], EncoderConfig::STRICT).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::LineTooLong { limit: 1000 }, 998));
    assert!(encode_with(&long[..998], EncoderConfig::STRICT).is_ok());
    // The stuffing dot is not counted.
    let mut dotted = vec![b'.'];
    dotted.extend_from_slice(&long[..997]);
    assert_eq!(encode_with(&dotted, EncoderConfig::STRICT).unwrap().len(), 1 + 998 + 2 + 3);
    assert!(encode_with(&long[..], EncoderConfig::STRICT.with_max_line(None)).is_ok());
}
