//! Bytes → `Command`: never panics; an accepted line re-encodes to the same octets and parses
//! back equal; `parse_prefix` agrees with `parse` on the first line; error offsets stay inside
//! the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Command, Status};
use smtp_wire_fuzz::{assert_exact, option_sets};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        match Command::parse_with(data, &opts) {
            Ok(cmd) => {
                assert_exact(&cmd, data);
                let again = smtp_wire::Encode::to_vec(&cmd);
                assert_eq!(Command::parse_with(&again, &opts).as_ref(), Ok(&cmd));
            }
            Err(e) => assert!(e.offset() <= data.len(), "offset {} past {}", e.offset(), data.len()),
        }
        match Command::parse_prefix_with(data, &opts) {
            Ok(Status::Complete { value, consumed }) => {
                assert!(consumed <= data.len());
                assert_eq!(Command::parse_with(&data[..consumed], &opts), Ok(value));
            }
            Ok(Status::Incomplete) => assert!(!data.contains(&b'\n')),
            Err(e) => assert!(e.offset() <= data.len()),
        }
    }
});
