//! Review of the performance changes after b459e6a: known answers taken from b459e6a for the
//! inputs the new shortcuts must not read differently. Octets above 0x7F in every token kind
//! without SMTPUTF8 (`Utf8Line::str` no longer checks them: each grammar must), and verbs,
//! `FROM:`/`TO:`, `LAST` and `STARTTLS` with a non-letter that the 0x20 fold maps near a
//! letter (`@` to `` ` ``, controls to digits or punctuation).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use smtp_wire::{Command, Encode};

/// `(input, answer at b459e6a)`: `Ok` and the re-encoding, or `Err`, the offset and the kind.
const KAT: &[(&[u8], &str)] = &[
    (b"MAIL FROM:<\xc3\xa9@b>\r\n", "Err 11 NonAscii"),
    (b"RCPT TO:<a@\xc3\xa9>\r\n", "Err 11 NonAscii"),
    (b"MAIL FROM:<\"\xc3\xa9\"@b>\r\n", "Err 12 NonAscii"),
    (b"MAIL FROM:<@\xc3\xa9:a@b>\r\n", "Err 12 NonAscii"),
    (b"MAIL FROM:<a@b> ENVID=\xc3\xa9\r\n", "Err 22 NonAscii"),
    (b"MAIL FROM:<a@b> X-\xc3\xa9=1\r\n", "Err 18 NonAscii"),
    (b"VRFY \xc3\xa9\r\n", "Err 5 NonAscii"),
    (b"EXPN \"\xc3\xa9\"\r\n", "Err 6 NonAscii"),
    (b"HELP \xc3\xa9\r\n", "Err 5 NonAscii"),
    (b"NOOP \xc3\xa9\r\n", "Err 5 NonAscii"),
    (b"XFOO \xc3\xa9\r\n", "Err 5 Syntax { expected: \"text\" }"),
    (b"X\xc3\xa9 a\r\n", "Err 1 NonAscii"),
    (b"EHLO \xc3\xa9.example\r\n", "Err 5 NonAscii"),
    (b"EHLO [\xc3\xa9]\r\n", "Err 6 Syntax { expected: \"']'\" }"),
    (b"ETRN #\xc3\xa9\r\n", "Err 6 Syntax { expected: \"queue name\" }"),
    (b"ETRN @\xc3\xa9\r\n", "Err 6 NonAscii"),
    (b"AUTH PLAIN \xc3\xa9===\r\n", "Err 11 InvalidBase64"),
    (b"AUTH \xc3\xa9\r\n", "Err 5 Syntax { expected: \"SASL mechanism name\" }"),
    (b"M@IL FROM:<>\r\n", "Err 1 Syntax { expected: \"command verb (letters, digits, '-')\" }"),
    (b"`AIL FROM:<>\r\n", "Err 0 Syntax { expected: \"command verb\" }"),
    (b"MAI\x0c FROM:<>\r\n", "Err 3 Syntax { expected: \"command verb (letters, digits, '-')\" }"),
    (b"MAIL FR@M:<>\r\n", "Err 5 Syntax { expected: \"FROM:\" }"),
    (b"MAIL FRO\r:<>\r\n", "Err 8 BareCr"),
    (b"RCPT T\x0f:<a@b>\r\n", "Err 5 Syntax { expected: \"TO:\" }"),
    (b"RCPT TO;<a@b>\r\n", "Err 5 Syntax { expected: \"TO:\" }"),
    (b"STARTTL\x13\r\n", "Err 7 Syntax { expected: \"command verb (letters, digits, '-')\" }"),
    (b"\x13TARTTLS\r\n", "Err 0 Syntax { expected: \"command verb\" }"),
    (b"AUT\x08 PLAIN\r\n", "Err 3 Syntax { expected: \"command verb (letters, digits, '-')\" }"),
    (b"BDAT 1 L@ST\r\n", "Err 7 Syntax { expected: \"LAST\" }"),
    (b"QUIT\x00\r\n", "Err 4 Syntax { expected: \"command verb (letters, digits, '-')\" }"),
    (b"mail from:<A@B> size=1 SIZE=2\r\n", "Err 23 DuplicateParameter"),
    (b"RCPT TO:<a@b> NOTIFY=success,DELAY\r\n", "Ok RCPT TO:<a@b> NOTIFY=success,DELAY\\r\\n"),
    (b"RCPT TO:<a@b> notify=SUCCESS,,DELAY\r\n", "Err 21 InvalidParameterValue { keyword: \"NOTIFY\" }"),
    (b"sTaRtTlS\r\n", "Ok sTaRtTlS\\r\\n"),
    (b"bdat 7 lAsT\r\n", "Ok bdat 7 lAsT\\r\\n"),
    (b"mAiL fRoM:<>\r\n", "Ok mAiL fRoM:<>\\r\\n"),
];

#[test]
fn commands_read_as_at_b459e6a() {
    for (input, want) in KAT {
        let got = match Command::parse(input) {
            Ok(c) => format!("Ok {}", c.to_vec().escape_ascii()),
            Err(e) => format!("Err {} {:?}", e.offset(), e.kind()),
        };
        assert_eq!(&got, want, "{}", input.escape_ascii());
    }
}
