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
use super::{PErr, PResult, split, starts_with_ci, to_str};
use crate::types::{AuthMechanisms, Capability, EhloKeyword, EhloParams, Extension, Keyword, ServerLimits, Timestamp};
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

/// The first eight octets of `w`, upper case, in one integer (shorter words are padded with
/// zero octets): one comparison per candidate keyword.
const fn word8(w: &[u8]) -> u64 {
    let mut v = 0u64;
    let mut k = 0;
    while k < 8 {
        // `k < w.len()` is checked; `get` is not available in a `const fn`.
        #[allow(clippy::indexing_slicing)]
        let c = if k < w.len() { w[k].to_ascii_uppercase() } else { 0 };
        v = (v << 8) | c as u64;
        k += 1;
    }
    v
}

/// The known keyword `kw` (case-insensitive).
pub(crate) fn extension(kw: &[u8]) -> Option<Extension> {
    const fn w(s: &str) -> u64 {
        word8(s.as_bytes())
    }
    // The octets past the eighth, for the long keywords.
    let tail = |t: &[u8]| kw.get(8..).is_some_and(|k| k.eq_ignore_ascii_case(t));
    let head = word8(kw);
    Some(match (kw.len(), head) {
        (3, h) if h == const { w("DSN") } => Extension::Dsn,
        (4, h) if h == const { w("SIZE") } => Extension::Size,
        (4, h) if h == const { w("AUTH") } => Extension::Auth,
        (4, h) if h == const { w("ETRN") } => Extension::Etrn,
        (4, h) if h == const { w("EXPN") } => Extension::Expn,
        (4, h) if h == const { w("VRFY") } => Extension::Vrfy,
        (4, h) if h == const { w("HELP") } => Extension::Help,
        (4, h) if h == const { w("BURL") } => Extension::Burl,
        (4, h) if h == const { w("RRVS") } => Extension::Rrvs,
        (6, h) if h == const { w("LIMITS") } => Extension::Limits,
        (8, h) if h == const { w("8BITMIME") } => Extension::EightBitMime,
        (8, h) if h == const { w("CHUNKING") } => Extension::Chunking,
        (8, h) if h == const { w("STARTTLS") } => Extension::StartTls,
        (8, h) if h == const { w("SMTPUTF8") } => Extension::SmtpUtf8,
        (9, h) if h == const { w("DELIVERB") } && tail(b"Y") => Extension::DeliverBy,
        (10, h) if h == const { w("BINARYMI") } && tail(b"ME") => Extension::BinaryMime,
        (10, h) if h == const { w("PIPELINI") } && tail(b"NG") => Extension::Pipelining,
        (10, h) if h == const { w("REQUIRET") } && tail(b"LS") => Extension::RequireTls,
        (11, h) if h == const { w("MT-PRIOR") } && tail(b"ITY") => Extension::MtPriority,
        (13, h) if h == const { w("FUTURERE") } && tail(b"LEASE") => Extension::FutureRelease,
        (13, h) if h == const { w("NO-SOLIC") } && tail(b"ITING") => Extension::NoSoliciting,
        (19, h) if h == const { w("ENHANCED") } && tail(b"STATUSCODES") => Extension::EnhancedStatusCodes,
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
            if super::text::check_timestamp(date) { Ok(()) } else { Err(bad(date)) }
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

/// The typed view of a capability line that [`check_capability`] accepted.
///
/// It only slices the text (no validation, no UTF-8 conversion); on a line that was not
/// checked it still returns a value, without panicking, but not necessarily a meaningful one.
pub(crate) fn capability(t: &str) -> Capability<'_> {
    if starts_with_ci(t.as_bytes(), b"AUTH=") {
        return Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(t.get(5..).unwrap_or(""))), legacy: true };
    }
    let (kw, params) = match t.split_once(' ') {
        Some((k, p)) => (k, Some(p)),
        None => (t, None),
    };
    let Some(ext) = extension(kw.as_bytes()) else {
        return Capability::Other {
            keyword: EhloKeyword(Cow::Borrowed(kw)),
            params: params.map(|p| EhloParams(Cow::Borrowed(p))),
        };
    };
    let mut list = params.into_iter().flat_map(|p| p.split(' '));
    let (first, second) = (list.next(), list.next());
    let number = |p: Option<&str>, max| p.and_then(|p| digits(p.as_bytes(), max));
    let small = |p: Option<&str>| number(p, 9).and_then(|v| u32::try_from(v).ok());
    let verbatim = || params.map(|p| EhloParams(Cow::Borrowed(p)));
    match ext {
        Extension::Size => Capability::Size(number(first, 20)),
        Extension::DeliverBy => Capability::DeliverBy(small(first)),
        Extension::Auth => {
            Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(params.unwrap_or(""))), legacy: false }
        }
        Extension::MtPriority => Capability::MtPriority(first.map(|p| Keyword(Cow::Borrowed(p)))),
        Extension::FutureRelease => Capability::FutureRelease {
            max_interval: small(first).unwrap_or(0),
            max_datetime: Timestamp(Cow::Borrowed(second.unwrap_or(""))),
        },
        Extension::Limits => Capability::Limits(ServerLimits(Cow::Borrowed(params.unwrap_or("")))),
        Extension::Burl => Capability::Burl(verbatim()),
        Extension::NoSoliciting => Capability::NoSoliciting(verbatim()),
        Extension::EightBitMime => Capability::EightBitMime,
        Extension::BinaryMime => Capability::BinaryMime,
        Extension::Chunking => Capability::Chunking,
        Extension::Pipelining => Capability::Pipelining,
        Extension::StartTls => Capability::StartTls,
        Extension::SmtpUtf8 => Capability::SmtpUtf8,
        Extension::EnhancedStatusCodes => Capability::EnhancedStatusCodes,
        Extension::Dsn => Capability::Dsn,
        Extension::Etrn => Capability::Etrn,
        Extension::Expn => Capability::Expn,
        Extension::Vrfy => Capability::Vrfy,
        Extension::Help => Capability::Help,
        Extension::RequireTls => Capability::RequireTls,
        Extension::Rrvs => Capability::Rrvs,
    }
}

fn unwrap(e: nom::Err<PErr<'_>>) -> PErr<'_> {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => PErr { at: &[], kind: ParseErrorKind::Syntax { expected: "more input" } },
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
    Ok((len, matches!(host, crate::Host::Literal(_))))
}

/// A capability line of an EHLO reply (every line after the first).
pub(crate) fn capability_line(line: Line<'_>) -> Result<(), ParseError> {
    if line.octets.len() < 4 {
        return Err(ParseError::new(line.start + 3, ParseErrorKind::Syntax { expected: "SP and an EHLO keyword" }));
    }
    let text = line.text();
    check_capability(text).map_err(|e| shift(text, e, line.text_start()))
}
