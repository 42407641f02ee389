//! Bytes → every path-level parser (reverse and forward paths, mailboxes, paths, local parts,
//! domains, hosts, address literals): never panics; oracle 1 (exact re-encoding, parses back
//! equal, error offsets inside the input); a local part's value re-quotes to the same value;
//! an IP literal's canonical text parses to the same address.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, ParseOptions, Path, ReversePath};
use smtp_wire_fuzz::{exact, option_sets};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        exact::<ReversePath>(data, &opts);
        exact::<ForwardPath>(data, &opts);
        exact::<Path>(data, &opts);
        exact::<LocalPart>(data, &opts);
        exact::<Domain>(data, &opts);
        exact::<Host>(data, &opts);
        if let Some(v) = exact::<Mailbox>(data, &opts) {
            // Constructors refuse control characters, which SMTPUTF8 input may carry as C1.
            let value = v.local_part().value();
            match LocalPart::new(&value) {
                Ok(rebuilt) => assert_eq!(rebuilt.value(), value),
                Err(_) => assert!(value.chars().any(char::is_control), "refused: {value:?}"),
            }
        }
    }
    if let Some(ip) = exact::<AddressLiteral>(data, &ParseOptions::STRICT).and_then(|v| v.ip()) {
        let canon = AddressLiteral::from_ip(ip).to_string();
        assert_eq!(AddressLiteral::parse(canon.as_bytes()).map(|l| l.ip()), Ok(Some(ip)));
    }
});
