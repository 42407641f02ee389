//! Small lexical items: keywords, ESMTP values, xtext, base64, strings, timestamps; and the
//! one rule for control characters in values that constructors put on the wire.

use alloc::borrow::Cow;
use alloc::string::String;

use super::class::{
    self as abnf, ALPHA, ATEXT, BASE64, DIGIT, ESMTP_VALUE, HEXDIG, KEYWORD, MECH, QPAIR, QTEXT, TEXT, XCHAR,
};
use super::scan::{PErr, PResult, Utf8Line, expected, fail, split};
use crate::{BuildError, BuildErrorKind, ParseErrorKind};

/// The octet offset of the first control character in `value`: C0, DEL and C1 (U+0080 to
/// U+009F), which is what `char::is_control` means (Unicode general category Cc); HT is
/// allowed when `tab`. This is the crate's one definition of a control character for values
/// that constructors and builders write: ASCII controls have no place in SMTP's grammar
/// outside HT in text (RFC 5321 §4.1.2, §4.2), and UTF-8 ones (RFC 6531) are read as line
/// breaks by some receivers and logs (U+0085 NEL).
pub(crate) fn find_control(value: &str, tab: bool) -> Option<usize> {
    // Printable ASCII (and HT, when allowed) is the common case: one pass without branches
    // that the compiler vectorizes. Anything else (a control, or any non-ASCII octet, which
    // may start a C1 control) takes the exact scan.
    let plain = value.bytes().fold(true, |ok, c| ok & ((c.wrapping_sub(0x20) < 0x5f) | (tab & (c == b'\t'))));
    if plain {
        return None;
    }
    value.char_indices().find(|&(_, c)| c.is_control() && !(tab && c == '\t')).map(|(k, _)| k)
}

/// Refuses `value` as `what` if it holds a control character (see [`find_control`]).
pub(crate) fn refuse_controls(value: &str, what: &'static str, tab: bool) -> Result<(), BuildError> {
    match find_control(value, tab) {
        Some(k) => Err(BuildError::new(what, BuildErrorKind::ControlCharacter).at(k)),
        None => Ok(()),
    }
}

/// `value` as a `Quoted-string`: in quotes, with `"` and `\` escaped (RFC 5321 §4.1.2
/// `quoted-pairSMTP`). The caller has refused control characters.
pub(crate) fn quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// The value of a `Quoted-string` (quotes and escapes removed); other text as it is.
pub(crate) fn unquote(s: &str) -> Cow<'_, str> {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return Cow::Borrowed(s);
    };
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if c == '\\' && !escaped {
            escaped = true;
        } else {
            out.push(c);
            escaped = false;
        }
    }
    Cow::Owned(out)
}

/// The value of a hex digit (0 for anything else).
pub(crate) fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")` (RFC 5321 §4.1.2); also
/// `ehlo-keyword` and unknown verbs.
pub(crate) fn keyword(i: &[u8]) -> PResult<'_, &str> {
    keyword_in(i, Utf8Line::NONE)
}

/// [`keyword`] inside `line`.
pub(crate) fn keyword_in<'a>(i: &'a [u8], line: Utf8Line<'a>) -> PResult<'a, &'a str> {
    match i.first() {
        Some(&c) if abnf::is(c, ALPHA | DIGIT) => {}
        _ => return expected(i, "keyword"),
    }
    let n = abnf::span(i, KEYWORD);
    let (k, rest) = split(i, n);
    Ok((rest, line.str(k, false).map_err(nom::Err::Error)?))
}

/// `esmtp-value = 1*(%d33-60 / %d62-126)` (RFC 5321 §4.1.2; RFC 6531 adds UTF8-non-ascii).
pub(crate) fn esmtp_value(i: &[u8], utf8: bool) -> PResult<'_, &str> {
    esmtp_value_in(i, utf8, Utf8Line::NONE)
}

