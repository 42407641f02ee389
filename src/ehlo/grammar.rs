//! EHLO replies (RFC 5321 §4.1.1.1) and the parameter grammars of the service extensions
//! they advertise.
//!
//! ```abnf
//! ehlo-ok-rsp  = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//!              / ( "250-" Domain [ SP ehlo-greet ] CRLF
//!                *( "250-" ehlo-line CRLF )
//!                "250" SP ehlo-line CRLF )                  ; RFC 5321 §4.1.1.1
//! ehlo-greet   = 1*(%d0-9 / %d11-12 / %d14-127)
//! ehlo-line    = ehlo-keyword *( SP ehlo-param )
//! ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
//! ehlo-param   = 1*(%d33-126)
//! ```

use alloc::borrow::Cow;

use super::check::{check_capability, check_params, check_tolerated, keyword_len, limits, mechanisms};
use super::fast::fast;
use super::{AuthMechanisms, EhloKeyword, EhloParams, EhloReply, Index, ServerLimits};
use crate::domain::Host;
use crate::domain::grammar::host;
use crate::framing::reply::Line;
use crate::parse::inherent_parse;
use crate::reply::grammar::{prefix_reply, whole_reply};
use crate::reply::{Reply, ReplyCode};
use crate::wire::lex::refuse_controls;
use crate::wire::scan::{PErr, PResult, finish, offset_in, shift, split, to_str, unwrap};
use crate::{BuildError, Parse, ParseError, ParseErrorKind, ParseOptions, ParsePrefix, Status};

/// The refusal of `what`, from a check over all of `s`.
fn refused(what: &'static str, s: &str, e: PErr<'_>) -> BuildError {
    BuildError::grammar(what, ParseError::new(offset_in(s.as_bytes(), e.at), e.kind))
}

impl<'a> EhloKeyword<'a> {
    /// Validates `s` as a keyword.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "EHLO keyword", false)?;
        finish(s.as_bytes(), ehlo_keyword(s.as_bytes()))
            .map(|k| EhloKeyword(Cow::Borrowed(k)))
            .map_err(|e| BuildError::grammar("EHLO keyword", e))
    }
}

impl<'a> EhloParams<'a> {
    /// Validates `s` as `ehlo-param *(SP ehlo-param)`.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "EHLO parameters", false)?;
        finish(s.as_bytes(), ehlo_params(s.as_bytes()))
            .map(|p| EhloParams(Cow::Borrowed(p)))
            .map_err(|e| BuildError::grammar("EHLO parameters", e))
    }
}

impl<'a> AuthMechanisms<'a> {
    /// Validates `s` as a space-separated list of mechanism names (may be empty).
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "SASL mechanisms", false)?;
        mechanisms(s.as_bytes(), false)
            .map(|()| AuthMechanisms(Cow::Borrowed(s)))
            .map_err(|e| refused("SASL mechanisms", s, e))
    }
}

impl<'a> ServerLimits<'a> {
    /// Validates `s` as `limits-param`.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "LIMITS parameters", false)?;
        limits(s.as_bytes()).map(|()| ServerLimits(Cow::Borrowed(s))).map_err(|e| refused("LIMITS parameters", s, e))
    }
}

/// What the line checks learn about an EHLO reply.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    /// Length of the host in the first line's text.
    host_len: usize,
    /// Whether the host is an address literal.
    literal: bool,
    /// Whether a capability line was accepted only by
    /// [`ParseOptions::with_malformed_capabilities`].
    tolerated: bool,
    /// What the one-pass parse learned of the capability lines (unfilled from the full
    /// parser).
    index: Index,
}

impl Seen {
    fn reply<'a>(self, reply: Reply<'a>) -> EhloReply<'a> {
        EhloReply {
            reply,
            host_len: self.host_len,
            literal: self.literal,
            tolerated: self.tolerated,
            index: self.index,
        }
    }
}

/// The line check of an EHLO reply: the first line names the server (and `seen` records how
/// long the name is and whether it is a literal), the others are capabilities.
fn check_line(line: Line<'_>, opts: &ParseOptions, seen: &mut Seen) -> Result<(), ParseError> {
    let tolerant = opts.malformed_capabilities();
    if line.index == 0 {
        let (host_len, literal) = first_line(line, opts)?;
        *seen = Seen { host_len, literal, ..Seen::default() };
    } else if capability_line(line, tolerant)? {
        seen.tolerated = true;
    }
    Ok(())
}

impl<'a> Parse<'a> for EhloReply<'a> {
    /// Parses exactly one whole EHLO reply under `opts` (limits; UTF-8 in the domain and
    /// greeting with SMTPUTF8; the reply text and capability leniencies).
    fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        // The common case in one pass; anything else (every error, every tolerance) is the
        // full parser's, from the start.
        if let Some((seen, n)) = fast_seen(bytes, opts) {
            if n == bytes.len() {
                let ehlo = seen.reply(checked_reply(bytes));
                debug_assert_eq!(Ok(&ehlo), full(bytes, opts).as_ref());
                debug_assert!(ehlo.index_agrees());
                return Ok(ehlo);
            }
        }
        full(bytes, opts)
    }
}

