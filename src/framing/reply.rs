//! Reply framing (RFC 5321 §4.2): where a multi-line reply ends.
//!
//! ```abnf
//! Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!              Reply-code [ SP textstring ] CRLF          ; RFC 5321 §4.2
//! Reply-code = %x32-35 %x30-35 %x30-39
//! textstring = 1*(%d09 / %d32-126)                       ; HT, SP, Printable US-ASCII
//! ```
//!
//! [`ParseOptions::with_loose_reply_text`] widens `textstring` to any octet but NUL, CR and
//! LF (controls, UTF-8 without SMTPUTF8, octets that are not UTF-8); nothing widens the
//! framing.
//!
//! A reply spans lines, so it is framed here, line by line, with the one line-end rule of the
//! crate ([`scan_line`]: CRLF only, bare CR and bare LF refused, a limit in octets). Each
//! complete line is then checked (code, separator, text) before the next is looked at, and
//! every error is reported at the first octet that makes the input unacceptable. That makes
//! the result independent of how the input was split into reads: the first answer other than
//! "incomplete" is the same for a whole reply and for one fed one octet at a time.

use super::line::scan_line;
use crate::wire::class::{self, TEXT};
use crate::{ParseError, ParseErrorKind, ParseOptions};

const CODE_DIGIT: [&str; 3] = [
    "reply code: first digit 2-5 (RFC 5321 §4.2)",
    "reply code: second digit 0-5 (RFC 5321 §4.2)",
    "reply code: third digit 0-9 (RFC 5321 §4.2)",
];

/// Whether every octet of `s` is HT or printable US-ASCII (the class `TEXT`), written without
/// branches so the compiler vectorizes it.
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

