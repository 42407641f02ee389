//! Reply text as octets: the views a [`Reply`](super::Reply) gives of text that need not be
//! UTF-8, and how such text is shown.
//!
//! RFC 5321 §4.2 `textstring` is HT and printable US-ASCII, and §4.1.1.1 `ehlo-greet` any
//! 7-bit octet but CR and LF; under
//! [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text) a reply
//! may carry any octet but NUL, CR and LF (a Latin-1 greeting, a binary command echoed back).
//! Such text is kept as the octets it was, so that it re-encodes exactly; these helpers turn it
//! into `str` only where that is lossless, and escape it for display.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt::{self, Write};

/// `octets` as a `str` when they are UTF-8, else the empty string: the `&str` views of reply
/// text (the contract each of them documents).
#[inline]
pub(crate) fn utf8_or_empty(octets: &[u8]) -> &str {
    core::str::from_utf8(octets).unwrap_or("")
}

/// `octets` as text, each sequence that is not UTF-8 replaced by U+FFFD (allocates only then).
pub(crate) fn lossy(octets: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(octets)
}

/// Writes `octets` for a reader: UTF-8 as it is, except `\` (written `\\`) and the control
/// characters but HT (C0, DEL as `\xNN`, C1 as `\u{NN}`: they could rewrite a terminal or a
/// log); an octet that is not part of UTF-8 as `\xNN`. Nothing is lost and nothing is
/// ambiguous: the octets can be read back from what is written.
pub(crate) fn write_escaped(f: &mut impl Write, octets: &[u8]) -> fmt::Result {
    for chunk in octets.utf8_chunks() {
        let valid = chunk.valid();
        let mut plain = 0usize;
        for (k, c) in valid.char_indices() {
            if c == '\\' || (c.is_control() && c != '\t') {
                f.write_str(valid.get(plain..k).unwrap_or(""))?;
                match u8::try_from(c) {
                    Ok(b'\\') => f.write_str("\\\\")?,
                    Ok(b) if b < 0x80 => write!(f, "\\x{b:02x}")?,
                    _ => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                }
                plain = k + c.len_utf8();
            }
        }
        f.write_str(valid.get(plain..).unwrap_or(""))?;
        for b in chunk.invalid() {
            write!(f, "\\x{b:02x}")?;
        }
    }
    Ok(())
}

/// Writes `octets` as a quoted Rust string literal would show them (`{:?}` of a `str`), with
/// every octet that is not part of UTF-8 as `\xNN`.
pub(crate) fn write_debug(f: &mut impl Write, octets: &[u8]) -> fmt::Result {
    f.write_char('"')?;
    for chunk in octets.utf8_chunks() {
        for c in chunk.valid().chars() {
            // A quote in a `str` literal is escaped; one in a `char` literal is not.
            if c == '\'' {
                f.write_char(c)?;
            } else {
                write!(f, "{}", c.escape_debug())?;
            }
        }
        for b in chunk.invalid() {
            write!(f, "\\x{b:02x}")?;
        }
    }
    f.write_char('"')
}

/// `Debug` of octets through [`write_debug`].
pub(crate) struct DebugOctets<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for DebugOctets<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_debug(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use alloc::format;

    fn escaped(b: &[u8]) -> String {
        let mut s = String::new();
        write_escaped(&mut s, b).unwrap();
        s
    }

    #[test]
    fn escapes_what_is_not_plain_text() {
        assert_eq!(escaped(b"plain text\tand a tab"), "plain text\tand a tab");
        assert_eq!(escaped(b"command \"\xff\xfe\" not recognized"), "command \"\\xff\\xfe\" not recognized");
        assert_eq!(escaped(b"\x1b[31mred\x7f a\\b"), "\\x1b[31mred\\x7f a\\\\b");
        assert_eq!(escaped("Grüße \u{85}".as_bytes()), "Grüße \\u{85}");
        assert_eq!(escaped(b"Gr\xfc\xdfe"), "Gr\\xfc\\xdfe");
        // A sequence cut short, then ASCII.
        assert_eq!(escaped(b"\xe2\x82x"), "\\xe2\\x82x");
    }

    #[test]
    fn debug_is_a_literal() {
        assert_eq!(format!("{:?}", DebugOctets(b"250 it's \"ok\"\r\n")), "\"250 it's \\\"ok\\\"\\r\\n\"");
        assert_eq!(format!("{:?}", DebugOctets(b"500 \xff\r\n")), "\"500 \\xff\\r\\n\"");
        assert_eq!(format!("{:?}", DebugOctets("ü".as_bytes())), format!("{:?}", "ü"));
    }

    #[test]
    fn str_views() {
        assert_eq!(utf8_or_empty(b"ok"), "ok");
        assert_eq!(utf8_or_empty(b"o\xffk"), "");
        assert_eq!(lossy(b"o\xffk"), "o\u{fffd}k");
        assert!(matches!(lossy(b"ok"), Cow::Borrowed("ok")));
    }
}
