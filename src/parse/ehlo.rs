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

use super::abnf::{self, ALPHA, DIGIT, KEYWORD, MECH};
use super::reply::{Line, shift};
use super::{PErr, PResult, expected, fail, split, starts_with_ci, to_str};
use crate::types::{
    AuthMechanisms, Capability, EhloKeyword, EhloParams, Extension, Keyword, LiteralKind, ServerLimits, Timestamp,
};
use crate::{ParseError, ParseErrorKind, ParseOptions};

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

/// `ehlo-keyword` (with `_`, see [`keyword_tail`]).
pub(crate) fn ehlo_keyword(i: &[u8]) -> PResult<'_, &str> {
    match i.first() {
        Some(&c) if abnf::is(c, ALPHA | DIGIT) => {}
        Some(c) if !c.is_ascii() => return fail(i, ParseErrorKind::NonAscii),
        _ => return expected(i, "EHLO keyword"),
    }
    let n = i.iter().position(|&c| !keyword_tail(c)).unwrap_or(i.len());
    let (k, rest) = split(i, n);
    Ok((rest, to_str(k, false).map_err(nom::Err::Error)?))
}

/// `ehlo-param *( SP ehlo-param )`, `ehlo-param = 1*(%d33-126)`: the whole of `i`.
pub(crate) fn ehlo_params(i: &[u8]) -> PResult<'_, &str> {
    let mut p = 0usize;
    loop {
        let rest = i.get(p..).unwrap_or(&[]);
        let n = rest.iter().position(|&c| !(33..=126).contains(&c)).unwrap_or(rest.len());
        if n == 0 {
            if rest.first().is_some_and(|c| !c.is_ascii()) {
                return fail(rest, ParseErrorKind::NonAscii);
            }
            return expected(rest, "EHLO parameter");
        }
        p += n;
        match i.get(p) {
            None => break,
            Some(b' ') => p += 1,
            Some(c) if !c.is_ascii() => return fail(i.get(p..).unwrap_or(&[]), ParseErrorKind::NonAscii),
            Some(_) => return expected(i.get(p..).unwrap_or(&[]), "EHLO parameter (printable US-ASCII)"),
        }
    }
    Ok((&[], to_str(i, false).map_err(nom::Err::Error)?))
}

/// The known keyword `kw` (case-insensitive).
pub(crate) fn extension(kw: &[u8]) -> Option<Extension> {
    let eq = |w: &[u8]| kw.eq_ignore_ascii_case(w);
    Some(match kw.len() {
        3 if eq(b"DSN") => Extension::Dsn,
        4 => match kw.first()?.to_ascii_uppercase() {
            b'S' if eq(b"SIZE") => Extension::Size,
            b'A' if eq(b"AUTH") => Extension::Auth,
            b'E' if eq(b"ETRN") => Extension::Etrn,
            b'E' if eq(b"EXPN") => Extension::Expn,
            b'V' if eq(b"VRFY") => Extension::Vrfy,
            b'H' if eq(b"HELP") => Extension::Help,
            b'B' if eq(b"BURL") => Extension::Burl,
            b'R' if eq(b"RRVS") => Extension::Rrvs,
            _ => return None,
        },
        6 if eq(b"LIMITS") => Extension::Limits,
        8 => match kw.first()?.to_ascii_uppercase() {
            b'8' if eq(b"8BITMIME") => Extension::EightBitMime,
            b'C' if eq(b"CHUNKING") => Extension::Chunking,
            b'S' if eq(b"STARTTLS") => Extension::StartTls,
            b'S' if eq(b"SMTPUTF8") => Extension::SmtpUtf8,
            _ => return None,
        },
        9 if eq(b"DELIVERBY") => Extension::DeliverBy,
        10 => match kw.first()?.to_ascii_uppercase() {
            b'B' if eq(b"BINARYMIME") => Extension::BinaryMime,
            b'P' if eq(b"PIPELINING") => Extension::Pipelining,
            b'R' if eq(b"REQUIRETLS") => Extension::RequireTls,
            _ => return None,
        },
        11 if eq(b"MT-PRIORITY") => Extension::MtPriority,
        13 => match kw.first()?.to_ascii_uppercase() {
            b'F' if eq(b"FUTURERELEASE") => Extension::FutureRelease,
            b'N' if eq(b"NO-SOLICITING") => Extension::NoSoliciting,
            _ => return None,
        },
        19 if eq(b"ENHANCEDSTATUSCODES") => Extension::EnhancedStatusCodes,
        _ => return None,
    })
}

