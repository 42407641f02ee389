//! The grammar of local parts, mailboxes and paths (RFC 5321 §4.1.2; RFC 6531 §3.3), the
//! parsers and validating constructors built on it.

use alloc::borrow::Cow;
use alloc::string::String;

use super::{ForwardPath, LocalPart, Mailbox, Path, Postmaster, ReversePath, SourceRoute};
use crate::domain::grammar::{domain, host_in};
use crate::parse::inherent_parse;
use crate::wire::class::{self as abnf, ATEXT, QPAIR, QTEXT};
use crate::wire::lex::{quote, refuse_controls};
use crate::wire::scan::{PErr, PResult, Utf8Line, expected, fail, finish, offset_in, split};
use crate::{BuildError, BuildErrorKind, Limits, Parse, ParseError, ParseErrorKind, ParseOptions};

/// `Parse` for each value, through its grammar function.
macro_rules! parse_by {
    ($($t:ident => $f:ident),* $(,)?) => {$(
        impl<'a> Parse<'a> for $t<'a> {
            fn parse_with(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
                finish(input, $f(input, opts, Utf8Line::new(input)))
            }
        }
        inherent_parse!($t<'a>);
    )*};
}

parse_by!(
    LocalPart => local_part,
    Mailbox => mailbox,
    Path => path,
    ReversePath => reverse_path,
    ForwardPath => forward_path,
);

impl LocalPart<'_> {
    /// The local part whose unquoted value is `value`: a `Dot-string` when `value` is one,
    /// else a `Quoted-string` with `"` and `\` escaped. Fails on control characters (they have
    /// no wire form, RFC 5321 §4.1.2) and beyond 64 octets (§4.5.3.1.1). Non-ASCII characters
    /// are allowed and need SMTPUTF8 on the wire.
    pub fn new(value: &str) -> Result<LocalPart<'static>, BuildError> {
        refuse_controls(value, "local part", false)?;
        let utf8 = ParseOptions::STRICT.with_smtputf8(true);
        let s = match local_part(value.as_bytes(), &utf8, Utf8Line::from_str(value)) {
            Ok(([], lp)) if !lp.is_quoted() => String::from(value),
            _ => quote(value),
        };
        let limit = Limits::RFC5321.local_part();
        if s.len() > limit {
            return Err(BuildError::new("local part", BuildErrorKind::TooLong { limit }));
        }
        Ok(LocalPart(Cow::Owned(s)))
    }
}

/// ```abnf
/// Local-part   = Dot-string / Quoted-string
/// Dot-string   = Atom *("."  Atom)
/// Atom         = 1*atext                      ; RFC 6531: atext =/ UTF8-non-ascii
/// Quoted-string = DQUOTE *QcontentSMTP DQUOTE
/// QcontentSMTP = qtextSMTP / quoted-pairSMTP  ; RFC 6531: qtextSMTP =/ UTF8-non-ascii
/// quoted-pairSMTP = %d92 %d32-126
/// ```
///
/// The common case, an ASCII `Dot-string` within the limit, is decided inline by
/// [`ascii_dot_string`]; quoted strings, UTF-8 and every error by [`local_part_slow`].
#[inline(always)]
pub(crate) fn local_part<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, LocalPart<'a>> {
    match ascii_dot_string(i) {
        Some(n) if n <= opts.limits().local_part() => {
            let (raw, rest) = split(i, n);
            let s = line.str(raw, false).map_err(nom::Err::Error)?;
            Ok((rest, LocalPart(s.into())))
        }
        _ => local_part_slow(i, opts, line),
    }
}

