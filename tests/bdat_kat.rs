//! Known answers for BDAT bodies (RFC 3030): exact counts, `BDAT 0 LAST`, size parsing,
//! binary payloads, text bodies under each bare-line-end policy, refused chunks read to their
//! end, chunk encoding. Every decoding case agrees with the reference model in
//! `tests/body_model`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod body_model;
mod common;

use body_model::{bdat_messages, run_bdat};
use common::esc;
use smtp_wire::framing::{BareLineEnds, BdatDecoder, BdatEncoder, BdatEvent, BodyConfig, EncoderConfig};
use smtp_wire::{Command, CommandBody, Encode, ParseError, ParseErrorKind};

fn policy(p: BareLineEnds) -> BodyConfig {
    BodyConfig::STRICT.with_bare_line_ends(p)
}

// --- BDAT (RFC 3030) ---------------------------------------------------------------------------------

#[test]
fn bdat_sizes_parse_without_overflow() {
    let ok = |l: &[u8], size: u64, last: bool| {
        let c = Command::parse(l).unwrap();
        assert_eq!(c.body(), &CommandBody::Bdat { size, last });
        assert_eq!(c.to_vec(), l);
    };
    ok(b"BDAT 0 LAST\r\n", 0, true);
    ok(b"BDAT 0\r\n", 0, false);
    ok(b"BDAT 18446744073709551615\r\n", u64::MAX, false);
    for line in [&b"BDAT 18446744073709551616\r\n"[..], b"BDAT 999999999999999999999999999999 LAST\r\n"] {
        assert_eq!(Command::parse(line).unwrap_err().kind(), ParseErrorKind::NumberOverflow, "{}", esc(line));
    }
    assert!(Command::parse(b"BDAT -1\r\n").is_err());
    assert!(Command::parse(b"BDAT 10 LAST x\r\n").is_err());
}

fn bdat(chunks: &[(u64, bool)], payload: &[u8], cfg: BodyConfig) -> body_model::BdatRun {
    let whole = run_bdat(chunks, payload, cfg, &[]);
    let trickle: Vec<usize> = (1..payload.len()).collect();
    assert_eq!(run_bdat(chunks, payload, cfg, &trickle), whole, "byte at a time: {}", esc(payload));
    for k in 0..=payload.len() {
        assert_eq!(run_bdat(chunks, payload, cfg, &[k]), whole, "split at {k}");
    }
    bdat_messages(chunks, payload, &cfg).check(&whole);
    whole
}

#[test]
fn bdat_zero_last() {
    let run = bdat(&[(0, true)], b"", BodyConfig::STRICT);
    assert_eq!(run.output, b"");
    assert_eq!(run.ends.len(), 1);
    let s = run.ends[0].summary();
    assert_eq!((s.body_len(), s.wire_len(), s.is_accepted()), (0, 0, true));
    // Nothing is consumed for an empty chunk: the next command is untouched.
    let mut dec = BdatDecoder::default();
    dec.start_chunk(0, true).unwrap();
    let d = dec.decode(b"QUIT\r\n");
    assert_eq!(d.consumed, 0);
    assert!(matches!(d.event, BdatEvent::ChunkEnd(e) if e.is_last()));
    assert!(dec.is_complete());
}

#[test]
fn bdat_exact_counts() {
    let mut dec = BdatDecoder::default();
    dec.start_chunk(5, false).unwrap();
    let input = b"Hi\r\nxBDAT 2 LAST\r\n";
    let d = dec.decode(input);
    assert_eq!((d.consumed, d.event), (5, BdatEvent::Body(b"Hi\r\nx")));
    let d = dec.decode(&input[5..]);
    assert_eq!(d.consumed, 0);
    let BdatEvent::ChunkEnd(end) = d.event else { panic!("{d:?}") };
    assert_eq!((end.size(), end.is_last()), (5, false));
    assert!(!dec.is_complete());
    assert_eq!(dec.decode(&input[5..]).event, BdatEvent::Idle);
}

#[test]
fn bdat_has_no_dot_semantics() {
    let payload = b"a\r\n.\r\n..b\r\n.\r\n";
    let run = bdat(&[(payload.len() as u64, true)], payload, BodyConfig::STRICT);
    assert_eq!(run.output, payload);
    assert!(run.ends[0].summary().is_accepted());
}

