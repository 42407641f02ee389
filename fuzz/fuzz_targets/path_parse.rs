//! Bytes → every path-level parser (reverse and forward paths, mailboxes, domains, address
//! literals, local parts): never panics, and an accepted input re-encodes exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath};
use smtp_wire_fuzz::{assert_exact, option_sets};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        if let Ok(v) = ReversePath::parse_with(data, &opts) {
            assert_exact(&v, data);
        }
        if let Ok(v) = ForwardPath::parse_with(data, &opts) {
            assert_exact(&v, data);
        }
        if let Ok(v) = Mailbox::parse_with(data, &opts) {
            assert_exact(&v, data);
            // The local part's value re-quotes to a local part with the same value (constructors
            // refuse control characters, which SMTPUTF8 input may carry as C1 controls).
            let value = v.local_part().value();
            match LocalPart::new(&value) {
                Ok(rebuilt) => assert_eq!(rebuilt.value(), value),
                Err(_) => assert!(value.chars().any(char::is_control), "refused: {value:?}"),
            }
        }
        if let Ok(v) = Path::parse_with(data, &opts) {
            assert_exact(&v, data);
        }
        if let Ok(v) = LocalPart::parse_with(data, &opts) {
            assert_exact(&v, data);
        }
        if let Ok(v) = Domain::parse_with(data, &opts) {
            assert_exact(&v, data);
        }
        if let Ok(v) = Host::parse_with(data, &opts) {
            assert_exact(&v, data);
        }
    }
    if let Ok(v) = AddressLiteral::parse(data) {
        assert_exact(&v, data);
        if let Some(ip) = v.ip() {
            // The canonical text of the same address parses to the same address.
            let canon = AddressLiteral::from_ip(ip);
            assert_eq!(AddressLiteral::parse(canon.to_string().as_bytes()).map(|l| l.ip()), Ok(Some(ip)));
        }
    }
});
