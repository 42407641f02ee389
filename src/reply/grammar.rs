//! Reading replies: the parsers of [`Reply`], [`SaslChallenge`] and [`EnhancedCode`] over the
//! reply framer ([`framing::reply`](crate::framing)), which checks every line's code,
//! separator and text.

use alloc::borrow::Cow;

use super::enhanced::prefix;
use super::{EnhancedCode, Reply, ReplyCode, SaslChallenge};
use crate::framing::reply::{Line, incomplete, scan};
use crate::parse::inherent_parse;
use crate::wire::lex::check_base64;
use crate::wire::scan::{PResult, expected, finish, shift};
use crate::{Parse, ParseError, ParseErrorKind, ParseOptions, ParsePrefix, Status};

/// Parses exactly one whole reply (all its lines, each with its CRLF) whose lines `check`
/// accepts.
pub(crate) fn whole_reply<'a>(
    bytes: &'a [u8],
    opts: &ParseOptions,
    check: impl FnMut(Line<'a>) -> Result<(), ParseError>,
) -> Result<Reply<'a>, ParseError> {
    match scan(bytes, opts, check)? {
        Some((code, n)) if n == bytes.len() => Ok(from_scanned(code, bytes)),
        Some((_, n)) => Err(ParseError::new(n, ParseErrorKind::TrailingData)),
        None => Err(incomplete(bytes)),
    }
}

/// Parses the first reply at the front of `buf` whose lines `check` accepts, or asks for more.
pub(crate) fn prefix_reply<'a>(
    buf: &'a [u8],
    opts: &ParseOptions,
    check: impl FnMut(Line<'a>) -> Result<(), ParseError>,
) -> Result<Status<Reply<'a>>, ParseError> {
    match scan(buf, opts, check)? {
        Some((code, n)) => Ok(Status::Complete { value: from_scanned(code, buf.get(..n).unwrap_or(&[])), consumed: n }),
        None => Ok(Status::Incomplete),
    }
}

/// The reply the framer found: `octets` were checked to be ASCII, or well-formed UTF-8 under
/// SMTPUTF8, or under loose reply text any octet but NUL (and CR, LF outside the CRLFs). They
/// are borrowed as they are: no copy, no conversion.
fn from_scanned(code: u16, octets: &[u8]) -> Reply<'_> {
    Reply { code: ReplyCode::from_checked(code), wire: Cow::Borrowed(octets) }
}

impl<'a> Parse<'a> for Reply<'a> {
    /// Parses exactly one whole reply under `opts` (limits; UTF-8 text with SMTPUTF8).
    fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        whole_reply(bytes, opts, |_| Ok(()))
    }
}

impl<'a> ParsePrefix<'a> for Reply<'a> {
    /// Parses the first reply at the front of `buf`, or asks for more input: a multi-line
    /// reply is [`Status::Incomplete`] until its last line has arrived.
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        prefix_reply(buf, opts, |_| Ok(()))
    }
}
inherent_parse!(prefix Reply<'a>);

impl<'a> Parse<'a> for SaslChallenge<'a> {
    /// Parses exactly one challenge line, CRLF included, under `opts`.
    fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        whole_reply(bytes, opts, challenge_line).map(|reply| Self { reply })
    }
}

impl<'a> ParsePrefix<'a> for SaslChallenge<'a> {
    /// Parses the challenge at the front of `buf`, or asks for more input.
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        prefix_reply(buf, opts, challenge_line).map(|s| s.map(|reply| Self { reply }))
    }
}
inherent_parse!(prefix SaslChallenge<'a>);

impl Parse<'_> for EnhancedCode {
    /// Parses exactly `input` as an enhanced status code (`opts` does not matter).
    fn parse_with(input: &[u8], _opts: &ParseOptions) -> Result<Self, ParseError> {
        finish(input, whole(input))
    }
}

impl EnhancedCode {
    /// Parses exactly `input` as an enhanced status code (see [`Parse`]).
    pub fn parse(input: &[u8]) -> Result<Self, ParseError> {
        <Self as Parse<'_>>::parse(input)
    }
}

/// Exactly one enhanced code, nothing after it.
fn whole(i: &[u8]) -> PResult<'_, EnhancedCode> {
    match prefix(i) {
        Some((code, n)) => Ok((i.get(n..).unwrap_or(&[]), code)),
        None => expected(i, "enhanced status code (class.subject.detail, RFC 3463)"),
    }
}

/// The line check of a SASL challenge: code 334, one line, base64 text.
fn challenge_line(line: Line<'_>) -> Result<(), ParseError> {
    if line.code() != 334 {
        return Err(ParseError::new(line.start, ParseErrorKind::UnexpectedReplyCode { expected: 334 }));
    }
    if !line.last {
        let kind = ParseErrorKind::Syntax { expected: "one-line 334 challenge (RFC 4954 §4)" };
        return Err(ParseError::new(line.start + 3, kind));
    }
    let text = line.text();
    check_base64(text).map_err(|e| shift(text, e, line.text_start()))
}

/// Checks an already parsed reply as a challenge; offsets are into the reply's wire text.
fn check_challenge(reply: &Reply<'_>) -> Result<(), ParseError> {
    let first = reply.as_bytes().split(|&c| c == b'\n').next().unwrap_or(&[]);
    let octets = first.strip_suffix(b"\r").unwrap_or(first);
    let last = !reply.is_multiline();
    challenge_line(Line { index: 0, start: 0, octets, last })
}

impl<'a> TryFrom<Reply<'a>> for SaslChallenge<'a> {
    type Error = ParseError;
    fn try_from(reply: Reply<'a>) -> Result<Self, ParseError> {
        check_challenge(&reply)?;
        Ok(Self { reply })
    }
}

impl<'r> TryFrom<&'r Reply<'_>> for SaslChallenge<'r> {
    type Error = ParseError;
    fn try_from(reply: &'r Reply<'_>) -> Result<Self, ParseError> {
        check_challenge(reply)?;
        Ok(Self { reply: reply.borrowed() })
    }
}
