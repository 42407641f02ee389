//! Any constructible `EhloReply` (host, greeting and capabilities built only from valid
//! parts) → encode → parse gives it back, and each capability line is the canonical writing
//! of the capability typed from it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Capability, EhloReply, Encode, ParseOptions};
use smtp_wire_fuzz::assert_exact;

fuzz_target!(|ehlo: EhloReply<'static>| {
    let bytes = ehlo.to_vec();
    let opts = ParseOptions::default().with_smtputf8(true);
    let back = EhloReply::parse_with(&bytes, &opts)
        .unwrap_or_else(|e| panic!("constructed EHLO reply does not parse: {e}: {}", bytes.escape_ascii()));
    assert_eq!(back, ehlo, "{}", bytes.escape_ascii());
    assert_exact(&back, &bytes);
    let caps: Vec<Capability<'_>> = back.capabilities().collect();
    for (line, cap) in back.reply().texts().skip(1).zip(&caps) {
        assert_eq!(cap.to_string(), line);
    }
    let rebuilt = EhloReply::new(&back.host(), back.greeting(), &caps).expect("rebuilds");
    assert_eq!(rebuilt, ehlo);
});