/// [`esmtp_value`] inside `line`.
pub(crate) fn esmtp_value_in<'a>(i: &'a [u8], utf8: bool, line: Utf8Line<'a>) -> PResult<'a, &'a str> {
    let n = abnf::span_utf8(i, ESMTP_VALUE, utf8);
    if n == 0 {
        if i.first().is_some_and(|c| !c.is_ascii()) {
            return fail(i, ParseErrorKind::NonAscii);
        }
        return expected(i, "parameter value");
    }
    let (v, rest) = split(i, n);
    Ok((rest, line.str(v, utf8).map_err(nom::Err::Error)?))
}

/// Checks `xtext = *( xchar / hexchar )`, `hexchar = "+" 2(%x30-39 / %x41-46)` (RFC 3461 §4:
/// upper-case hex only). Returns the offending suffix on failure.
pub(crate) fn check_xtext(s: &[u8]) -> Result<(), PErr<'_>> {
    let mut p = 0;
    while let Some(&c) = s.get(p) {
        if abnf::is(c, XCHAR) {
            p += 1;
        } else if c == b'+'
            && s.get(p + 1).is_some_and(|&h| abnf::is(h, HEXDIG) && !h.is_ascii_lowercase())
            && s.get(p + 2).is_some_and(|&h| abnf::is(h, HEXDIG) && !h.is_ascii_lowercase())
        {
            p += 3;
        } else {
            return Err(PErr { at: s.get(p..).unwrap_or(&[]), kind: ParseErrorKind::InvalidXtext });
        }
    }
    Ok(())
}

/// Checks base64 (RFC 4648 §4): the alphabet, a length that is a multiple of four, and `=`
/// padding only at the end (at most two), zero pad bits. Empty is valid (a zero-length
/// response).
pub(crate) fn check_base64(s: &[u8]) -> Result<(), PErr<'_>> {
    let n = abnf::span(s, BASE64);
    let pad = s.get(n..).unwrap_or(&[]);
    let bad = |at: usize| PErr { at: s.get(at..).unwrap_or(&[]), kind: ParseErrorKind::InvalidBase64 };
    // Padding only at the very end, at most two: anything else is a misplaced '=' (or a
    // foreign octet) at the first octet past the alphabet run.
    if pad.len() > 2 || pad.iter().any(|&c| c != b'=') {
        return Err(bad(n));
    }
    if s.len() % 4 != 0 {
        return Err(bad(s.len()));
    }
    // Canonical encoding (RFC 4648 §3.5): the bits below the last symbol's share of the data
    // must be zero, so every octet string has exactly one accepted encoding.
    let unused = match pad.len() {
        1 => 0b11,
        2 => 0b1111,
        _ => 0,
    };
    if let Some(&last) = n.checked_sub(1).and_then(|k| s.get(k)) {
        if b64_value(last) & unused != 0 {
            return Err(bad(n - 1));
        }
    }
    Ok(())
}

/// The 6-bit value of a base64 symbol (0 for anything else).
pub(crate) fn b64_value(c: u8) -> u8 {
    match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 0,
    }
}

/// ```abnf
/// String = Atom / Quoted-string     ; RFC 5321 §4.1.2
/// ```
/// Returns the wire form.
pub(crate) fn smtp_string(i: &[u8], utf8: bool) -> PResult<'_, &str> {
    smtp_string_in(i, utf8, Utf8Line::NONE)
}

/// [`smtp_string`] inside `line`.
pub(crate) fn smtp_string_in<'a>(i: &'a [u8], utf8: bool, line: Utf8Line<'a>) -> PResult<'a, &'a str> {
    let n = if i.first() == Some(&b'"') {
        let mut p = 1usize;
        loop {
            p += abnf::span_utf8(i.get(p..).unwrap_or(&[]), QTEXT, utf8);
            match i.get(p) {
                Some(b'"') => break p + 1,
                Some(b'\\') if i.get(p + 1).is_some_and(|&c| abnf::is(c, QPAIR)) => p += 2,
                Some(c) if !c.is_ascii() => {
                    return fail(i.get(p..).unwrap_or(&[]), ParseErrorKind::NonAscii);
                }
                _ => return expected(i.get(p..).unwrap_or(&[]), "quoted-string text or '\"'"),
            }
        }
    } else {
        let n = abnf::span_utf8(i, ATEXT, utf8);
        if n == 0 {
            if i.first().is_some_and(|c| !c.is_ascii()) {
                return fail(i, ParseErrorKind::NonAscii);
            }
            return expected(i, "atom or quoted string");
        }
        n
    };
    let (s, rest) = split(i, n);
    Ok((rest, line.str(s, utf8).map_err(nom::Err::Error)?))
}

