//! SASL response lines (RFC 4954 §4): bytes never panic and accepted lines re-encode exactly;
//! the base64 they carry decodes and re-encodes to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{AuthResponse, Base64};
use smtp_wire_fuzz::assert_exact;

fuzz_target!(|data: &[u8]| {
    if let Ok(r) = AuthResponse::parse(data) {
        assert_exact(&r, data);
        if let AuthResponse::Data(b) = &r {
            assert_eq!(Base64::encode(&b.decode()).as_str(), b.as_str());
        }
    }
});
