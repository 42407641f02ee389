//! Any constructible `Command` (built only from valid parts by `Arbitrary`) → encode → parse
//! gives the same command back: no value the API lets you build can encode to bytes a strict
//! parser reads differently.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Command, Encode};
use smtp_wire_fuzz::{assert_exact, permissive};

fuzz_target!(|cmd: Command<'static>| {
    let bytes = cmd.to_vec();
    assert_eq!(bytes.iter().filter(|&&c| c == b'\n').count(), 1, "one line only: {}", bytes.escape_ascii());
    match Command::parse_with(&bytes, &permissive()) {
        Ok(back) => {
            assert_eq!(back, cmd, "{}", bytes.escape_ascii());
            assert_exact(&back, &bytes);
        }
        Err(e) => panic!("constructed command does not parse: {e}: {}", bytes.escape_ascii()),
    }
});
