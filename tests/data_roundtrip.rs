//! Property tests for message bodies: encode then decode gives the body back for any bytes
//! (normalized when the body has bare line ends and the encoder normalizes), the encoders
//! refuse exactly what they must, and decoding is split-invariant and agrees with the naive
//! reference model (`tests/body_model`) for any stream, any policy and any limits.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod body_model;
mod common;

use body_model::{first_bare, normalize, run_bdat, run_data, stuff, with_final_crlf};
use common::esc;
use proptest::prelude::*;
use smtp_wire::framing::{BareLineEnds, BdatEncoder, BodyConfig, DataEncoder, EncoderConfig};
use smtp_wire::{ParseError, ParseErrorKind};

/// Bytes biased towards what matters in a body: CR, LF, dots, NUL, end-of-data markers and
/// their smuggling variants, mixed with any octet.
fn body_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        4 => any::<u8>().prop_map(|b| vec![b]),
        3 => Just(b"\r\n".to_vec()),
        2 => Just(b".".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n.".to_vec()),
        1 => Just(b"\r\n.\r\n".to_vec()),
        1 => Just(b"\n.\r\n".to_vec()),
        1 => Just(b"\r\n..\r\n".to_vec()),
        1 => Just(b"\x00".to_vec()),
        2 => "[a-zA-Z ]{1,12}".prop_map(String::into_bytes),
    ];
    proptest::collection::vec(token, 0..max).prop_map(|v| v.concat())
}

/// Bodies with no bare CR or LF.
fn text_body(max: usize) -> impl Strategy<Value = Vec<u8>> {
    body_bytes(max).prop_map(|b| {
        // Drop every bare CR and LF.
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'\r', Some(b'\n')) => {
                    out.extend_from_slice(b"\r\n");
                    i += 2;
                }
                (b'\r' | b'\n', _) => i += 1,
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    })
}

fn config() -> impl Strategy<Value = BodyConfig> {
    (0..3u8, prop::option::of(3..40usize), prop::option::of(0..300u64)).prop_map(|(p, line, size)| {
        let policy = [BareLineEnds::Reject, BareLineEnds::Normalize, BareLineEnds::Allow][p as usize];
        BodyConfig::STRICT.with_bare_line_ends(policy).with_max_line(line).with_max_size(size)
    })
}

fn cuts(max: usize) -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..max, 0..12)
}

fn encode_data(body: &[u8], config: EncoderConfig, cuts: &[usize]) -> Result<Vec<u8>, ParseError> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    points.sort_unstable();
    let mut enc = DataEncoder::new(config);
    let mut out = Vec::new();
    let mut from = 0;
    for c in points.into_iter().chain([body.len()]) {
        enc.encode(&body[from..c], &mut out)?;
        from = c;
    }
    enc.finish(&mut out)?;
    Ok(out)
}

