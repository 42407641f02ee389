//! Bytes → MAIL and RCPT parameters: never panics; accepted text re-encodes exactly; each typed
//! parameter, written canonically and rebuilt, types back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Param, Params};
use smtp_wire_fuzz::{assert_exact, option_sets};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        for mail in [true, false] {
            let parsed = if mail { Params::parse_mail(data, &opts) } else { Params::parse_rcpt(data, &opts) };
            let Ok(params) = parsed else { continue };
            assert_exact(&params, data);
            let typed: Vec<Param<'_>> = params.iter().collect();
            assert_eq!(typed.len(), data.split(|&c| c == b' ').filter(|p| !p.is_empty()).count());
            let rebuilt = if mail { Params::mail(&typed) } else { Params::rcpt(&typed) }
                .unwrap_or_else(|e| panic!("typed params do not rebuild: {e}: {typed:?}"));
            let again: Vec<Param<'_>> = rebuilt.iter().collect();
            assert_eq!(again, typed);
        }
    }
});
