//! Bytes → MAIL and RCPT parameters: never panics; oracle 1 (exact re-encoding, parses back
//! equal, error offsets inside the input); one typed value per parameter; each typed
//! parameter, written canonically and rebuilt, types back to the same value (for lines without
//! the exact repeats one option set admits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{Param, Params};
use smtp_wire_fuzz::{exact_by, option_sets};

fuzz_target!(|data: &[u8]| {
    for opts in option_sets() {
        for mail in [true, false] {
            let parsed = exact_by::<Params>(data, |i| {
                if mail { Params::parse_mail(i, &opts) } else { Params::parse_rcpt(i, &opts) }
            });
            let Some(params) = parsed else { continue };
            let typed: Vec<Param<'_>> = params.iter().collect();
            assert_eq!(typed.len(), data.split(|&c| c == b' ').filter(|p| !p.is_empty()).count());
            // An exact repeat is a leniency of the parser; the builders write no repeats.
            let no_repeats = opts.with_exact_parameter_repeats(false);
            if (if mail { Params::parse_mail(data, &no_repeats) } else { Params::parse_rcpt(data, &no_repeats) })
                .is_err()
            {
                continue;
            }
            let rebuilt = if mail { Params::mail(&typed) } else { Params::rcpt(&typed) }
                .unwrap_or_else(|e| panic!("typed params do not rebuild: {e}: {typed:?}"));
            assert_eq!(rebuilt.iter().collect::<Vec<_>>(), typed);
        }
    }
});
