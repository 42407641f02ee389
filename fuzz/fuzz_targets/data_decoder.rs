//! The DATA decoder fed fuzzer-chosen pieces under every policy and small limits: never
//! panics, never consumes more than it is given, consumes everything before the end; the same
//! output, end and summary for the whole input, for the fuzzer's split and one octet at a
//! time; agrees with the naive reference model (`tests/body_model`); ends only right after a
//! real `CRLF . CRLF`.
#![no_main]

#[path = "../../tests/body_model/mod.rs"]
mod body_model;

use libfuzzer_sys::fuzz_target;
use smtp_wire_fuzz::{body_config, cuts, every_octet};

fuzz_target!(|input: (u8, u16, Vec<u8>, Vec<u8>)| {
    let (sel, size, splits, data) = input;
    let cfg = body_config(sel, size);
    let whole = body_model::run_data(&data, cfg, &[]);
    let split = body_model::run_data(&data, cfg, &cuts(&splits, data.len()));
    assert_eq!(whole, split, "split changed the result");
    let trickle = every_octet(data.len());
    assert_eq!(whole, body_model::run_data(&data, cfg, &trickle), "one octet at a time changed the result");

    match (&whole.end, body_model::data(&data, &cfg)) {
        (Some((at, summary)), Some(model)) => {
            let at = *at;
            // The end is `.\r\n` at a line start: the start of the body or after a CRLF.
            assert!(data[..at].ends_with(b".\r\n"));
            assert!(at == 3 || data[..at - 3].ends_with(b"\r\n"));
            assert_eq!(whole.output, model.output, "output differs from the model");
            assert_eq!(at as u64, model.wire_len);
            assert_eq!(summary.body_len(), model.body_len);
            assert_eq!(summary.refusal().map(|e| (e.offset() as u64, e.kind())), model.refusal);
            assert!(summary.body_len() >= whole.output.len() as u64);
            if let Some(max) = cfg.max_size() {
                assert!(whole.output.len() as u64 <= max);
            }
        }
        (None, None) => {
            // What was yielded is certain: any continuation keeps it.
            let mut longer = data.clone();
            longer.extend_from_slice(b"\r\n.\r\n");
            let model = body_model::data(&longer, &cfg).expect("the marker ends it");
            assert!(model.output.starts_with(&whole.output), "yielded octets a continuation changes");
        }
        (got, model) => panic!("decoder end {got:?} but model {model:?}"),
    }
});
