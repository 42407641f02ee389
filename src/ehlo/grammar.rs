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

use super::capability::digits;
use super::keyword::extension;
use super::{AuthMechanisms, EhloKeyword, EhloParams, EhloReply, Extension, ServerLimits};
use crate::domain::Host;
use crate::domain::grammar::host;
use crate::framing::reply::Line;
use crate::parse::inherent_parse;
use crate::reply::Reply;
use crate::reply::grammar::{prefix_reply, whole_reply};
use crate::wire::class::{self as abnf, ALPHA, DIGIT, KEYWORD, MECH};
use crate::wire::lex::{check_timestamp, refuse_controls};
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

/// The line check of an EHLO reply: the first line names the server (and `first` records how
/// long the name is and whether it is a literal), the others are capabilities.
fn check_line(line: Line<'_>, opts: &ParseOptions, first: &mut FirstLine) -> Result<(), ParseError> {
    if line.index == 0 { first_line(line, opts).map(|f| *first = f) } else { capability_line(line) }
}

impl<'a> Parse<'a> for EhloReply<'a> {
    /// Parses exactly one whole EHLO reply under `opts` (limits; UTF-8 in the domain and
    /// greeting with SMTPUTF8).
    fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        let mut first = (0, false);
        let reply = whole_reply(bytes, opts, |line| check_line(line, opts, &mut first))?;
        Ok(Self { reply, host_len: first.0, literal: first.1 })
    }
}

impl<'a> ParsePrefix<'a> for EhloReply<'a> {
    /// Parses the EHLO reply at the front of `buf`, or asks for more input.
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        let mut first = (0, false);
        let status = prefix_reply(buf, opts, |line| check_line(line, opts, &mut first))?;
        Ok(status.map(|reply| Self { reply, host_len: first.0, literal: first.1 }))
    }
}
inherent_parse!(prefix EhloReply<'a>);

/// Checks an already parsed reply as an EHLO reply; offsets are into the reply's wire text.
fn from_reply(reply: &Reply<'_>) -> Result<FirstLine, ParseError> {
    let opts = ParseOptions::STRICT.with_smtputf8(true);
    let mut first = (0, false);
    let mut start = 0usize;
    let n = reply.line_count();
    for (index, l) in reply.lines().enumerate() {
        let octets = l.as_str().as_bytes();
        check_line(Line { index, start, octets, last: index + 1 == n }, &opts, &mut first)?;
        start += octets.len() + 2;
    }
    Ok(first)
}

impl<'a> TryFrom<Reply<'a>> for EhloReply<'a> {
    type Error = ParseError;
    fn try_from(reply: Reply<'a>) -> Result<Self, ParseError> {
        let (host_len, literal) = from_reply(&reply)?;
        Ok(Self { reply, host_len, literal })
    }
}

impl<'r> TryFrom<&'r Reply<'_>> for EhloReply<'r> {
    type Error = ParseError;
    fn try_from(reply: &'r Reply<'_>) -> Result<Self, ParseError> {
        let (host_len, literal) = from_reply(reply)?;
        Ok(Self { reply: reply.borrowed(), host_len, literal })
    }
}

/// `ehlo-keyword` octets after the first: `ALPHA / DIGIT / "-"`, and `_`.
///
/// RFC 5321 has no `_` in a keyword, but Exim (4.95 and later, by default) advertises
/// `PIPE_CONNECT`, and a client that refused that line would refuse the whole reply of one of
/// the most common servers. The keyword is kept verbatim as [`Capability::Other`]; no other
/// line can be read differently because of it.
#[inline]
fn keyword_tail(c: u8) -> bool {
    c == b'_' || abnf::is(c, KEYWORD)
}

/// Length of the `ehlo-keyword` (with `_`, see [`keyword_tail`]) at the front of `i`.
fn keyword_len(i: &[u8]) -> Result<usize, PErr<'_>> {
    match i.first() {
        Some(&c) if abnf::is(c, ALPHA | DIGIT) => {}
        Some(c) if !c.is_ascii() => return Err(PErr { at: i, kind: ParseErrorKind::NonAscii }),
        _ => return Err(PErr { at: i, kind: ParseErrorKind::Syntax { expected: "EHLO keyword" } }),
    }
    Ok(i.iter().position(|&c| !keyword_tail(c)).unwrap_or(i.len()))
}

/// `ehlo-keyword` (with `_`, see [`keyword_tail`]).
pub(crate) fn ehlo_keyword(i: &[u8]) -> PResult<'_, &str> {
    let n = keyword_len(i).map_err(nom::Err::Error)?;
    let (k, rest) = split(i, n);
    Ok((rest, to_str(k, false).map_err(nom::Err::Error)?))
}