/// Free text: `1*(%d9 / %d32-126)` (plus UTF-8 under SMTPUTF8): the arguments of unknown
/// commands, kept verbatim.
pub(crate) fn text(i: &[u8], utf8: bool) -> PResult<'_, &str> {
    text_in(i, utf8, Utf8Line::NONE)
}

/// [`text`] inside `line`.
pub(crate) fn text_in<'a>(i: &'a [u8], utf8: bool, line: Utf8Line<'a>) -> PResult<'a, &'a str> {
    let n = abnf::span_utf8(i, TEXT, utf8);
    if n == 0 {
        return expected(i, "text");
    }
    let (s, rest) = split(i, n);
    Ok((rest, line.str(s, utf8).map_err(nom::Err::Error)?))
}

/// `sasl-mech = 1*20mech-char`, `mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE`
/// (RFC 4422 §3.1); lower case is accepted and kept.
pub(crate) fn mechanism(i: &[u8]) -> PResult<'_, &str> {
    mechanism_in(i, Utf8Line::NONE)
}

/// [`mechanism`] inside `line`.
pub(crate) fn mechanism_in<'a>(i: &'a [u8], line: Utf8Line<'a>) -> PResult<'a, &'a str> {
    let n = abnf::span(i, MECH);
    if n == 0 {
        return expected(i, "SASL mechanism name");
    }
    if n > 20 {
        return expected(i.get(20..).unwrap_or(&[]), "SASL mechanism name of at most 20 characters");
    }
    let (s, rest) = split(i, n);
    Ok((rest, line.str(s, false).map_err(nom::Err::Error)?))
}

/// RFC 3339 §5.6 `date-time` (used by HOLDUNTIL, RFC 4865, and RRVS, RFC 7293):
/// ```abnf
/// date-time    = full-date "T" full-time
/// full-date    = date-fullyear "-" date-month "-" date-mday
/// full-time    = partial-time time-offset
/// partial-time = time-hour ":" time-minute ":" time-second [time-secfrac]
/// time-secfrac = "." 1*DIGIT
/// time-offset  = "Z" / time-numoffset
/// time-numoffset = ("+" / "-") time-hour ":" time-minute
/// ```
pub(crate) fn check_timestamp(s: &[u8]) -> bool {
    fn num(s: &[u8], at: usize, len: usize, max: u32) -> Option<u32> {
        let d = s.get(at..at + len)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = d.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
        (v <= max).then_some(v)
    }
    let sep = |at: usize, c: u8| s.get(at).is_some_and(|x| x.eq_ignore_ascii_case(&c));
    let ok = num(s, 0, 4, 9999).is_some()
        && sep(4, b'-')
        && num(s, 5, 2, 12).is_some_and(|m| m >= 1)
        && sep(7, b'-')
        && num(s, 8, 2, 31).is_some_and(|d| d >= 1)
        && sep(10, b'T')
        && num(s, 11, 2, 23).is_some()
        && sep(13, b':')
        && num(s, 14, 2, 59).is_some()
        && sep(16, b':')
        && num(s, 17, 2, 60).is_some();
    if !ok {
        return false;
    }
    let mut p = 19;
    if s.get(p) == Some(&b'.') {
        let n = abnf::span(s.get(p + 1..).unwrap_or(&[]), DIGIT);
        if n == 0 {
            return false;
        }
        p += 1 + n;
    }
    match s.get(p) {
        Some(b'Z' | b'z') => p + 1 == s.len(),
        Some(b'+' | b'-') => {
            num(s, p + 1, 2, 23).is_some() && sep(p + 3, b':') && num(s, p + 4, 2, 59).is_some() && p + 6 == s.len()
        }
        _ => false,
    }
}
