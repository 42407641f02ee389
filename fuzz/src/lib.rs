//! Shared pieces of the fuzz targets: the option sets every parser is run under, and the
//! oracle checks.

use smtp_wire::{Encode, Limits, ParseOptions};

/// Strict defaults, SMTPUTF8 on, and every leniency on with long lines: each parser runs
/// under all three, so a leniency cannot hide a crash that strict mode would reach.
pub fn option_sets() -> [ParseOptions; 3] {
    [
        ParseOptions::default(),
        ParseOptions::default().with_smtputf8(true),
        ParseOptions::default()
            .with_smtputf8(true)
            .with_space_after_colon(true)
            .with_limits(Limits::default().with_command_line(8192)),
    ]
}

/// The most permissive set: what constructed values are parsed back with.
pub fn permissive() -> ParseOptions {
    option_sets()[2]
}

/// Oracle 1 for an accepted input: it re-encodes to exactly the same octets, and the length
/// estimate agrees.
pub fn assert_exact<T: Encode + core::fmt::Debug>(value: &T, input: &[u8]) {
    let out = value.to_vec();
    assert_eq!(value.encoded_len(), out.len(), "encoded_len disagrees for {value:?}");
    assert!(
        out == input,
        "re-encoding differs:\n in: {}\nout: {}\nvalue: {value:?}",
        input.escape_ascii(),
        out.escape_ascii()
    );
}
