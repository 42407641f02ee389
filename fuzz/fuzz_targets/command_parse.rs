//! Bytes → `Command`: never panics; oracle 1 (exact re-encoding, parses back equal, error
//! offsets inside the input) and the prefix oracles (`parse_prefix` agrees with `parse`,
//! answers are final for any split); `Incomplete` only before the first LF.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Command, Status};
use smtp_wire_fuzz::{exact, option_sets, prefix};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        exact::<Command>(data, &opts);
        if let Ok(Status::Incomplete) = prefix::<Command>(data, &opts) {
            assert!(!data.contains(&b'\n'), "Incomplete after a LF: {}", data.escape_ascii());
        }
    }
});
