//! Any body, in fuzzer-chosen pieces, through the DATA encoder (strict or normalizing, with or
//! without a line limit) and back through a strict DATA decoder: the wire has no bare CR or LF
//! and exactly one end-of-data marker, at its end; it does not depend on the pieces; and the
//! decoder gives back the body (normalized if configured, with a final CRLF if it had none).
//! A strict encoder refuses exactly the bodies with a bare line end, at the first one.
#![no_main]

#[path = "../../tests/body_model/mod.rs"]
mod body_model;

use libfuzzer_sys::fuzz_target;
use smtp_wire::framing::{BodyConfig, DataEncoder, EncoderConfig};
use smtp_wire::{ParseError, ParseErrorKind};
use smtp_wire_fuzz::cuts;

fn encode(body: &[u8], config: EncoderConfig, cuts: &[usize]) -> Result<Vec<u8>, (ParseError, Vec<u8>)> {
    let mut enc = DataEncoder::new(config);
    let mut out = Vec::new();
    let mut from = 0;
    for &c in cuts.iter().chain([&body.len()]) {
        let before = out.len();
        if let Err(e) = enc.encode(&body[from..c], &mut out) {
            assert_eq!(out.len(), before, "a refused call wrote something");
            return Err((e, out));
        }
        from = c;
    }
    let before = out.len();
    if let Err(e) = enc.finish(&mut out) {
        assert_eq!(out.len(), before, "a refused finish wrote something");
        return Err((e, out));
    }
    Ok(out)
}

/// Only the error counts: a refused call leaves nothing of itself (all or nothing), so what
/// earlier pieces wrote depends on the pieces.
fn same(a: &Result<Vec<u8>, (ParseError, Vec<u8>)>, b: &Result<Vec<u8>, (ParseError, Vec<u8>)>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x == y,
        (Err(x), Err(y)) => x.0 == y.0,
        _ => false,
    }
}

fuzz_target!(|input: (bool, Option<u8>, Vec<u8>, Vec<u8>)| {
    let (normalize, max_line, splits, body) = input;
    let max_line = max_line.map(|m| 3 + usize::from(m));
    let config = EncoderConfig::default().with_normalize(normalize).with_max_line(max_line);
    let cuts = cuts(&splits, body.len());
    let whole = encode(&body, config, &[]);
    assert!(same(&whole, &encode(&body, config, &cuts)), "pieces changed the encoding");
    let expected = if normalize { body_model::normalize(&body) } else { body.clone() };
    match whole {
        Ok(wire) => {
            assert_eq!(body_model::first_bare(&wire), None, "bare line end on the wire");
            let end = wire.windows(5).position(|w| w == b"\r\n.\r\n").map_or(0, |p| p + 5);
            assert!(end == wire.len() || wire == b".\r\n", "an early end of data");
            if !normalize {
                assert_eq!(body_model::first_bare(&body), None);
                assert_eq!(wire, body_model::stuff(&body), "differs from the reference stuffing");
            }
            let decoder = BodyConfig::default().with_max_line(max_line);
            let back = body_model::run_data(&wire, decoder, &[]);
            let (at, summary) = back.end.expect("the encoder's end of data is found");
            assert_eq!(at, wire.len());
            assert_eq!(summary.refusal(), None, "a strict decoder refuses what the encoder wrote");
            assert_eq!(back.output, body_model::with_final_crlf(&expected), "round trip");
        }
        Err((e, written)) => {
            assert_eq!(body_model::first_bare(&written), None, "bare line end on the wire");
            match e.kind() {
                ParseErrorKind::BareCr | ParseErrorKind::BareLf => {
                    assert!(!normalize);
                    assert_eq!(body_model::first_bare(&body), Some((e.offset(), e.kind())));
                }
                ParseErrorKind::LineTooLong { limit } => {
                    assert_eq!(Some(limit), max_line);
                    // The line really is too long: a decoder with the same limit agrees.
                    let lifted = encode(&body, config.with_max_line(None), &[]);
                    if let Ok(wire) = lifted {
                        let back = body_model::run_data(&wire, BodyConfig::default().with_max_line(max_line), &[]);
                        assert!(back.end.expect("end").1.refusal().is_some());
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
});