/// Checks `ehlo-param *( SP ehlo-param )`, `ehlo-param = 1*(%d33-126)`, over all of `i`.
fn check_params(i: &[u8]) -> Result<(), PErr<'_>> {
    let mut p = 0usize;
    loop {
        let rest = i.get(p..).unwrap_or(&[]);
        let n = rest.iter().position(|&c| !(33..=126).contains(&c)).unwrap_or(rest.len());
        if n == 0 {
            if rest.first().is_some_and(|c| !c.is_ascii()) {
                return Err(PErr { at: rest, kind: ParseErrorKind::NonAscii });
            }
            return Err(PErr { at: rest, kind: ParseErrorKind::Syntax { expected: "EHLO parameter" } });
        }
        p += n;
        match i.get(p) {
            None => return Ok(()),
            Some(b' ') => p += 1,
            Some(c) => {
                let at = i.get(p..).unwrap_or(&[]);
                let kind = if c.is_ascii() {
                    ParseErrorKind::Syntax { expected: "EHLO parameter (printable US-ASCII)" }
                } else {
                    ParseErrorKind::NonAscii
                };
                return Err(PErr { at, kind });
            }
        }
    }
}

/// `ehlo-param *( SP ehlo-param )`: the whole of `i`.
pub(crate) fn ehlo_params(i: &[u8]) -> PResult<'_, &str> {
    check_params(i).map_err(nom::Err::Error)?;
    Ok((&[], to_str(i, false).map_err(nom::Err::Error)?))
}

/// A SASL mechanism list: `*(SP sasl-mech)` after the keyword (at least one for `AUTH=`).
/// `sasl-mech = 1*20mech-char` (RFC 4422 §3.1, lower case accepted).
pub(crate) fn mechanisms<'a>(i: &'a [u8], at_least_one: bool) -> Result<(), PErr<'a>> {
    let bad = |at: &'a [u8]| PErr { at, kind: ParseErrorKind::InvalidCapability { keyword: "AUTH" } };
    if i.is_empty() {
        return if at_least_one { Err(bad(i)) } else { Ok(()) };
    }
    for m in i.split(|&c| c == b' ') {
        let n = abnf::span(m, MECH);
        if n == 0 {
            return Err(bad(m));
        }
        if n > 20 {
            return Err(bad(m.get(20..).unwrap_or(&[])));
        }
        if n < m.len() {
            return Err(bad(m.get(n..).unwrap_or(&[])));
        }
    }
    Ok(())
}

/// `limits-param` (RFC 9422 §3):
///
/// ```abnf
/// limits-param     = limit-name-value 0*[SP limit-name-value]
/// limit-name-value = limit-name ["=" limit-value]
/// limit-name       = 1*(ALPHA / DIGIT / "-" / "_")
/// limit-value      = 1*(%x21-3A / %x3C-7E)     ; any VCHAR except ";"
/// ```
pub(crate) fn limits<'a>(i: &'a [u8]) -> Result<(), PErr<'a>> {
    let bad = |at: &'a [u8]| PErr { at, kind: ParseErrorKind::InvalidCapability { keyword: "LIMITS" } };
    if i.is_empty() {
        return Err(bad(i));
    }
    for one in i.split(|&c| c == b' ') {
        let n = one.iter().position(|&c| !(c == b'_' || abnf::is(c, KEYWORD))).unwrap_or(one.len());
        if n == 0 {
            return Err(bad(one));
        }
        let (_, rest) = split(one, n);
        match rest.split_first() {
            None => {}
            Some((b'=', value)) => {
                if value.is_empty() {
                    return Err(bad(value));
                }
                if let Some(k) = value.iter().position(|&c| !(0x21..=0x7e).contains(&c) || c == b';') {
                    return Err(bad(value.get(k..).unwrap_or(&[])));
                }
            }
            Some(_) => return Err(bad(rest)),
        }
    }
    Ok(())
}

