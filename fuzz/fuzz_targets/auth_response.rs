//! SASL response lines (RFC 4954 §4): bytes never panic; oracle 1 and the prefix oracles,
//! `Incomplete` only before the first LF; the base64 they carry decodes and re-encodes to the
//! same (canonical) text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{AuthResponse, Base64, Status};
use smtp_wire_fuzz::{exact, option_sets, prefix};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        if let Some(AuthResponse::Data(b)) = exact::<AuthResponse>(data, &opts) {
            assert_eq!(Base64::encode(&b.decode()).as_str(), b.as_str());
        }
        if let Ok(Status::Incomplete) = prefix::<AuthResponse>(data, &opts) {
            assert!(!data.contains(&b'\n'), "Incomplete after a LF: {}", data.escape_ascii());
        }
    }
});
