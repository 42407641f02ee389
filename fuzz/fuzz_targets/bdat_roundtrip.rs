//! Any body, in fuzzer-chosen pieces, through the BDAT encoder (BINARYMIME, strict text or
//! normalizing text) and back through the command parser and a BDAT decoder: headers parse as
//! `BDAT n [LAST]` and re-encode exactly, chunk sizes are exact, the decoder gives back the
//! body (normalized if configured); no bare line end in a text chunk; a refused piece writes
//! nothing.
#![no_main]

#[path = "../../tests/body_model/mod.rs"]
mod body_model;

use libfuzzer_sys::fuzz_target;
use smtp_wire::framing::{BdatEncoder, BodyConfig, EncoderConfig};
use smtp_wire_fuzz::cuts;

fuzz_target!(|input: (u8, Vec<u8>, Vec<u8>)| {
    let (mode, splits, body) = input;
    let (mut enc, dec) = match mode % 3 {
        0 => (BdatEncoder::binarymime(), BodyConfig::BINARYMIME),
        1 => {
            (BdatEncoder::new(EncoderConfig::default().with_max_line(None)), BodyConfig::default().with_max_line(None))
        }
        _ => (
            BdatEncoder::new(EncoderConfig::default().with_normalize(true).with_max_line(None)),
            BodyConfig::default().with_max_line(None),
        ),
    };
    let cuts = cuts(&splits, body.len());
    let mut wire = Vec::new();
    let mut from = 0;
    let mut failed = None;
    for &c in &cuts {
        let before = wire.len();
        if let Err(e) = enc.encode(&body[from..c], &mut wire) {
            assert_eq!(wire.len(), before, "a refused chunk wrote something");
            failed = Some(e);
            break;
        }
        from = c;
    }
    if failed.is_none() {
        let before = wire.len();
        if let Err(e) = enc.finish(&body[from..], &mut wire) {
            assert_eq!(wire.len(), before);
            failed = Some(e);
        }
    }
    if let Some(e) = failed {
        assert_eq!(mode % 3, 1, "only the strict text encoder refuses: {e}");
        assert_eq!(body_model::first_bare(&body).map(|(at, _)| at), Some(e.offset()));
        return;
    }
    let expected = if mode % 3 == 2 { body_model::normalize(&body) } else { body.clone() };
    let (out, payload) = body_model::decode_bdat_wire(&wire, dec);
    if mode % 3 != 0 {
        assert_eq!(body_model::first_bare(&payload), None, "bare line end in a text chunk");
    }
    assert_eq!(out, expected, "round trip");
});
