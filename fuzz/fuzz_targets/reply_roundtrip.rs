//! Any constructible `Reply` (built by `ReplyBuilder` from fuzzer-chosen code, enhanced code
//! and text) and `SaslChallenge` → encode → parse gives it back: the builder never writes a
//! line a strict client reads differently, and every line fits the limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Encode, ParseOptions, Reply, SaslChallenge};
use smtp_wire_fuzz::assert_exact;

fuzz_target!(|input: (Reply<'static>, SaslChallenge<'static>)| {
    let (reply, challenge) = input;
    let bytes = reply.to_vec();
    let opts = ParseOptions::default().with_smtputf8(true);
    match Reply::parse_with(&bytes, &opts) {
        Ok(back) => {
            assert_eq!(back, reply, "{}", bytes.escape_ascii());
            assert_exact(&back, &bytes);
        }
        Err(e) => panic!("constructed reply does not parse: {e}: {}", bytes.escape_ascii()),
    }
    let limit = if reply.code().as_u16() == 334 { 12288 } else { 512 };
    assert!(reply.lines().all(|l| l.as_str().len() + 2 <= limit));
    let first = reply.enhanced_code();
    if first.is_some() {
        assert!(reply.lines().all(|l| l.enhanced_code() == first));
    }
    let bytes = challenge.to_vec();
    let back = SaslChallenge::parse(&bytes).unwrap_or_else(|e| panic!("{e}: {}", bytes.escape_ascii()));
    assert_eq!(back, challenge);
});