/// The keyword of a validated capability line, as the duplicate check compares it: the
/// keyword, or `AUTH=` for the legacy spelling (a distinct keyword: servers send it beside
/// `AUTH` for old clients, e.g. Postfix's `broken_sasl_auth_clients`).
pub(crate) fn dup_key(line: &str) -> &str {
    if starts_with_ci(line.as_bytes(), b"AUTH=") {
        return line.get(..5).unwrap_or(line);
    }
    line.split(' ').next().unwrap_or(line)
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

/// `1*max DIGIT` as a saturating `u64`.
fn digits(s: &[u8], max: usize) -> Option<u64> {
    if s.is_empty() || s.len() > max || abnf::span(s, DIGIT) != s.len() {
        return None;
    }
    Some(s.iter().fold(0u64, |a, &d| a.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
}

/// The typed view of one capability line (the text after `250-` / `250 `), checking the
/// generic `ehlo-line` grammar and then the grammar of a known keyword's parameters.
pub(crate) fn capability<'a>(t: &'a [u8]) -> Result<Capability<'a>, PErr<'a>> {
    if starts_with_ci(t, b"AUTH=") {
        // The pre-standard `AUTH=LOGIN PLAIN` spelling (RFC 2554 drafts), still sent for old
        // clients: the mechanisms follow the `=`.
        let list = t.get(5..).unwrap_or(&[]);
        mechanisms(list, true)?;
        let s = to_str(list, false)?;
        return Ok(Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(s)), legacy: true });
    }
    let (rest, kw) = ehlo_keyword(t).map_err(unwrap)?;
    let params: Option<&[u8]> = match rest.split_first() {
        None => None,
        Some((b' ', p)) => {
            ehlo_params(p).map_err(unwrap)?;
            Some(p)
        }
        Some((c, _)) if !c.is_ascii() => return Err(PErr { at: rest, kind: ParseErrorKind::NonAscii }),
        Some(_) => {
            return Err(PErr {
                at: rest,
                kind: ParseErrorKind::Syntax { expected: "SP or end of line after the EHLO keyword" },
            });
        }
    };
    let Some(ext) = extension(kw.as_bytes()) else {
        let params = match params {
            Some(p) => Some(EhloParams(Cow::Borrowed(to_str(p, false)?))),
            None => None,
        };
        return Ok(Capability::Other { keyword: EhloKeyword(Cow::Borrowed(kw)), params });
    };
    let bad = |at: &'a [u8]| PErr { at, kind: ParseErrorKind::InvalidCapability { keyword: ext.keyword() } };
    // The parameters, one by one (`ehlo_params` has checked there are no empty ones).
    let mut list = params.into_iter().flat_map(|p| p.split(|&c| c == b' '));
    let (first, second) = (list.next(), list.next());
    // Keywords that take no parameter: the SP after them is already wrong.
    let bare = |cap: Capability<'static>| if params.is_some() { Err(bad(rest)) } else { Ok(cap) };
    // Keywords that take at most one.
    if let (Some(extra), Extension::Size | Extension::DeliverBy | Extension::MtPriority) = (second, ext) {
        return Err(bad(extra));
    }
    Ok(match ext {
        // "SIZE" [SP number], number = 1*20DIGIT (RFC 1870 §4); 0 means no fixed maximum.
        // A value past u64::MAX saturates: it is no limit in practice.
        Extension::Size => match first {
            None => Capability::Size(None),
            Some(p) => Capability::Size(Some(digits(p, 20).ok_or_else(|| bad(p))?)),
        },
        // "DELIVERBY" [SP min-by-time], min-by-time = 1*9DIGIT seconds (RFC 2852 §4)
        Extension::DeliverBy => match first {
            None => Capability::DeliverBy(None),
            Some(p) => {
                let v = digits(p, 9).and_then(|v| u32::try_from(v).ok()).ok_or_else(|| bad(p))?;
                Capability::DeliverBy(Some(v))
            }
        },
        // "AUTH" *(SP sasl-mech) (RFC 4954 §3)
        Extension::Auth => {
            let p = params.unwrap_or(&[]);
            mechanisms(p, false)?;
            Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(to_str(p, false)?)), legacy: false }
        }
        // "MT-PRIORITY" [SP priority-profile] (RFC 6710 §3): a profile name such as MIXER,
        // STANAG4406 or NSEP, kept as a keyword.
        Extension::MtPriority => match first {
            None => Capability::MtPriority(None),
            Some(p) => match super::text::keyword(p) {
                Ok(([], k)) => Capability::MtPriority(Some(Keyword(Cow::Borrowed(k)))),
                Ok((r, _)) => return Err(bad(r)),
                Err(_) => return Err(bad(p)),
            },
        },
        // "FUTURERELEASE" SP max-future-release-interval SP max-future-release-date-time
        // (RFC 4865 §3): 1*9DIGIT seconds and an RFC 3339 date-time.
        Extension::FutureRelease => {
            let (Some(interval), Some(date)) = (first, second) else {
                return Err(bad(t.get(t.len()..).unwrap_or(&[])));
            };
            if let Some(extra) = list.next() {
                return Err(bad(extra));
            }
            let max_interval = digits(interval, 9).and_then(|v| u32::try_from(v).ok()).ok_or_else(|| bad(interval))?;
            if !super::text::check_timestamp(date) {
                return Err(bad(date));
            }
            Capability::FutureRelease { max_interval, max_datetime: Timestamp(Cow::Borrowed(to_str(date, false)?)) }
        }
        Extension::Limits => {
            let p = params.unwrap_or(rest);
            limits(p)?;
            Capability::Limits(ServerLimits(Cow::Borrowed(to_str(p, false)?)))
        }
        // Parameters defined by RFC 4468 §3 (BURL) and RFC 3865 §2 (NO-SOLICITING), kept
        // verbatim.
        Extension::Burl | Extension::NoSoliciting => {
            let params = match params {
                Some(p) => Some(EhloParams(Cow::Borrowed(to_str(p, false)?))),
                None => None,
            };
            if ext == Extension::Burl { Capability::Burl(params) } else { Capability::NoSoliciting(params) }
        }
        Extension::EightBitMime => bare(Capability::EightBitMime)?,
        Extension::BinaryMime => bare(Capability::BinaryMime)?,
        Extension::Chunking => bare(Capability::Chunking)?,
        Extension::Pipelining => bare(Capability::Pipelining)?,
        Extension::StartTls => bare(Capability::StartTls)?,
        Extension::SmtpUtf8 => bare(Capability::SmtpUtf8)?,
        Extension::EnhancedStatusCodes => bare(Capability::EnhancedStatusCodes)?,
        Extension::Dsn => bare(Capability::Dsn)?,
        Extension::Etrn => bare(Capability::Etrn)?,
        Extension::Expn => bare(Capability::Expn)?,
        Extension::Vrfy => bare(Capability::Vrfy)?,
        Extension::Help => bare(Capability::Help)?,
        Extension::RequireTls => bare(Capability::RequireTls)?,
        Extension::Rrvs => bare(Capability::Rrvs)?,
    })
}

fn unwrap(e: nom::Err<PErr<'_>>) -> PErr<'_> {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => PErr { at: &[], kind: ParseErrorKind::Syntax { expected: "more input" } },
    }
}

/// What the first line of an EHLO reply names: the length of the host text and, for an
/// address literal, its kind.
pub(crate) type FirstLine = (usize, Option<LiteralKind>);

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
    let (rest, host) = super::domain::host(text, opts).map_err(|e| shift(text, unwrap(e), line.text_start()))?;
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
    let literal = match host {
        crate::Host::Literal(l) => Some(l.kind()),
        crate::Host::Domain(_) => None,
    };
    Ok((len, literal))
}

/// A capability line of an EHLO reply (every line after the first).
pub(crate) fn capability_line(line: Line<'_>) -> Result<(), ParseError> {
    if line.octets.len() < 4 {
        return Err(ParseError::new(line.start + 3, ParseErrorKind::Syntax { expected: "SP and an EHLO keyword" }));
    }
    let text = line.text();
    capability(text).map(|_| ()).map_err(|e| shift(text, e, line.text_start()))
}