/// Long bodies of mostly clean lines (lengths around `limit`), with rare defects: bare CR or
/// LF, lines that start with dots, and lines over the limit. These reach the decoders' bulk
/// fast path, which only takes clean regions of at least 256 octets.
fn long_body(limit: usize) -> impl Strategy<Value = Vec<u8>> {
    let line = (0..limit + limit / 4 + 2, 0..40u8, any::<u8>()).prop_map(|(len, defect, fill)| {
        let fill = if fill.is_ascii_alphanumeric() { fill } else { b'a' + fill % 26 };
        let mut l = vec![fill; len];
        match defect {
            0 if len > 0 => l[len / 2] = b'\r',
            1 if len > 0 => l[len / 3] = b'\n',
            2 | 3 => l.insert(0, b'.'),
            4 => l = b".".to_vec(),
            5 if len > 1 => l[len - 1] = b'\r',
            _ => {}
        }
        l.extend_from_slice(b"\r\n");
        l
    });
    proptest::collection::vec(line, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// The encoders' bulk fast path: a long body encoded whole gives exactly what one octet
    /// per call gives (pieces that small never take it), errors and partial output included,
    /// for DATA and BDAT, strict and normalizing, with and without a line limit.
    #[test]
    fn encoder_fast_path_agrees_with_the_exact_path(
        body in (3..120usize).prop_flat_map(long_body),
        limit in prop::option::of(3..120usize),
        normalize in any::<bool>(),
    ) {
        let config = EncoderConfig::STRICT.with_normalize(normalize).with_max_line(limit);
        let data = |pieces: &mut dyn Iterator<Item = &[u8]>| {
            let mut enc = DataEncoder::new(config);
            let mut out = Vec::new();
            for p in pieces {
                if let Err(e) = enc.encode(p, &mut out) {
                    return (Err(e), out);
                }
            }
            (enc.finish(&mut out), out)
        };
        let whole = data(&mut std::iter::once(&body[..]));
        let trickle = data(&mut body.chunks(1));
        prop_assert_eq!(&whole.0, &trickle.0);
        match whole.0 {
            Ok(()) => prop_assert_eq!(&whole.1, &trickle.1),
            Err(e) => {
                // All or nothing: the refused call left nothing; one octet per call leaves
                // exactly the encoding of the octets before the offending one, which the
                // fast path must give for that prefix.
                prop_assert!(whole.1.is_empty());
                let at = e.offset();
                let mut enc = DataEncoder::new(config);
                let mut prefix = Vec::new();
                prop_assert_eq!(enc.encode(&body[..at], &mut prefix), Ok(()));
                prop_assert_eq!(esc(&trickle.1), esc(&prefix));
            }
        }
        if let (Ok(()), false, None) = (&whole.0, normalize, limit) {
            prop_assert_eq!(esc(&whole.1), esc(&stuff(&body)));
        }
        if let Some((at, kind)) = first_bare(&body) {
            if !normalize {
                let e = whole.0.unwrap_err();
                prop_assert!(e.offset() <= at);
                prop_assert!(e.offset() < at || e.kind() == kind);
            }
        }
        let bdat = |pieces: &mut dyn Iterator<Item = &[u8]>| {
            let enc = BdatEncoder::new(config);
            let mut out = Vec::new();
            let mut payload = Vec::new();
            for p in pieces {
                payload.extend_from_slice(p);
            }
            // One chunk per call; the decoded payload must not depend on the pieces.
            let r = enc.finish(&payload, &mut out);
            (r, out)
        };
        let whole = bdat(&mut std::iter::once(&body[..]));
        let mut enc = BdatEncoder::new(config);
        let mut out = Vec::new();
        let mut r = Ok(());
        for p in body.chunks(1) {
            r = enc.encode(p, &mut out);
            if r.is_err() {
                break;
            }
        }
        if r.is_ok() {
            r = enc.finish(b"", &mut out);
        }
        prop_assert_eq!(whole.0.is_ok(), r.is_ok());
        if let (Ok(()), Ok(())) = (&whole.0, &r) {
            let dec = BodyConfig::STRICT.with_max_line(None);
            prop_assert_eq!(body_model::decode_bdat_wire(&whole.1, dec).0, body_model::decode_bdat_wire(&out, dec).0);
        } else {
            prop_assert_eq!(whole.0, r);
        }
    }

    /// The bulk fast path (whole clean regions at once) agrees with the reference model and
    /// with one-octet-at-a-time feeding (which never takes it), for every policy and limit.
    #[test]
    fn fast_path_agrees_with_the_exact_path(
        limit in 3..120usize,
        body in (3..120usize).prop_flat_map(long_body),
        p in 0..3usize,
        line_limit in prop::option::of(Just(())),
        size in prop::option::of(0..4000u64),
        split in cuts(8000),
    ) {
        fast_path_agrees(body, limit, p, line_limit.is_some(), size, &split, true)?;
    }

    /// Any body without bare line ends: the strict encoder writes the reference stuffing, and a
    /// strict decoder reads back the body (with a final CRLF if it had none), whatever the pieces.
    #[test]
    fn data_text_round_trip(body in text_body(64), pieces in cuts(512)) {
        let wire = encode_data(&body, EncoderConfig::STRICT.with_max_line(None), &pieces).unwrap();
        prop_assert_eq!(esc(&wire), esc(&stuff(&body)));
        let run = run_data(&wire, BodyConfig::STRICT.with_max_line(None), &[]);
        let (at, s) = run.end.unwrap();
        prop_assert_eq!((at, s.refusal()), (wire.len(), None));
        prop_assert_eq!(esc(&run.output), esc(&with_final_crlf(&body)));
        prop_assert_eq!(s.body_len(), run.output.len() as u64);
    }

    /// Any bytes at all: the normalizing encoder writes no bare line end and exactly one end of
    /// data, and a strict decoder reads back the normalized body.
    #[test]
    fn data_any_bytes_round_trip_normalized(body in body_bytes(64), pieces in cuts(512), dec_cuts in cuts(600)) {
        let wire = encode_data(&body, EncoderConfig::STRICT.with_normalize(true).with_max_line(None), &pieces).unwrap();
        prop_assert_eq!(first_bare(&wire), None);
        let run = run_data(&wire, BodyConfig::STRICT.with_max_line(None), &dec_cuts);
        let (at, s) = run.end.unwrap();
        prop_assert_eq!((at, s.refusal()), (wire.len(), None), "{}", esc(&wire));
        prop_assert_eq!(esc(&run.output), esc(&with_final_crlf(&normalize(&body))));
    }

    /// The strict encoder refuses exactly the bodies with a bare line end, at the first one,
    /// having written only octets before it, none of them a bare line end.
    #[test]
    fn data_strict_encoder_refuses_exactly_bare_line_ends(body in body_bytes(64), pieces in cuts(512)) {
        let r = encode_data(&body, EncoderConfig::STRICT.with_max_line(None), &pieces);
        match (r, first_bare(&body)) {
            (Ok(_), None) => {}
            (Err(e), Some((at, kind))) => prop_assert_eq!((e.offset(), e.kind()), (at, kind)),
            (r, bare) => prop_assert!(false, "{r:?} vs {bare:?} for {}", esc(&body)),
        }
    }

    /// With line limits: what the encoder accepts, a decoder with the same limit accepts; what
    /// it refuses as too long, the decoder refuses too.
    #[test]
    fn data_line_limits_agree(body in text_body(48), max in 3..30usize) {
        let enc = encode_data(&body, EncoderConfig::STRICT.with_max_line(Some(max)), &[]);
        let lifted = encode_data(&body, EncoderConfig::STRICT.with_max_line(None), &[]).unwrap();
        let run = run_data(&lifted, BodyConfig::STRICT.with_max_line(Some(max)), &[]);
        let refusal = run.end.unwrap().1.refusal();
        match enc {
            Ok(wire) => {
                prop_assert_eq!(wire, lifted);
                prop_assert_eq!(refusal, None);
            }
            Err(e) => {
                prop_assert_eq!(e.kind(), ParseErrorKind::LineTooLong { limit: max });
                let r = refusal.unwrap();
                prop_assert_eq!(r.kind(), e.kind());
            }
        }
    }

    /// Decoding any stream under any policy and limits is split-invariant and agrees with the
    /// reference model.
    #[test]
    fn data_decoding_is_split_invariant(stream in body_bytes(80), cfg in config(), split in cuts(700)) {
        let whole = run_data(&stream, cfg, &[]);
        prop_assert_eq!(&run_data(&stream, cfg, &split), &whole);
        let trickle: Vec<usize> = (1..stream.len()).collect();
        prop_assert_eq!(&run_data(&stream, cfg, &trickle), &whole);
        match (&whole.end, body_model::data(&stream, &cfg)) {
            (Some((at, s)), Some(m)) => {
                prop_assert_eq!(&whole.output, &m.output, "{}", esc(&stream));
                prop_assert_eq!(*at as u64, m.wire_len);
                prop_assert_eq!(s.body_len(), m.body_len);
                prop_assert_eq!(s.refusal().map(|e| (e.offset() as u64, e.kind())), m.refusal);
            }
            (None, None) => {}
            (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
        }
    }

    /// Streams that always reach the end (a marker appended), so the comparison with the model
    /// always covers a whole body.
    #[test]
    fn data_decoding_matches_the_model(body in body_bytes(80), cfg in config(), split in cuts(700)) {
        let mut stream = body;
        stream.extend_from_slice(b"\r\n.\r\nQUIT\r\n");
        let run = run_data(&stream, cfg, &split);
        let m = body_model::data(&stream, &cfg).unwrap();
        let (at, s) = run.end.unwrap();
        prop_assert_eq!(esc(&run.output), esc(&m.output));
        prop_assert_eq!((at as u64, s.body_len()), (m.wire_len, m.body_len));
        prop_assert_eq!(s.refusal().map(|e| (e.offset() as u64, e.kind())), m.refusal);
        prop_assert!(stream[..at].ends_with(b".\r\n") && (at == 3 || stream[..at - 3].ends_with(b"\r\n")));
    }

    /// BDAT: any chunking of any payload decodes the same for any split and agrees with the model.
    #[test]
    fn bdat_decoding_is_split_invariant(
        payload in body_bytes(60),
        sizes in proptest::collection::vec((0..40u64, any::<bool>()), 1..8),
        cfg in config(),
        split in cuts(600),
    ) {
        let whole = run_bdat(&sizes, &payload, cfg, &[]);
        prop_assert_eq!(&run_bdat(&sizes, &payload, cfg, &split), &whole);
        let trickle: Vec<usize> = (1..payload.len()).collect();
        prop_assert_eq!(&run_bdat(&sizes, &payload, cfg, &trickle), &whole);
        body_model::bdat_messages(&sizes, &payload, &cfg).check(&whole);
    }

    /// BDAT encoding: BINARYMIME gives back any bytes; text gives back bodies without bare line
    /// ends (strict) and any bytes normalized (normalizing); the strict text encoder refuses
    /// exactly bodies with a bare line end.
    #[test]
    fn bdat_round_trip(body in body_bytes(64), pieces in cuts(512)) {
        let mut points: Vec<usize> = pieces.iter().map(|c| c % (body.len() + 1)).collect();
        points.sort_unstable();
        let encode = |mut enc: BdatEncoder| -> Result<Vec<u8>, ParseError> {
            let mut out = Vec::new();
            let mut from = 0;
            for &c in &points {
                enc.encode(&body[from..c], &mut out)?;
                from = c;
            }
            enc.finish(&body[from..], &mut out)?;
            Ok(out)
        };
        let wire = encode(BdatEncoder::binarymime()).unwrap();
        prop_assert_eq!(body_model::decode_bdat_wire(&wire, BodyConfig::BINARYMIME).0, body.clone());
        let no_limit = EncoderConfig::STRICT.with_max_line(None);
        let wire = encode(BdatEncoder::new(no_limit.with_normalize(true))).unwrap();
        prop_assert_eq!(body_model::decode_bdat_wire(&wire, BodyConfig::STRICT.with_max_line(None)).0, normalize(&body));
        match (encode(BdatEncoder::new(no_limit)), first_bare(&body)) {
            (Ok(wire), None) => prop_assert_eq!(body_model::decode_bdat_wire(&wire, BodyConfig::STRICT.with_max_line(None)).0, body.clone()),
            (Err(e), Some((at, kind))) => prop_assert_eq!((e.offset(), e.kind()), (at, kind)),
            (r, bare) => prop_assert!(false, "{r:?} vs {bare:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The same as `fast_path_agrees_with_the_exact_path` with lines long enough (up to about
    /// 900 octets) for the bulk fast path to take them one `memchr2` per line, and limits
    /// around them (no one-octet feeding: too slow at these lengths).
    #[test]
    fn long_line_fast_path_agrees_with_the_exact_path(
        limit in 200..720usize,
        body in (200..720usize).prop_flat_map(long_body),
        p in 0..3usize,
        line_limit in prop::option::of(Just(())),
        size in prop::option::of(0..40000u64),
        split in cuts(40000),
    ) {
        fast_path_agrees(body, limit, p, line_limit.is_some(), size, &split, false)?;
    }
}

/// `body` and an end of data, decoded under the policy `p`, the line limit `limit` (when
/// `line_limit`) and the size limit: the decoder gives what the reference model gives, read
/// whole, in the pieces `split` and (when `trickle`) one octet at a time; the same payload as
/// one BDAT message agrees with the BDAT model, whole and in pieces.
fn fast_path_agrees(
    body: Vec<u8>,
    limit: usize,
    p: usize,
    line_limit: bool,
    size: Option<u64>,
    split: &[usize],
    trickle: bool,
) -> Result<(), TestCaseError> {
    let policy = [BareLineEnds::Reject, BareLineEnds::Normalize, BareLineEnds::Allow][p];
    let cfg =
        BodyConfig::STRICT.with_bare_line_ends(policy).with_max_line(line_limit.then_some(limit)).with_max_size(size);
    let mut stream = body;
    stream.extend_from_slice(b".\r\nQUIT\r\n");
    let whole = run_data(&stream, cfg, &[]);
    let m = body_model::data(&stream, &cfg).unwrap();
    let (at, s) = whole.end.unwrap();
    prop_assert_eq!(esc(&whole.output), esc(&m.output));
    prop_assert_eq!((at as u64, s.body_len()), (m.wire_len, m.body_len));
    prop_assert_eq!(s.refusal().map(|e| (e.offset() as u64, e.kind())), m.refusal);
    prop_assert_eq!(&run_data(&stream, cfg, split), &whole);
    if trickle {
        let trickle: Vec<usize> = (1..stream.len()).collect();
        prop_assert_eq!(&run_data(&stream, cfg, &trickle), &whole);
    }
    // The same payload as one BDAT message.
    let payload = &stream[..at];
    let bdat_whole = run_bdat(&[(payload.len() as u64, true)], payload, cfg, &[]);
    body_model::bdat_messages(&[(payload.len() as u64, true)], payload, &cfg).check(&bdat_whole);
    prop_assert_eq!(&run_bdat(&[(payload.len() as u64, true)], payload, cfg, split), &bdat_whole);
    Ok(())
}
