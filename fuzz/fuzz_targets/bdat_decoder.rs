//! The BDAT decoder over fuzzer-chosen chunk sequences (sizes, LAST flags, chunks after LAST),
//! fed in fuzzer-chosen pieces under every policy and small limits: never panics, reads
//! exactly the announced octets, the same output and chunk ends for any split and one octet
//! at a time, and agrees with the naive reference model for every complete message.
#![no_main]

#[path = "../../tests/body_model/mod.rs"]
mod body_model;

use libfuzzer_sys::fuzz_target;
use smtp_wire_fuzz::{body_config, cuts, every_octet};

fuzz_target!(|input: (u8, u16, Vec<(u8, bool)>, Vec<u8>, Vec<u8>)| {
    let (sel, size, chunk_spec, splits, data) = input;
    let cfg = body_config(sel, size);
    // Chunks while the data lasts (a chunk may be cut short: the stream ends inside it).
    let mut chunks = Vec::new();
    let mut total = 0usize;
    for (n, last) in chunk_spec.into_iter().take(64) {
        chunks.push((u64::from(n), last));
        total += usize::from(n);
        if total > data.len() {
            break;
        }
    }
    let whole = body_model::run_bdat(&chunks, &data, cfg, &[]);
    let split = body_model::run_bdat(&chunks, &data, cfg, &cuts(&splits, data.len()));
    assert_eq!(whole, split, "split changed the result");
    let trickle = every_octet(data.len());
    assert_eq!(whole, body_model::run_bdat(&chunks, &data, cfg, &trickle));

    // Every chunk read to its end was exactly its size.
    let read: u64 = whole.ends.iter().map(|e| e.size()).sum();
    assert!(read as usize <= data.len());
    body_model::bdat_messages(&chunks, &data, &cfg).check(&whole);
    if total <= data.len() {
        assert_eq!(whole.ends.len(), chunks.len());
    } else {
        assert_eq!(whole.ends.len(), chunks.len() - 1);
    }
});