#[test]
fn bdat_binarymime_passes_every_octet() {
    let payload: Vec<u8> = (0..=255u8).chain(b"\r\r\n\n.\r\n".iter().copied()).collect();
    let n = payload.len() as u64;
    let run = bdat(&[(100, false), (0, false), (n - 100, true)], &payload, BodyConfig::BINARYMIME);
    assert_eq!(run.output, payload);
    assert!(run.ends.iter().all(|e| e.summary().is_accepted()));
    assert_eq!(run.ends[2].summary().body_len(), n);
}

#[test]
fn bdat_text_bodies_follow_the_policy() {
    // A CRLF split across two chunks is a CRLF.
    let run = bdat(&[(2, false), (3, true)], b"a\r\nb\r", policy(BareLineEnds::Normalize));
    assert_eq!(run.output, b"a\r\nb\r\n");
    let run = bdat(&[(2, false), (4, true)], b"a\r\nb\r\n", BodyConfig::STRICT);
    assert_eq!(run.output, b"a\r\nb\r\n");
    assert!(run.ends[1].summary().is_accepted());
    // A bare LF refuses the message; the rest of the chunk and the next chunk are still read.
    let run = bdat(&[(4, false), (3, true)], b"ab\ncdef", BodyConfig::STRICT);
    assert_eq!(run.output, b"ab");
    let r = run.ends[0].summary().refusal().unwrap();
    assert_eq!((r.kind(), r.offset()), (ParseErrorKind::BareLf, 2));
    assert_eq!(run.ends[1].summary().refusal(), Some(r));
    assert_eq!(run.ends[1].summary().wire_len(), 7);
    // A CR at the very end of the message is bare.
    let run = bdat(&[(2, true)], b"a\r", BodyConfig::STRICT);
    assert_eq!(run.ends[0].summary().refusal().map(|e| (e.kind(), e.offset())), Some((ParseErrorKind::BareCr, 1)));
    assert_eq!(bdat(&[(2, true)], b"a\r", policy(BareLineEnds::Allow)).output, b"a\r");
    // A message need not end with CRLF.
    assert_eq!(bdat(&[(3, true)], b"abc", BodyConfig::STRICT).output, b"abc");
}

#[test]
fn bdat_limits_span_chunks() {
    let cfg = BodyConfig::STRICT.with_max_size(Some(4));
    let run = bdat(&[(3, false), (2, true)], b"abcde", cfg);
    assert_eq!(run.output, b"abcd");
    assert!(run.ends[0].summary().is_accepted());
    let r = run.ends[1].summary().refusal().unwrap();
    assert_eq!((r.kind(), r.offset()), (ParseErrorKind::MessageTooLarge { limit: 4 }, 4));
    let cfg = BodyConfig::STRICT.with_max_line(Some(5));
    let run = bdat(&[(2, false), (2, true)], b"abcd", cfg);
    assert_eq!(
        run.ends[1].summary().refusal().map(|e| (e.kind(), e.offset())),
        Some((ParseErrorKind::LineTooLong { limit: 5 }, 3))
    );
}

#[test]
fn bdat_after_last_is_read_and_refused() {
    let run = bdat(&[(2, true), (3, false), (1, true)], b"okxyzw", BodyConfig::STRICT);
    assert_eq!(run.output, b"ok");
    assert!(run.ends[0].summary().is_accepted());
    for e in &run.ends[1..] {
        let r = e.summary().refusal().unwrap();
        assert_eq!((r.kind(), r.offset()), (ParseErrorKind::BdatAfterLast, 0));
    }
    // RSET: a new transaction.
    let mut dec = BdatDecoder::default();
    dec.start_chunk(0, true).unwrap();
    assert!(matches!(dec.decode(b"").event, BdatEvent::ChunkEnd(_)));
    dec.reset();
    assert!(!dec.is_complete());
    dec.start_chunk(1, true).unwrap();
    assert_eq!(dec.decode(b"z").event, BdatEvent::Body(b"z"));
    assert!(matches!(dec.decode(b"").event, BdatEvent::ChunkEnd(e) if e.summary().is_accepted()));
}