/// The length of the ASCII `Dot-string` (RFC 5321 §4.1.2: `Atom *("." Atom)`, an `Atom` being
/// `1*atext`) at the front of `i`, when the octet after it is neither `.` nor above 0x7F (an
/// `atext` of RFC 6531 goes on there); `None` for anything else, which
/// [`local_part_slow`] then decides. Where this accepts, that loop ends at the same place.
#[inline(always)]
fn ascii_dot_string(i: &[u8]) -> Option<usize> {
    let mut k = 0usize;
    // The length of the atom being read.
    let mut atom = 0usize;
    loop {
        match i.get(k) {
            Some(&c) if abnf::is(c, ATEXT) => atom += 1,
            Some(b'.') if atom > 0 => atom = 0,
            Some(&c) if c >= 0x80 => return None,
            _ => return (atom > 0).then_some(k),
        }
        k += 1;
    }
}

/// [`local_part`] in full: quoted strings, UTF-8 (RFC 6531) and the errors.
#[inline(never)]
fn local_part_slow<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, LocalPart<'a>> {
    let utf8 = opts.smtputf8();
    let n = if i.first() == Some(&b'"') {
        let mut p = 1usize;
        loop {
            let rest = i.get(p..).unwrap_or(&[]);
            p += abnf::span_utf8(rest, QTEXT, utf8);
            match i.get(p) {
                Some(b'"') => break p + 1,
                Some(b'\\') => match i.get(p + 1) {
                    Some(&c) if abnf::is(c, QPAIR) => p += 2,
                    _ => {
                        return expected(i.get(p + 1..).unwrap_or(&[]), "printable ASCII after '\\'");
                    }
                },
                Some(c) if !c.is_ascii() => {
                    return fail(i.get(p..).unwrap_or(&[]), ParseErrorKind::NonAscii);
                }
                Some(_) => {
                    return expected(i.get(p..).unwrap_or(&[]), "quoted-string text or '\"'");
                }
                None => return expected(i.get(p..).unwrap_or(&[]), "'\"'"),
            }
        }
    } else {
        let mut p = 0usize;
        loop {
            let rest = i.get(p..).unwrap_or(&[]);
            let a = abnf::span_utf8(rest, ATEXT, utf8);
            if a == 0 {
                if rest.first().is_some_and(|c| !c.is_ascii()) {
                    return fail(rest, ParseErrorKind::NonAscii);
                }
                return expected(rest, "atom");
            }
            p += a;
            if i.get(p) == Some(&b'.') {
                p += 1;
            } else {
                break p;
            }
        }
    };
    let limit = opts.limits().local_part();
    if n > limit {
        return fail(i.get(limit..).unwrap_or(&[]), ParseErrorKind::LocalPartTooLong { limit });
    }
    let (raw, rest) = split(i, n);
    let s = line.str(raw, utf8).map_err(nom::Err::Error)?;
    Ok((rest, LocalPart(s.into())))
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )`
#[inline(always)]
pub(crate) fn mailbox<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, Mailbox<'a>> {
    let (rest, local_part) = local_part(i, opts, line)?;
    let Some(rest) = rest.strip_prefix(b"@") else {
        if rest.first().is_some_and(|c| !c.is_ascii()) {
            return fail(rest, ParseErrorKind::NonAscii);
        }
        return expected(rest, "'@'");
    };
    let (rest, host) = host_in(rest, opts, line)?;
    Ok((rest, Mailbox { local_part, host }))
}

/// ```abnf
/// A-d-l     = At-domain *( "," At-domain )
/// At-domain = "@" Domain
/// ```
fn source_route<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, SourceRoute<'a>> {
    let mut rest = i;
    loop {
        let Some(r) = rest.strip_prefix(b"@") else {
            return expected(rest, "'@'");
        };
        let (r, _) = domain(r, opts, line)?;
        match r.strip_prefix(b",") {
            Some(r) => rest = r,
            None => {
                rest = r;
                break;
            }
        }
    }
    let (raw, rest) = split(i, offset_in(i, rest));
    let s = line.str(raw, opts.smtputf8()).map_err(nom::Err::Error)?;
    Ok((rest, SourceRoute(s.into())))
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"`, checked against
/// [`Limits::path`](crate::Limits::path).
#[inline(always)]
pub(crate) fn path<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, Path<'a>> {
    let Some(inner) = i.strip_prefix(b"<") else {
        return expected(i, "'<'");
    };
    let (rest, source_route) = if inner.first() == Some(&b'@') {
        let (r, route) = source_route(inner, opts, line)?;
        let Some(r) = r.strip_prefix(b":") else {
            return expected(r, "':' after the source route");
        };
        (r, Some(route))
    } else {
        (inner, None)
    };
    let (rest, mailbox) = mailbox(rest, opts, line)?;
    let Some(rest) = rest.strip_prefix(b">") else {
        if rest.first().is_some_and(|c| !c.is_ascii()) {
            return fail(rest, ParseErrorKind::NonAscii);
        }
        return expected(rest, "'>'");
    };
    check_path_len(i, rest, opts)?;
    Ok((rest, Path { source_route, mailbox }))
}

