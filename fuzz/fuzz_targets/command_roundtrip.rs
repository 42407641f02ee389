//! Any constructible `Command` (built only from valid parts by `Arbitrary`) → encode → parse
//! gives the same command back (oracle 2), as exactly one line that `parse_prefix` takes
//! whole: no value the API lets you build can encode to bytes a strict parser reads
//! differently.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::Command;
use smtp_wire_fuzz::{permissive, roundtrip_framed};

fuzz_target!(|cmd: Command<'static>| {
    let bytes = roundtrip_framed::<Command>(&cmd, &permissive());
    assert_eq!(bytes.iter().filter(|&&c| c == b'\n').count(), 1, "one line only: {}", bytes.escape_ascii());
});
