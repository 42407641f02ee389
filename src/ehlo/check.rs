//! The grammar of one capability line (RFC 5321 §4.1.1.1 `ehlo-line`, and the parameters
//! each known extension's RFC defines), as plain checks over octets: the parser
//! ([`grammar`](super::grammar)) and the typed view ([`capability`](super::capability)) both
//! ask them, the second to tell a malformed line kept under
//! [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)
//! from a well-formed one.

use super::keyword::{Extension, extension};
use crate::ParseErrorKind;
use crate::wire::class::{self as abnf, ALPHA, DIGIT, KEYWORD, MECH};
use crate::wire::lex::check_timestamp;
use crate::wire::scan::{PErr, split};

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
pub(crate) fn keyword_len(i: &[u8]) -> Result<usize, PErr<'_>> {
    match i.first() {
        Some(&c) if abnf::is(c, ALPHA | DIGIT) => {}
        Some(c) if !c.is_ascii() => return Err(PErr { at: i, kind: ParseErrorKind::NonAscii }),
        _ => return Err(PErr { at: i, kind: ParseErrorKind::Syntax { expected: "EHLO keyword" } }),
    }
    Ok(i.iter().position(|&c| !keyword_tail(c)).unwrap_or(i.len()))
}

/// Checks `ehlo-param *( SP ehlo-param )`, `ehlo-param = 1*(%d33-126)`, over all of `i`.
pub(crate) fn check_params(i: &[u8]) -> Result<(), PErr<'_>> {
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

