//! The nom plumbing every grammar shares: the error type, offsets, splitting, numbers.
//!
//! Every grammar in the crate runs on complete input (one framed line, or a value handed to a
//! constructor), so nothing here can ask for more. Errors carry the remaining input at the
//! point of failure; [`finish`] turns that into an octet offset from the start of the input.

use nom::IResult;

use super::class::{self, DIGIT};
use crate::{ParseError, ParseErrorKind};

/// The internal nom error: where (the remaining input) and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PErr<'a> {
    pub(crate) at: &'a [u8],
    pub(crate) kind: ParseErrorKind,
}

pub(crate) type PResult<'a, O> = IResult<&'a [u8], O, PErr<'a>>;

impl<'a> nom::error::ParseError<&'a [u8]> for PErr<'a> {
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        Self { at: input, kind: ParseErrorKind::Syntax { expected: "valid syntax" } }
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two failed alternatives, report the one that got further.
    fn or(self, other: Self) -> Self {
        if other.at.len() < self.at.len() { other } else { self }
    }
}

/// A recoverable error of `kind` at `at`.
pub(crate) fn fail<'a, O>(at: &'a [u8], kind: ParseErrorKind) -> PResult<'a, O> {
    Err(nom::Err::Error(PErr { at, kind }))
}

/// A syntax error: `what` was expected at `at`.
pub(crate) fn expected<'a, O>(at: &'a [u8], what: &'static str) -> PResult<'a, O> {
    fail(at, ParseErrorKind::Syntax { expected: what })
}

/// Byte offset of `at` inside `base` (both slices of one input).
pub(crate) fn offset_in(base: &[u8], at: &[u8]) -> usize {
    (at.as_ptr() as usize).saturating_sub(base.as_ptr() as usize).min(base.len())
}

/// Converts a nom result over `base` into the public error, requiring all of `base` consumed.
#[inline]
pub(crate) fn finish<'a, O>(base: &'a [u8], r: PResult<'a, O>) -> Result<O, ParseError> {
    match r {
        Ok(([], value)) => Ok(value),
        Ok((rest, _)) => {
            Err(ParseError::new(offset_in(base, rest), ParseErrorKind::Syntax { expected: "end of input" }))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(ParseError::new(offset_in(base, e.at), e.kind)),
        Err(nom::Err::Incomplete(_)) => {
            Err(ParseError::new(base.len(), ParseErrorKind::Syntax { expected: "more input" }))
        }
    }
}

/// Splits `s` at `n` without panicking (`n` past the end takes everything).
#[inline]
pub(crate) fn split(s: &[u8], n: usize) -> (&[u8], &[u8]) {
    s.split_at_checked(n).unwrap_or((s, &[]))
}

/// Views validated octets as `str`. Octets above 0x7F are refused unless `utf8`, and must then
/// be well-formed UTF-8 (RFC 3629; RFC 6531 §3.3).
pub(crate) fn to_str(s: &[u8], utf8: bool) -> Result<&str, PErr<'_>> {
    // `is_ascii` checks a word at a time; the position is looked for only on failure.
    if !utf8 && !s.is_ascii() {
        let i = s.iter().position(|c| !c.is_ascii()).unwrap_or(0);
        return Err(PErr { at: s.get(i..).unwrap_or(&[]), kind: ParseErrorKind::NonAscii });
    }
    core::str::from_utf8(s)
        .map_err(|e| PErr { at: s.get(e.valid_up_to()..).unwrap_or(&[]), kind: ParseErrorKind::InvalidUtf8 })
}

/// The longest prefix of a line (or a value) that is well-formed UTF-8, found once, so that
/// each token inside that prefix becomes a `&str` by slicing instead of by validating it again.
///
/// Every token handed to [`Utf8Line::str`] has been held by its grammar to an ASCII octet
/// class unless `utf8` is on (domains to `Ldh-str`, local parts to `atext`/`qtext`, values to
/// `esmtp-value`, and so on); for such a token `str` gives exactly what [`to_str`] gives (the
/// same `&str`, or the same error), without checking the line or the token for octets above
/// 0x7F a second time. A token the prefix does not cover is handed to [`to_str`] itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Utf8Line<'a> {
    /// The well-formed prefix of the line: it starts where the line does, so a token's
    /// offset in the line is its offset here. (Two words: the value is passed in registers,
    /// not copied through memory at each call.)
    text: &'a str,
}

impl<'a> Utf8Line<'a> {
    /// Covers nothing: every token goes through [`to_str`].
    pub(crate) const NONE: Self = Self { text: "" };

    /// Validates `base` once (its well-formed prefix).
    #[inline]
    pub(crate) fn new(base: &'a [u8]) -> Self {
        let text = match core::str::from_utf8(base) {
            Ok(s) => s,
            // The prefix starts at `base` too (`valid_up_to` is within `base`).
            Err(e) => base.get(..e.valid_up_to()).and_then(|v| core::str::from_utf8(v).ok()).unwrap_or(""),
        };
        Self { text }
    }

    /// Covers all of `s`, which is already a `str`.
    pub(crate) fn from_str(s: &'a str) -> Self {
        Self { text: s }
    }

    /// `tok` (a part of the line, ASCII by its grammar unless `utf8`) as `str`: see
    /// [`to_str`] and the type's docs.
    #[inline(always)]
    pub(crate) fn str(self, tok: &'a [u8], utf8: bool) -> Result<&'a str, PErr<'a>> {
        debug_assert!(utf8 || tok.is_ascii(), "a token's grammar let an octet above 0x7F through");
        // A token outside the line gives an offset the prefix does not hold (or one that is
        // not a character boundary): `get` refuses it and `to_str` decides.
        let start = (tok.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if let Some(s) = start.checked_add(tok.len()).and_then(|end| self.text.get(start..end)) {
            return Ok(s);
        }
        to_str(tok, utf8)
    }
}

/// `s` starts with `prefix`, ASCII case-insensitively.
#[inline]
pub(crate) fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len()).is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// Parses a run of decimal digits as `u64`: at most `max_digits` of them after any leading
/// zeros, and no overflow.
pub(crate) fn number<'a>(i: &'a [u8], max_digits: usize, what: &'static str) -> PResult<'a, u64> {
    let n = class::span(i, DIGIT);
    if n == 0 {
        return expected(i, what);
    }
    let zeros = i.iter().take(n.saturating_sub(1)).take_while(|&&c| c == b'0').count();
    if n - zeros > max_digits {
        return fail(i, ParseErrorKind::NumberOverflow);
    }
    let (digits, rest) = split(i, n);
    let mut v: u64 = 0;
    for &d in digits {
        v = match v.checked_mul(10).and_then(|v| v.checked_add(u64::from(d - b'0'))) {
            Some(v) => v,
            None => return fail(i, ParseErrorKind::NumberOverflow),
        };
    }
    Ok((rest, v))
}

/// The public error for a failure inside `base`, where `base` starts `offset` octets into the
/// input.
pub(crate) fn shift(base: &[u8], e: PErr<'_>, offset: usize) -> ParseError {
    ParseError::new(offset + offset_in(base, e.at), e.kind)
}

/// The inner error of a nom result's error.
pub(crate) fn unwrap(e: nom::Err<PErr<'_>>) -> PErr<'_> {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => PErr { at: &[], kind: ParseErrorKind::Syntax { expected: "more input" } },
    }
}
