//! Replies (RFC 5321 §4.2): the reply framer and the grammar of one reply line.
//!
//! ```abnf
//! Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!              Reply-code [ SP textstring ] CRLF          ; RFC 5321 §4.2
//! Reply-code = %x32-35 %x30-35 %x30-39
//! textstring = 1*(%d09 / %d32-126)                       ; HT, SP, Printable US-ASCII
//! ```
//!
//! A reply spans lines, so unlike a command it is framed here, line by line, with the same
//! rules as [`scan_line`](crate::framing::line): CRLF only, a line limit in octets, and every
//! error at the first octet that makes the input unacceptable, whatever has or has not arrived
//! after it. That makes the result independent of how the input was split into reads: the
//! first answer other than "incomplete" is the same for a whole reply and for one fed one octet
//! at a time.

use memchr::memchr;

use super::{PErr, abnf, offset_in, split};
use crate::types::ReplyCode;
use crate::{ParseError, ParseErrorKind, ParseOptions};

const CODE_DIGIT: [&str; 3] = [
    "reply code: first digit 2-5 (RFC 5321 §4.2)",
    "reply code: second digit 0-5 (RFC 5321 §4.2)",
    "reply code: third digit 0-9 (RFC 5321 §4.2)",
];

/// Whether every octet of `s` is HT or printable US-ASCII: the class `abnf::TEXT`, written
/// without branches so the compiler vectorizes it.
#[inline]
fn plain_text(s: &[u8]) -> bool {
    s.iter().fold(true, |ok, &c| ok & ((c.wrapping_sub(0x20) < 0x5f) | (c == b'\t')))
}

/// Whether octet `c` may be digit `k` of a reply code.
#[inline]
fn code_digit(k: usize, c: u8) -> bool {
    match k {
        0 => (b'2'..=b'5').contains(&c),
        1 => (b'0'..=b'5').contains(&c),
        _ => c.is_ascii_digit(),
    }
}

/// The line limit for a reply with code `code` (RFC 5321 §4.5.3.1.5; a `334` challenge may be
/// as long as a SASL line, RFC 4954 §4). Never below 5, the length of `250` CRLF.
pub(crate) fn line_limit(code: u16, opts: &ParseOptions) -> usize {
    let l = opts.limits();
    let limit = if code == 334 { l.reply_line().max(l.sasl_line()) } else { l.reply_line() };
    limit.max(5)
}

/// Checks that `seg` (the text of a line, starting at `at` in the input) is well-formed UTF-8.
/// With `open_end`, a sequence cut off by the end of `seg` is accepted (more may follow).
fn utf8(seg: &[u8], at: usize, open_end: bool) -> Result<(), ParseError> {
    match core::str::from_utf8(seg) {
        Ok(_) => Ok(()),
        Err(e) if open_end && e.error_len().is_none() => Ok(()),
        Err(e) => Err(ParseError::new(at + e.valid_up_to(), ParseErrorKind::InvalidUtf8)),
    }
}

/// One complete line of a reply, as the framer hands it to a line check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 0 for the first line.
    pub(crate) index: usize,
    /// Offset of the line in the input.
    pub(crate) start: usize,
    /// The line without its CRLF.
    pub(crate) octets: &'a [u8],
    /// Whether this is the last line of the reply.
    pub(crate) last: bool,
}

impl<'a> Line<'a> {
    /// The text after the code and its separator (empty for a bare code).
    pub(crate) fn text(&self) -> &'a [u8] {
        self.octets.get(4..).unwrap_or(&[])
    }

    /// Offset of the text in the input.
    pub(crate) fn text_start(&self) -> usize {
        self.start + 4
    }

    /// The reply code.
    pub(crate) fn code(&self) -> u16 {
        self.octets.iter().take(3).fold(0u16, |a, &d| a * 10 + u16::from(d.wrapping_sub(b'0')))
    }
}