fn check_path_len<'a>(start: &'a [u8], rest: &'a [u8], opts: &ParseOptions) -> Result<(), nom::Err<PErr<'a>>> {
    let limit = opts.limits().path();
    if offset_in(start, rest) > limit {
        return Err(nom::Err::Error(PErr {
            at: start.get(limit..).unwrap_or(&[]),
            kind: ParseErrorKind::PathTooLong { limit },
        }));
    }
    Ok(())
}

/// `Reverse-path = Path / "<>"`
#[inline(always)]
pub(crate) fn reverse_path<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, ReversePath<'a>> {
    if let Some(rest) = i.strip_prefix(b"<>") {
        return Ok((rest, ReversePath::Null));
    }
    let (rest, p) = path(i, opts, line)?;
    Ok((rest, ReversePath::Path(p)))
}

/// `( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )` — RFC 5321 §4.1.1.3;
/// the first form is an ordinary path.
#[inline(always)]
pub(crate) fn forward_path<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, ForwardPath<'a>> {
    if let Some(word) = i.get(1..11) {
        if i.first() == Some(&b'<') && i.get(11) == Some(&b'>') && word.eq_ignore_ascii_case(b"Postmaster") {
            return Ok((i.get(12..).unwrap_or(&[]), ForwardPath::Postmaster(Postmaster::from_spelling(word))));
        }
    }
    let (rest, p) = path(i, opts, line)?;
    Ok((rest, ForwardPath::Path(p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::testing::strings;

    /// Wherever the inline [`ascii_dot_string`] accepts, the full loop ends at the same place
    /// with the same text; wherever the full loop accepts an ASCII `Dot-string` ended by an
    /// ASCII octet, the inline one accepts it too. Every string of up to five octets over an
    /// alphabet with each case the rules tell apart, in front of several tails.
    #[test]
    fn inline_dot_string_agrees_with_the_full_loop() {
        const ALPHABET: &[u8] = b"a!.\"@\x80 ";
        let mut checked = 0usize;
        for opts in [ParseOptions::default(), ParseOptions::default().with_smtputf8(true)] {
            for s in strings(ALPHABET, 5) {
                for head in [&b""[..], b"first.", b"x"] {
                    for tail in [&b""[..], b"@client.test>", b"\xc3\xa9@x"] {
                        let input = [head, &s, tail].concat();
                        let slow = local_part_slow(&input, &opts, Utf8Line::new(&input));
                        match (&slow, ascii_dot_string(&input)) {
                            (Ok((rest, lp)), Some(n)) => {
                                assert_eq!(input.len() - rest.len(), n, "{input:?}");
                                assert_eq!(lp.as_str().len(), n, "{input:?}");
                            }
                            (Err(_), Some(n)) => {
                                assert!(slow.is_ok(), "inline took {n} octets of {input:?}; the loop: {slow:?}")
                            }
                            (Ok((rest, lp)), None) => assert!(
                                input.first() == Some(&b'"')
                                    || !lp.as_str().is_ascii()
                                    || rest.first().is_some_and(|&c| c >= 0x80),
                                "inline refused {input:?}, which the loop accepts"
                            ),
                            (Err(_), None) => {}
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 300_000, "{checked}");
    }
}