#[test]
fn bdat_chunk_in_progress_is_an_error() {
    let mut dec = BdatDecoder::default();
    dec.start_chunk(3, false).unwrap();
    let e = dec.start_chunk(3, true).unwrap_err();
    assert_eq!(e.kind(), ParseErrorKind::ChunkInProgress);
    assert_eq!(dec.decode(b"abc").event, BdatEvent::Body(b"abc"));
    assert!(matches!(dec.decode(b"").event, BdatEvent::ChunkEnd(e) if e.size() == 3 && !e.is_last()));
    dec.start_chunk(3, true).unwrap();
}

#[test]
fn bdat_huge_chunk_sizes() {
    let mut dec = BdatDecoder::new(BodyConfig::BINARYMIME.with_max_size(Some(10)));
    dec.start_chunk(u64::MAX, true).unwrap();
    let d = dec.decode(&[7u8; 64]);
    assert_eq!((d.consumed, d.event), (64, BdatEvent::Body(&[7u8; 10][..])));
    assert_eq!(dec.decode(&[7u8; 64]).event, BdatEvent::NeedMore);
    assert_eq!(dec.summary().body_len(), 128);
    assert!(dec.in_chunk());
}

// --- BDAT encoding ---------------------------------------------------------------------------------

/// Encodes pieces as chunks (the last with `finish`), then parses the wire back as BDAT
/// commands and decodes it with `dec`; returns (wire, decoded body).
fn bdat_round(enc: BdatEncoder, pieces: &[&[u8]], dec: BodyConfig) -> Result<(Vec<u8>, Vec<u8>), ParseError> {
    let mut enc = enc;
    let mut wire = Vec::new();
    let (last, init) = pieces.split_last().unwrap();
    for p in init {
        enc.encode(p, &mut wire)?;
    }
    enc.finish(last, &mut wire)?;
    let (out, _) = body_model::decode_bdat_wire(&wire, dec);
    Ok((wire, out))
}

#[test]
fn bdat_encoder_known_answers() {
    let (wire, out) =
        bdat_round(BdatEncoder::binarymime(), &[b"a\rb", b"", b"\n.\r\n"], BodyConfig::BINARYMIME).unwrap();
    assert_eq!(wire, b"BDAT 3\r\na\rbBDAT 4 LAST\r\n\n.\r\n");
    assert_eq!(out, b"a\rb\n.\r\n");
    let (wire, _) = bdat_round(BdatEncoder::binarymime(), &[b""], BodyConfig::BINARYMIME).unwrap();
    assert_eq!(wire, b"BDAT 0 LAST\r\n");
    let (wire, out) = bdat_round(BdatEncoder::default(), &[b"a\r", b"\nb\r\n"], BodyConfig::STRICT).unwrap();
    assert_eq!(wire, b"BDAT 1\r\naBDAT 5 LAST\r\n\r\nb\r\n", "the CR travels with its LF");
    assert_eq!(out, b"a\r\nb\r\n");
    let n = BdatEncoder::new(EncoderConfig::STRICT.with_normalize(true));
    let (wire, out) = bdat_round(n, &[b"x\ny\r", b"", b"z\r"], BodyConfig::STRICT).unwrap();
    assert_eq!(wire, b"BDAT 4\r\nx\r\nyBDAT 5 LAST\r\n\r\nz\r\n");
    assert_eq!(out, b"x\r\ny\r\nz\r\n");
    // Only a held CR: nothing written until the next piece.
    let (wire, _) = bdat_round(BdatEncoder::default(), &[b"\r", b"\n"], BodyConfig::STRICT).unwrap();
    assert_eq!(wire, b"BDAT 2 LAST\r\n\r\n");
}

#[test]
fn bdat_encoder_refuses_without_writing_the_chunk() {
    let mut enc = BdatEncoder::default();
    let mut out = Vec::new();
    enc.encode(b"ok\r\n", &mut out).unwrap();
    let e = enc.encode(b"bad\nline", &mut out).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::BareLf, 7));
    assert_eq!(out, b"BDAT 4\r\nok\r\n", "nothing of the refused chunk");
    assert_eq!(enc.error(), Some(e));
    assert_eq!(enc.encode(b"fine", &mut out), Err(e));
    assert_eq!(enc.finish(b"", &mut out), Err(e));
    let e = BdatEncoder::default().finish(b"end\r", &mut out).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::BareCr, 3));
    let e = BdatEncoder::default().finish(&[b'x'; 1001], &mut Vec::new()).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::LineTooLong { limit: 1000 }, 998));
}