impl<'a> ParsePrefix<'a> for EhloReply<'a> {
    /// Parses the EHLO reply at the front of `buf`, or asks for more input.
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        if let Some((seen, n)) = fast_seen(buf, opts) {
            let ehlo = seen.reply(checked_reply(buf.get(..n).unwrap_or(&[])));
            debug_assert!(ehlo.index_agrees());
            let status = Status::Complete { value: ehlo, consumed: n };
            debug_assert_eq!(Ok(&status), full_prefix(buf, opts).as_ref());
            return Ok(status);
        }
        full_prefix(buf, opts)
    }
}
inherent_parse!(prefix EhloReply<'a>);

/// [`fast`] as the [`Seen`] of the reply it read, and its length.
#[inline]
fn fast_seen(buf: &[u8], opts: &ParseOptions) -> Option<(Seen, usize)> {
    fast(buf, opts).map(|(host_len, literal, n, index)| (Seen { host_len, literal, tolerated: false, index }, n))
}

/// The whole EHLO reply `bytes`, by the full parser (line by line through the reply framer).
fn full<'a>(bytes: &'a [u8], opts: &ParseOptions) -> Result<EhloReply<'a>, ParseError> {
    let mut seen = Seen::default();
    let reply = whole_reply(bytes, opts, |line| check_line(line, opts, &mut seen))?;
    Ok(seen.reply(reply))
}

/// The EHLO reply at the front of `buf`, by the full parser.
fn full_prefix<'a>(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<EhloReply<'a>>, ParseError> {
    let mut seen = Seen::default();
    let status = prefix_reply(buf, opts, |line| check_line(line, opts, &mut seen))?;
    Ok(status.map(|reply| seen.reply(reply)))
}

/// The reply [`fast`] accepted: code 250 on every line, printable US-ASCII text.
fn checked_reply(octets: &[u8]) -> Reply<'_> {
    Reply { code: ReplyCode::from_checked(250), wire: Cow::Borrowed(octets) }
}

/// Checks an already parsed reply as an EHLO reply; offsets are into the reply's wire text.
/// The text was checked when the reply was parsed: of `opts`, only the capability leniency
/// matters here.
fn from_reply(reply: &Reply<'_>, opts: &ParseOptions) -> Result<Seen, ParseError> {
    let opts = ParseOptions::STRICT.with_smtputf8(true).with_malformed_capabilities(opts.malformed_capabilities());
    let mut seen = Seen::default();
    let mut start = 0usize;
    let n = reply.line_count();
    for (index, l) in reply.lines().enumerate() {
        let octets = l.as_bytes();
        check_line(Line { index, start, octets, last: index + 1 == n }, &opts, &mut seen)?;
        start += octets.len() + 2;
    }
    Ok(seen)
}

impl<'r> EhloReply<'r> {
    /// Checks an already parsed `reply` as an EHLO reply under `opts`, as
    /// [`TryFrom`] does under strict options: a client that parsed the reply with
    /// [`ParseOptions::with_malformed_capabilities`] reads its capabilities with the same
    /// tolerance. Offsets in an error are into the reply's wire text.
    ///
    /// ```
    /// use smtp_wire::{EhloReply, Extension, ParseOptions, Reply};
    ///
    /// let reply = Reply::parse(b"250-mx.example.org\r\n250 SIZE -1\r\n").unwrap();
    /// assert!(EhloReply::try_from(&reply).is_err());
    /// let tolerant = ParseOptions::default().with_malformed_capabilities(true);
    /// let ehlo = EhloReply::from_reply_with(&reply, &tolerant).unwrap();
    /// assert!(ehlo.supports(Extension::Size) && ehlo.size_limit().is_none());
    /// ```
    pub fn from_reply_with(reply: &'r Reply<'_>, opts: &ParseOptions) -> Result<Self, ParseError> {
        Ok(from_reply(reply, opts)?.reply(reply.borrowed()))
    }
}

impl<'a> TryFrom<Reply<'a>> for EhloReply<'a> {
    type Error = ParseError;
    fn try_from(reply: Reply<'a>) -> Result<Self, ParseError> {
        Ok(from_reply(&reply, &ParseOptions::STRICT)?.reply(reply))
    }
}

impl<'r> TryFrom<&'r Reply<'_>> for EhloReply<'r> {
    type Error = ParseError;
    fn try_from(reply: &'r Reply<'_>) -> Result<Self, ParseError> {
        Self::from_reply_with(reply, &ParseOptions::STRICT)
    }
}

/// `ehlo-keyword` (with `_`, see [`keyword_len`]).
pub(crate) fn ehlo_keyword(i: &[u8]) -> PResult<'_, &str> {
    let n = keyword_len(i).map_err(nom::Err::Error)?;
    let (k, rest) = split(i, n);
    Ok((rest, to_str(k, false).map_err(nom::Err::Error)?))
}

/// `ehlo-param *( SP ehlo-param )`: the whole of `i`.
pub(crate) fn ehlo_params(i: &[u8]) -> PResult<'_, &str> {
    check_params(i).map_err(nom::Err::Error)?;
    Ok((&[], to_str(i, false).map_err(nom::Err::Error)?))
}