/// Frames the first reply at the front of `buf` and checks the grammar of each of its lines.
///
/// `check` runs on every line as soon as its CRLF is seen, in order, so errors it reports come
/// before anything the framer would find later in the input. Returns the code and the length
/// of the reply, or `None` while the reply is incomplete.
pub(crate) fn scan<'a, F>(buf: &'a [u8], opts: &ParseOptions, mut check: F) -> Result<Option<(u16, usize)>, ParseError>
where
    F: FnMut(Line<'a>) -> Result<(), ParseError>,
{
    // Reply text is `HT / %d32-126`, plus UTF-8 under SMTPUTF8 (RFC 6531 §3.7.4; checked for
    // well-formedness separately).
    let utf8_text = opts.smtputf8();
    let max_lines = opts.limits().reply_lines().max(1);
    let mut digits = [0u8; 3];
    let mut code = 0u16;
    let mut limit = 5usize;
    let mut start = 0usize;
    let mut index = 0usize;
    loop {
        let line = buf.get(start..).unwrap_or(&[]);
        // Reply-code: three digits, the same on every line (§4.2.1: "MUST be the same"). After
        // the first line, one comparison usually settles it.
        let same = index > 0 && line.get(..3) == Some(&digits[..]);
        for (k, slot) in digits.iter_mut().enumerate().filter(|_| !same) {
            let Some(&c) = line.get(k) else { return Ok(None) };
            if !code_digit(k, c) {
                let kind = ParseErrorKind::Syntax { expected: CODE_DIGIT.get(k).copied().unwrap_or("reply code") };
                return Err(ParseError::new(start + k, kind));
            }
            if index == 0 {
                *slot = c;
            } else if *slot != c {
                return Err(ParseError::new(start + k, ParseErrorKind::ReplyCodeMismatch));
            }
        }
        if index == 0 {
            code = digits.iter().fold(0u16, |a, &d| a * 10 + u16::from(d - b'0'));
            limit = line_limit(code, opts);
        }
        // The separator: "-" (more lines follow), SP, or CRLF right away (a bare code).
        let Some(&sep) = line.get(3) else { return Ok(None) };
        let (from, last) = match sep {
            b'-' if index + 1 >= max_lines => {
                return Err(ParseError::new(start + 3, ParseErrorKind::TooManyReplyLines { limit: max_lines }));
            }
            b'-' => (4, false),
            b' ' => (4, true),
            b'\r' => (3, true),
            b'\n' => return Err(ParseError::new(start + 3, ParseErrorKind::BareLf)),
            _ => {
                let kind = ParseErrorKind::Syntax { expected: "SP, '-' or CRLF after the reply code" };
                return Err(ParseError::new(start + 3, kind));
            }
        };
        // The text, up to the CRLF, within the line limit.
        let window = line.get(..limit).unwrap_or(line);
        let body = window.get(from..).unwrap_or(&[]);
        // The first octet that is not text: looked for octet by octet in a short head (most
        // EHLO lines end there); past it, the CR is found with memchr and the octets before it
        // checked by a loop without branches, which the compiler vectorizes.
        let not_text = |c: &u8| !(abnf::is(*c, abnf::TEXT) || (utf8_text && *c >= 0x80));
        let (head, tail) = split(body, 16);
        let stop = match head.iter().position(not_text) {
            Some(i) => Some(i),
            None => match memchr(b'\r', tail) {
                Some(i) if plain_text(tail.get(..i).unwrap_or(&[])) => Some(head.len() + i),
                _ => tail.iter().position(not_text).map(|i| head.len() + i),
            },
        };
        let Some(q) = stop.map(|i| from + i) else {
            utf8(body, start + from, true)?;
            if line.len() >= limit {
                return Err(ParseError::new(start + limit, ParseErrorKind::LineTooLong { limit }));
            }
            return Ok(None);
        };
        let text = window.get(from..q).unwrap_or(&[]);
        let at = |k: usize| start + k;
        match window.get(q).copied().unwrap_or(0) {
            b'\r' => {
                utf8(text, start + from, false)?;
                if q + 1 >= limit {
                    // The LF could only be octet `limit + 1` of the line.
                    return Err(ParseError::new(at(limit), ParseErrorKind::LineTooLong { limit }));
                }
                match line.get(q + 1) {
                    Some(b'\n') => {}
                    Some(_) => return Err(ParseError::new(at(q), ParseErrorKind::BareCr)),
                    None => return Ok(None),
                }
            }
            b'\n' => {
                utf8(text, start + from, false)?;
                return Err(ParseError::new(at(q), ParseErrorKind::BareLf));
            }
            c => {
                utf8(text, start + from, false)?;
                let kind = if c >= 0x80 {
                    ParseErrorKind::NonAscii
                } else {
                    ParseErrorKind::Syntax { expected: "reply text: HT, SP or printable US-ASCII (RFC 5321 §4.2)" }
                };
                return Err(ParseError::new(at(q), kind));
            }
        }
        check(Line { index, start, octets: line.get(..q).unwrap_or(&[]), last })?;
        start += q + 2;
        index += 1;
        if last {
            return Ok(Some((code, start)));
        }
    }
}

/// The error for input that [`scan`] found incomplete when a whole reply was expected.
pub(crate) fn incomplete(input: &[u8]) -> ParseError {
    if input.ends_with(b"\r\n") {
        ParseError::new(input.len(), ParseErrorKind::Syntax { expected: "the last line of the reply (no '-')" })
    } else {
        ParseError::new(input.len(), ParseErrorKind::MissingCrlf)
    }
}

/// Views the octets of a scanned reply as text (they were checked to be ASCII or, under
/// SMTPUTF8, well-formed UTF-8).
pub(crate) fn wire(octets: &[u8]) -> Result<&str, ParseError> {
    core::str::from_utf8(octets).map_err(|e| ParseError::new(e.valid_up_to(), ParseErrorKind::InvalidUtf8))
}

/// Turns an error inside a line's text (an offset relative to `base`) into one relative to the
/// input, where `base` starts at `offset`.
pub(crate) fn shift(base: &[u8], e: PErr<'_>, offset: usize) -> ParseError {
    ParseError::new(offset + offset_in(base, e.at), e.kind)
}

/// Checks a reply code value: `%x32-35 %x30-35 %x30-39` (RFC 5321 §4.2).
pub(crate) const fn valid_code(code: u16) -> bool {
    code >= 200 && code <= 559 && (code / 10) % 10 <= 5
}

/// The class digit of a reply code (2 to 5).
pub(crate) const fn class_digit(code: ReplyCode) -> u8 {
    (code.as_u16() / 100) as u8
}