/// The line limit for a reply (RFC 5321 §4.5.3.1.5), or with `challenge` for a `334` SASL
/// challenge, which may be as long as a SASL line (RFC 4954 §4). Never below 5, the length of
/// `250` CRLF.
pub(crate) fn line_limit(challenge: bool, opts: &ParseOptions) -> usize {
    let l = opts.limits();
    let limit = if challenge { l.reply_line().max(l.sasl_line()) } else { l.reply_line() };
    limit.max(5)
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

/// Checks the code, the separator and the text of one line (`octets`, without its CRLF, at
/// `start` in the input). `digits` holds the first line's code (written by line 0). With
/// `partial`, `octets` is only the start of a line, and what is missing is not an error.
/// Returns whether this is the last line.
fn check_line(
    octets: &[u8],
    start: usize,
    index: usize,
    digits: &mut [u8; 3],
    opts: &ParseOptions,
    partial: bool,
) -> Result<bool, ParseError> {
    // Reply-code: three digits, the same on every line (§4.2.1: "MUST be the same"). After the
    // first line, one comparison usually settles it.
    if index == 0 || octets.get(..3) != Some(&digits[..]) {
        for (k, slot) in digits.iter_mut().enumerate() {
            let c = match octets.get(k) {
                Some(&c) => c,
                None if partial => return Ok(false),
                None => b'\r',
            };
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
    }
    // The separator: "-" (more lines follow), SP, or the end of the line (a bare code).
    let max_lines = opts.limits().reply_lines().max(1);
    let last = match octets.get(3) {
        None if partial => return Ok(false),
        None | Some(b' ') => true,
        Some(b'-') if index + 1 >= max_lines => {
            return Err(ParseError::new(start + 3, ParseErrorKind::TooManyReplyLines { limit: max_lines }));
        }
        Some(b'-') => false,
        Some(_) => {
            let kind = ParseErrorKind::Syntax { expected: "SP, '-' or CRLF after the reply code" };
            return Err(ParseError::new(start + 3, kind));
        }
    };
    // The text: HT and printable US-ASCII (RFC 5321 §4.2 `textstring`), plus UTF-8 under
    // SMTPUTF8 (RFC 6531 §3.7.4), checked for well-formedness up to the first octet that is
    // not text.
    let text = octets.get(4..).unwrap_or(&[]);
    if !plain_text(text) {
        if opts.loose_reply_text() {
            return loose_text(text, start + 4).map(|()| last);
        }
        let utf8 = opts.smtputf8();
        let q = text.iter().position(|&c| !(class::is(c, TEXT) || (utf8 && c >= 0x80)));
        if let Err(e) = core::str::from_utf8(text.get(..q.unwrap_or(text.len())).unwrap_or(&[])) {
            // A sequence cut off by the end of a partial line may yet be completed.
            if !(partial && q.is_none() && e.error_len().is_none()) {
                return Err(ParseError::new(start + 4 + e.valid_up_to(), ParseErrorKind::InvalidUtf8));
            }
        }
        if let Some(q) = q {
            let kind = if text.get(q).is_some_and(|c| !c.is_ascii()) {
                ParseErrorKind::NonAscii
            } else {
                ParseErrorKind::Syntax { expected: "reply text: HT, SP or printable US-ASCII (RFC 5321 §4.2)" }
            };
            return Err(ParseError::new(start + 4 + q, kind));
        }
    }
    Ok(last)
}

/// Loose reply text (`ParseOptions::with_loose_reply_text`), at `at` in the input: any octet
/// but NUL, CR and LF. Controls, UTF-8 without SMTPUTF8 and octets that are not UTF-8 (a
/// Latin-1 greeting, a binary command echoed back) are text; the values keep them as octets,
/// so nothing here needs to decode them. CR and LF are the framer's (they never reach here
/// but in a CRLF); NUL ends the text for C readers, so two readers could disagree on it.
fn loose_text(text: &[u8], at: usize) -> Result<(), ParseError> {
    match memchr::memchr3(0, b'\r', b'\n', text) {
        Some(q) => {
            let kind = ParseErrorKind::Syntax { expected: "reply text: any octet but NUL, CR and LF" };
            Err(ParseError::new(at + q, kind))
        }
        None => Ok(()),
    }
}

/// Frames the first reply at the front of `buf` and checks the grammar of each of its lines.
///
/// `check` runs on every line as soon as it is complete and valid, in order, so errors it
/// reports come before anything the framer would find later in the input. A line is framed by
/// [`scan_line`], the rule command lines are framed by. Returns the code
/// and the length of the reply, or `None` while the reply is incomplete.
pub(crate) fn scan<'a, F>(buf: &'a [u8], opts: &ParseOptions, mut check: F) -> Result<Option<(u16, usize)>, ParseError>
where
    F: FnMut(Line<'a>) -> Result<(), ParseError>,
{
    let limit = line_limit(buf.starts_with(b"334"), opts);
    let mut digits = [0u8; 3];
    let mut start = 0usize;
    let mut index = 0usize;
    loop {
        let rest = buf.get(start..).unwrap_or(&[]);
        // Where the line ends; before a framing error or the end of the input, the part of
        // the line already there is checked, so an error is always reported at the first
        // octet that makes the input unacceptable.
        let n = match scan_line(rest, limit) {
            Ok(Some(n)) => n,
            Ok(None) => {
                // A last octet CR waits for its LF.
                let part = rest.strip_suffix(b"\r").unwrap_or(rest);
                check_line(part, start, index, &mut digits, opts, true)?;
                return Ok(None);
            }
            Err(e) => {
                // A CR just before a too-long line's limit is the framer's to judge.
                let before = rest.get(..e.offset()).unwrap_or(rest);
                let part = before.strip_suffix(b"\r").unwrap_or(before);
                check_line(part, start, index, &mut digits, opts, true)?;
                return Err(e.shifted(start));
            }
        };
        let octets = rest.get(..n.saturating_sub(2)).unwrap_or(&[]);
        let last = check_line(octets, start, index, &mut digits, opts, false)?;
        check(Line { index, start, octets, last })?;
        start += n;
        index += 1;
        if last {
            let code = digits.iter().fold(0u16, |a, &d| a * 10 + u16::from(d - b'0'));
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