/// The first line of an EHLO reply: code 250, then `Domain [SP ehlo-greet]`.
///
/// An address literal is accepted where RFC 5321 §4.1.1.1 says `Domain`, as for the EHLO
/// command's argument: servers without a name send one. The greeting is reply text (HT and
/// printable US-ASCII, or UTF-8 under SMTPUTF8): the control characters `ehlo-greet` would
/// allow are refused by the reply grammar, which no reply line may break, unless
/// [`ParseOptions::with_loose_reply_text`] loosens it for every line. A space after the name
/// with no greeting is refused unless [`ParseOptions::with_malformed_capabilities`] is on.
///
/// Returns the length of the host text, and whether it is an address literal.
fn first_line(line: Line<'_>, opts: &ParseOptions) -> Result<(usize, bool), ParseError> {
    if line.code() != 250 {
        return Err(ParseError::new(line.start, ParseErrorKind::UnexpectedReplyCode { expected: 250 }));
    }
    if line.octets.len() < 4 {
        let kind = ParseErrorKind::Syntax { expected: "SP and the server's domain" };
        return Err(ParseError::new(line.start + 3, kind));
    }
    let text = line.text();
    let (rest, host) = host(text, opts).map_err(|e| shift(text, unwrap(e), line.text_start()))?;
    let len = text.len() - rest.len();
    match rest.split_first() {
        None => {}
        Some((b' ', greet)) if !greet.is_empty() || opts.malformed_capabilities() => {}
        Some((b' ', _)) => {
            let kind = ParseErrorKind::Syntax { expected: "greeting after SP (no trailing space)" };
            return Err(ParseError::new(line.text_start() + len, kind));
        }
        Some(_) => {
            let kind = ParseErrorKind::Syntax { expected: "SP or end of line after the domain" };
            return Err(ParseError::new(line.text_start() + len, kind));
        }
    }
    Ok((len, matches!(host, Host::Literal(_))))
}

/// A capability line of an EHLO reply (every line after the first). With `tolerant`, a line
/// that breaks its grammar after a well-formed keyword is accepted ([`check_tolerated`]), and
/// the answer is whether that was needed.
#[inline]
fn capability_line(line: Line<'_>, tolerant: bool) -> Result<bool, ParseError> {
    if line.octets.len() < 4 {
        return Err(ParseError::new(line.start + 3, ParseErrorKind::Syntax { expected: "SP and an EHLO keyword" }));
    }
    let text = line.text();
    match check_capability(text) {
        Ok(()) => Ok(false),
        Err(_) if tolerant => check_tolerated(text).map(|()| true).map_err(|e| shift(text, e, line.text_start())),
        Err(e) => Err(shift(text, e, line.text_start())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// The one-pass reader is taken on real servers' replies (so the cross-checks below, and
    /// the debug assertions in `parse_with`, are reached at all), fills the line index, and
    /// gives exactly what the full parser gives, with the index answering as a walk of the
    /// lines; on every reply one octet away from them, whatever it takes it takes as the full
    /// parser does. Plain `assert`s: this holds in release builds too.
    #[test]
    fn one_pass_is_taken_and_agrees_with_the_full_parser() {
        const REPLIES: &[&[u8]] = &[
            b"250-mx.postfix.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n",
            b"250-mail.example.com Hello client.example [192.0.2.1]\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n250-PRDR\r\n250 HELP\r\n",
            b"250-smtp.gmail.com at your service, [192.0.2.7]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
            b"250 mx.example.org\r\n",
        ];
        let opts = ParseOptions::default();
        let agrees = |input: &[u8]| -> bool {
            let Some((seen, n)) = fast_seen(input, &opts) else { return false };
            let prefix = input.get(..n).unwrap_or(&[]);
            let ehlo = seen.reply(checked_reply(prefix));
            assert_eq!(Ok(&ehlo), full(prefix, &opts).as_ref(), "{}", input.escape_ascii());
            assert!(ehlo.index_agrees(), "{}", input.escape_ascii());
            assert_eq!(
                Ok(Status::Complete { value: ehlo, consumed: n }),
                full_prefix(input, &opts),
                "{}",
                input.escape_ascii()
            );
            true
        };
        let mut taken = 0usize;
        for r in REPLIES {
            let (seen, n) = fast_seen(r, &opts).unwrap_or_default();
            assert_eq!(n, r.len(), "{}", r.escape_ascii());
            assert!(seen.index.filled, "{}", r.escape_ascii());
            assert!(agrees(r));
            for k in 0..r.len() {
                for c in [b' ', b'-', b'.', b'=', b'a', b'9', b'\r', 0x80] {
                    let mut m: Vec<u8> = r.to_vec();
                    if let Some(o) = m.get_mut(k) {
                        *o = c;
                    }
                    taken += usize::from(agrees(&m));
                    m.insert(k, c);
                    taken += usize::from(agrees(&m));
                }
            }
        }
        // Most variants are still plain replies: the check above ran on them.
        assert!(taken > 1000, "{taken}");
    }
}