/// Checks one capability line (the text after `250-` / `250 `): the generic `ehlo-line`
/// grammar, then the grammar of a known keyword's parameters. Builds nothing.
pub(crate) fn check_capability(t: &[u8]) -> Result<(), PErr<'_>> {
    let n = keyword_len(t)?;
    let (kw, rest) = split(t, n);
    if rest.first() == Some(&b'=') && kw.eq_ignore_ascii_case(b"AUTH") {
        // The pre-standard `AUTH=LOGIN PLAIN` spelling, still sent for old clients: the
        // mechanisms follow the `=`.
        return mechanisms(rest.get(1..).unwrap_or(&[]), true);
    }
    let params = match rest.split_first() {
        None => None,
        Some((b' ', p)) => {
            check_params(p)?;
            Some(p)
        }
        Some((c, _)) if !c.is_ascii() => return Err(PErr { at: rest, kind: ParseErrorKind::NonAscii }),
        Some(_) => {
            let kind = ParseErrorKind::Syntax { expected: "SP or end of line after the EHLO keyword" };
            return Err(PErr { at: rest, kind });
        }
    };
    let Some(ext) = extension(kw) else { return Ok(()) };
    let bad = |at| PErr { at, kind: ParseErrorKind::InvalidCapability { keyword: ext.keyword() } };
    // The parameters, one by one (`check_params` has seen that none is empty).
    let mut list = params.into_iter().flat_map(|p| p.split(|&c| c == b' '));
    let (first, second) = (list.next(), list.next());
    match (ext, first, second) {
        // Keywords that take at most one parameter.
        (Extension::Size | Extension::DeliverBy | Extension::MtPriority, _, Some(extra)) => Err(bad(extra)),
        // "SIZE" [SP number], number = 1*20DIGIT (RFC 1870 §4).
        (Extension::Size, Some(p), None) => digits(p, 20).map(|_| ()).ok_or(bad(p)),
        // "DELIVERBY" [SP min-by-time], min-by-time = 1*9DIGIT seconds (RFC 2852 §4).
        (Extension::DeliverBy, Some(p), None) => digits(p, 9).map(|_| ()).ok_or(bad(p)),
        // "MT-PRIORITY" [SP priority-profile] (RFC 6710 §3): a profile name (MIXER,
        // STANAG4406, NSEP, ...), an `esmtp-keyword`.
        (Extension::MtPriority, Some(p), None) => match p.first() {
            Some(&c) if abnf::is(c, ALPHA | DIGIT) => match abnf::span(p, KEYWORD) {
                n if n == p.len() => Ok(()),
                n => Err(bad(p.get(n..).unwrap_or(&[]))),
            },
            _ => Err(bad(p)),
        },
        (Extension::Size | Extension::DeliverBy | Extension::MtPriority, None, _) => Ok(()),
        // "AUTH" *(SP sasl-mech) (RFC 4954 §3).
        (Extension::Auth, ..) => mechanisms(params.unwrap_or(&[]), false),
        // "FUTURERELEASE" SP max-future-release-interval SP max-future-release-date-time
        // (RFC 4865 §3): 1*9DIGIT seconds and an RFC 3339 date-time.
        (Extension::FutureRelease, Some(interval), Some(date)) => {
            if let Some(extra) = list.next() {
                return Err(bad(extra));
            }
            digits(interval, 9).ok_or(bad(interval))?;
            if check_timestamp(date) { Ok(()) } else { Err(bad(date)) }
        }
        (Extension::FutureRelease, ..) => Err(bad(t.get(t.len()..).unwrap_or(&[]))),
        // "LIMITS" SP limits-param (RFC 9422 §3).
        (Extension::Limits, ..) => limits(params.unwrap_or(rest)),
        // Parameters defined by RFC 4468 §3 (BURL) and RFC 3865 §2 (NO-SOLICITING), kept
        // verbatim.
        (Extension::Burl | Extension::NoSoliciting, ..) => Ok(()),
        // The others take no parameter: the SP after them is already wrong.
        (_, None, _) => Ok(()),
        (_, Some(_), _) => Err(bad(rest)),
    }
}

/// What the first line of an EHLO reply names: the length of the host text, and whether it
/// is an address literal.
pub(crate) type FirstLine = (usize, bool);

/// The first line of an EHLO reply: code 250, then `Domain [SP ehlo-greet]`.
///
/// An address literal is accepted where RFC 5321 §4.1.1.1 says `Domain`, as for the EHLO
/// command's argument: servers without a name send one. The greeting is reply text (HT and
/// printable US-ASCII, or UTF-8 under SMTPUTF8): the control characters `ehlo-greet` would
/// allow are refused by the reply grammar, which no reply line may break.
pub(crate) fn first_line(line: Line<'_>, opts: &ParseOptions) -> Result<FirstLine, ParseError> {
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
        Some((b' ', greet)) if !greet.is_empty() => {}
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

/// A capability line of an EHLO reply (every line after the first).
pub(crate) fn capability_line(line: Line<'_>) -> Result<(), ParseError> {
    if line.octets.len() < 4 {
        return Err(ParseError::new(line.start + 3, ParseErrorKind::Syntax { expected: "SP and an EHLO keyword" }));
    }
    let text = line.text();
    check_capability(text).map_err(|e| shift(text, e, line.text_start()))
}
