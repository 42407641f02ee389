//! Any constructible `EhloReply` (host, greeting and capabilities built only from valid
//! parts) → encode → parse gives it back, and `parse_prefix` takes it whole (oracle 2); each
//! capability line is the canonical writing of the capability typed from it; the typed
//! capabilities rebuild the same reply.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Capability, EhloReply, ParseOptions};
use smtp_wire_fuzz::roundtrip_framed;

fuzz_target!(|ehlo: EhloReply<'static>| {
    let opts = ParseOptions::default().with_smtputf8(true);
    let bytes = roundtrip_framed::<EhloReply>(&ehlo, &opts);
    let back = EhloReply::parse_with(&bytes, &opts).expect("parsed by the round trip");
    let caps: Vec<Capability<'_>> = back.capabilities().collect();
    for (line, cap) in back.reply().texts().skip(1).zip(&caps) {
        assert_eq!(cap.to_string(), line);
    }
    let rebuilt = EhloReply::new(&back.host(), back.greeting(), &caps).expect("rebuilds");
    assert_eq!(rebuilt, ehlo);
});