/// `1*max DIGIT` as a saturating `u64`.
#[inline]
pub(crate) fn digits(s: &[u8], max: usize) -> Option<u64> {
    if s.is_empty() || s.len() > max {
        return None;
    }
    if s.len() > 19 {
        return digits_long(s);
    }
    // Nineteen digits never pass `u64::MAX`: eight at a time, then one by one.
    let mut v = 0u64;
    let mut rest = s;
    while let Some((eight, more)) = rest.split_first_chunk::<8>() {
        v = v * 100_000_000 + eight_digits(*eight)?;
        rest = more;
    }
    for &c in rest {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    Some(v)
}

/// Eight octets that are all `DIGIT`, as their number (the first is the most significant), in
/// word arithmetic.
#[inline(always)]
fn eight_digits(b: [u8; 8]) -> Option<u64> {
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let w = u64::from_le_bytes(b);
    // `0x30`-`0x3F` in every octet, and still `0x3X` with 6 added: `0x30`-`0x39` (no carry
    // leaves an octet below `0x40`).
    if w & HIGH != ZEROS || (w + 0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    // Pairs, then fours, then all eight, combined by multiplications.
    let d = w - ZEROS;
    let d = d.wrapping_mul(10).wrapping_add(d >> 8);
    let lo = (d & 0x0000_00ff_0000_00ff).wrapping_mul(100 + (1_000_000 << 32));
    let hi = ((d >> 16) & 0x0000_00ff_0000_00ff).wrapping_mul(1 + (10_000 << 32));
    Some(lo.wrapping_add(hi) >> 32)
}

/// [`digits`] of 20 digits or more: one check a digit, saturating.
fn digits_long(s: &[u8]) -> Option<u64> {
    let (head, tail) = s.split_at_checked(19).unwrap_or((s, &[]));
    let mut v = 0u64;
    for &c in head {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    for &c in tail {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.saturating_mul(10).saturating_add(u64::from(d));
    }
    Some(v)
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
#[inline]
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
    let Some(params) = params else {
        return match ext {
            Extension::FutureRelease => Err(bad(t.get(t.len()..).unwrap_or(&[]))),
            // "LIMITS" SP limits-param: the missing parameter is refused there.
            Extension::Limits => limits(rest),
            _ => Ok(()),
        };
    };
    // The parameters, one by one (`check_params` has seen that none is empty).
    let (first, more) = split_sp(params);
    let (second, more) = match more.map(split_sp) {
        Some((s, m)) => (Some(s), m),
        None => (None, None),
    };
    let first = Some(first);
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
        (Extension::Auth, ..) => mechanisms(params, false),
        // "FUTURERELEASE" SP max-future-release-interval SP max-future-release-date-time
        // (RFC 4865 §3): 1*9DIGIT seconds and an RFC 3339 date-time.
        (Extension::FutureRelease, Some(interval), Some(date)) => {
            if let Some(extra) = more.map(|m| split_sp(m).0) {
                return Err(bad(extra));
            }
            digits(interval, 9).ok_or(bad(interval))?;
            if check_timestamp(date) { Ok(()) } else { Err(bad(date)) }
        }
        (Extension::FutureRelease, ..) => Err(bad(t.get(t.len()..).unwrap_or(&[]))),
        // "LIMITS" SP limits-param (RFC 9422 §3).
        (Extension::Limits, ..) => limits(params),
        // Parameters defined by RFC 4468 §3 (BURL) and RFC 3865 §2 (NO-SOLICITING), kept
        // verbatim.
        (Extension::Burl | Extension::NoSoliciting, ..) => Ok(()),
        // The others take no parameter: the SP after them is already wrong.
        (_, None, _) => Ok(()),
        (_, Some(_), _) => Err(bad(rest)),
    }
}

/// `p` up to its first SP, and what follows that SP.
#[inline]
fn split_sp(p: &[u8]) -> (&[u8], Option<&[u8]>) {
    match p.iter().position(|&c| c == b' ') {
        Some(n) => (p.get(..n).unwrap_or(p), p.get(n + 1..)),
        None => (p, None),
    }
}

/// What [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)
/// still asks of a capability line that [`check_capability`] refused: a keyword, ended by the
/// end of the line, SP, HT or `=` (`SIZE=10`, like the legacy `AUTH=`). What follows is
/// kept as written and typed as [`Capability::Malformed`](crate::Capability::Malformed); a
/// line that starts with anything else cannot be said to advertise anything, and stays an
/// error.
pub(crate) fn check_tolerated(t: &[u8]) -> Result<(), PErr<'_>> {
    let n = keyword_len(t)?;
    let rest = t.get(n..).unwrap_or(&[]);
    match rest.first() {
        None | Some(b' ' | b'\t' | b'=') => Ok(()),
        Some(c) if !c.is_ascii() => Err(PErr { at: rest, kind: ParseErrorKind::NonAscii }),
        Some(_) => {
            let kind = ParseErrorKind::Syntax { expected: "SP, HT, '=' or end of line after the EHLO keyword" };
            Err(PErr { at: rest, kind })
        }
    }
}

/// A capability line without the SP and HT it ends with (the tolerated trailing spaces).
pub(crate) fn trim_end(t: &[u8]) -> &[u8] {
    let n = t.iter().rposition(|&c| !matches!(c, b' ' | b'\t')).map_or(0, |p| p + 1);
    t.get(..n).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::vec::Vec;

    use super::digits;

    /// The plain reading of `1*max DIGIT`, one digit at a time.
    fn plain(s: &[u8], max: usize) -> Option<u64> {
        if s.is_empty() || s.len() > max || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(s.iter().fold(0u64, |v, &c| v.saturating_mul(10).saturating_add(u64::from(c - b'0'))))
    }

    /// Word-at-a-time digits read as one at a time does: every length up to 21, every octet
    /// in every place of a run of eight.
    #[test]
    fn digits_are_plain() {
        for n in [0u64, 1, 9, 10, 12_345_678, 99_999_999, 100_000_000, 35_882_577, 157_286_400, u64::MAX] {
            let s = format!("{n}");
            assert_eq!(digits(s.as_bytes(), 20), Some(n));
        }
        for len in 0..=21usize {
            let s: Vec<u8> = (0..len).map(|k| b'0' + (k as u8 * 7 + 3) % 10).collect();
            for max in [9, 19, 20] {
                assert_eq!(digits(&s, max), plain(&s, max), "{s:?} {max}");
            }
            for k in 0..len {
                for c in 0..=255u8 {
                    let mut m = s.clone();
                    if let Some(o) = m.get_mut(k) {
                        *o = c;
                    }
                    assert_eq!(digits(&m, 20), plain(&m, 20), "{m:?}");
                }
            }
        }
    }
}
