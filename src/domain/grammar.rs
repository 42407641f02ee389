//! The grammar of domains and address literals (RFC 5321 §4.1.2, §4.1.3; RFC 6531 §3.3 for
//! U-labels), the parsers and validating constructors built on it.

use alloc::borrow::Cow;
use alloc::string::String;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{AddressLiteral, Domain, Host, LiteralKind};
use crate::parse::inherent_parse;
use crate::wire::class::{self as abnf, DCONTENT, DIGIT, HEXDIG, LDH};
use crate::wire::lex::{hex_val, refuse_controls};
use crate::wire::scan::{PErr, PResult, Utf8Line, expected, fail, finish, split, starts_with_ci};
use crate::{BuildError, BuildErrorKind, Parse, ParseError, ParseErrorKind, ParseOptions};

impl<'a> Parse<'a> for Domain<'a> {
    /// Parses exactly `input` as a domain under `opts` (U-labels need
    /// [`smtputf8`](ParseOptions::with_smtputf8)).
    fn parse_with(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        finish(input, domain(input, opts, Utf8Line::new(input)))
    }
}
inherent_parse!(Domain<'a>);

impl<'a> Domain<'a> {
    /// Validates `s` as a domain; U-labels (UTF-8) are allowed, which only SMTPUTF8 sessions
    /// can carry (see [`is_ascii`](Self::is_ascii)).
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "domain", false)?;
        Self::parse_with(s.as_bytes(), &ParseOptions::STRICT.with_smtputf8(true))
            .map_err(|e| BuildError::grammar("domain", e))
    }
}

impl<'a> Parse<'a> for AddressLiteral<'a> {
    /// Parses exactly `input`, brackets included (`opts` does not matter: a literal is ASCII).
    fn parse_with(input: &'a [u8], _opts: &ParseOptions) -> Result<Self, ParseError> {
        finish(input, address_literal(input, Utf8Line::new(input)))
    }
}
inherent_parse!(AddressLiteral<'a>);

impl AddressLiteral<'_> {
    /// A general address literal `[tag:content]`; `tag` must be an `Ldh-str` other than
    /// `IPv6` and `content` 1*`dcontent` (RFC 5321 §4.1.3).
    pub fn general(tag: &str, content: &str) -> Result<AddressLiteral<'static>, BuildError> {
        refuse_controls(tag, "address literal tag", false)?;
        refuse_controls(content, "address literal content", false)?;
        let mut text = String::with_capacity(tag.len() + 1 + content.len());
        text.push_str(tag);
        text.push(':');
        text.push_str(content);
        match literal_kind(text.as_bytes()) {
            Some(LiteralKind::General { .. }) => Ok(AddressLiteral { text: Cow::Owned(text) }),
            _ => Err(BuildError::new(
                "general address literal",
                BuildErrorKind::Grammar(ParseErrorKind::InvalidAddressLiteral),
            )),
        }
    }

    /// What the literal holds.
    pub fn kind(&self) -> LiteralKind {
        // The text was validated when the value was built, so this always classifies.
        literal_kind(self.text.as_bytes()).unwrap_or(LiteralKind::General { tag_len: 0 })
    }

    /// The IP address, for IPv4 and IPv6 literals.
    pub fn ip(&self) -> Option<IpAddr> {
        match self.kind() {
            LiteralKind::Ipv4(a) => Some(IpAddr::V4(a)),
            LiteralKind::Ipv6(a) => Some(IpAddr::V6(a)),
            LiteralKind::General { .. } => None,
        }
    }

    /// For a general literal, its `Standardized-tag` and content.
    pub fn general_parts(&self) -> Option<(&str, &str)> {
        match self.kind() {
            LiteralKind::General { tag_len } => {
                let (tag, rest) = self.text.split_at_checked(tag_len)?;
                Some((tag, rest.get(1..)?))
            }
            _ => None,
        }
    }
}

impl<'a> Parse<'a> for Host<'a> {
    /// Parses exactly `input` (a domain or an address literal) under `opts`.
    fn parse_with(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        finish(input, host_in(input, opts, Utf8Line::new(input)))
    }
}
inherent_parse!(Host<'a>);

/// ```abnf
/// Domain     = sub-domain *("." sub-domain)
/// sub-domain = Let-dig [Ldh-str]      ; RFC 6531: sub-domain =/ U-label
/// Let-dig    = ALPHA / DIGIT
/// Ldh-str    = *( ALPHA / DIGIT / "-" ) Let-dig
/// ```
/// Labels are at most 63 octets (RFC 1035 §2.3.4) when ASCII; the whole domain is held to
/// [`Limits::domain`](crate::Limits::domain).
///
/// The common case (an ASCII domain that ends where it should) is decided by
/// [`ascii_domain`] in one pass over the octets, inlined where a domain is parsed (the EHLO
/// reader's check of the server's name is the same pass); everything else, every error
/// included, by the label loop of [`domain_by_labels`].
#[inline(always)]
pub(crate) fn domain<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, Domain<'a>> {
    if let Some(n) = ascii_domain(i, opts.limits().domain()) {
        let (raw, rest) = split(i, n);
        let s = line.str(raw, false).map_err(nom::Err::Error)?;
        return Ok((rest, Domain(s.into())));
    }
    domain_by_labels(i, opts, line)
}

/// [`domain`] a label at a time: U-labels, the errors, and what [`ascii_domain`] leaves.
#[inline(never)]
fn domain_by_labels<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, Domain<'a>> {
    let utf8 = opts.smtputf8();
    let mut pos = 0usize;
    loop {
        let rest = i.get(pos..).unwrap_or(&[]);
        let n = abnf::span_utf8(rest, LDH, utf8);
        let label = rest.get(..n).unwrap_or(&[]);
        let (Some(&first), Some(&last)) = (label.first(), label.last()) else {
            // Distinguish "8-bit octet without SMTPUTF8" from a plain syntax error.
            if rest.first().is_some_and(|c| !c.is_ascii()) {
                return fail(rest, ParseErrorKind::NonAscii);
            }
            return expected(rest, "domain label");
        };
        if first == b'-' {
            return expected(rest, "letter or digit at the start of a label");
        }
        if last == b'-' {
            return expected(rest.get(n - 1..).unwrap_or(&[]), "letter or digit at the end of a label");
        }
        if n > 63 && label.is_ascii() {
            return expected(rest.get(63..).unwrap_or(&[]), "label of at most 63 octets");
        }
        pos += n;
        match (i.get(pos), i.get(pos + 1)) {
            (Some(b'.'), Some(c)) if *c >= 0x80 || abnf::is(*c, LDH) => pos += 1,
            _ => break,
        }
    }
    let (raw, rest) = split(i, pos);
    if raw.len() > opts.limits().domain() {
        return fail(
            i.get(opts.limits().domain()..).unwrap_or(&[]),
            ParseErrorKind::DomainTooLong { limit: opts.limits().domain() },
        );
    }
    if !utf8 && rest.first().is_some_and(|c| !c.is_ascii()) {
        return fail(rest, ParseErrorKind::NonAscii);
    }
    let s = line.str(raw, utf8).map_err(nom::Err::Error)?;
    Ok((rest, Domain(s.into())))
}

/// The common case of [`domain`] in one pass: an ASCII domain, every label well formed,
/// ended by an ASCII octet other than `.` (or the end of the input), within `limit`. Its
/// length, or `None` for anything else, which [`domain`]'s label loop then decides (its
/// errors, a dot not followed by a label, which ends the domain before the dot, and
/// U-labels). Where this accepts, the loop splits the input at the same place: each label
/// is a run of `Let-dig / "-"` that neither starts nor ends with `-` and holds at most 63
/// octets (RFC 5321 §4.1.2, RFC 1035 §2.3.4), each dot is followed by a label, and the octet
/// after the last label is neither `Let-dig`, `-`, `.` nor above 0x7F.
#[inline(always)]
pub(crate) fn ascii_domain(i: &[u8], limit: usize) -> Option<usize> {
    let mut k = 0usize;
    // Where the current label starts.
    let mut start = 0usize;
    loop {
        let c = i.get(k).copied();
        match c {
            Some(c) if abnf::is(c, LDH) => k += 1,
            _ => {
                // A label ends at `k`: at least one octet, at most 63, `-` at neither end.
                let label = i.get(start..k)?;
                if label.len() > 63 || label.first().is_none_or(|&f| f == b'-') || label.last() == Some(&b'-') {
                    return None;
                }
                match c {
                    Some(b'.') => {
                        k += 1;
                        start = k;
                    }
                    Some(c) if c >= 0x80 => return None,
                    _ => return (k <= limit).then_some(k),
                }
            }
        }
    }
}

/// ```abnf
/// address-literal  = "["" ( IPv4-address-literal / IPv6-address-literal /
///                          General-address-literal ) "]"
/// IPv4-address-literal    = Snum 3("."  Snum)
/// IPv6-address-literal    = "IPv6:" IPv6-addr
/// General-address-literal = Standardized-tag ":" 1*dcontent
/// Standardized-tag        = Ldh-str
/// ```
pub(crate) fn address_literal<'a>(i: &'a [u8], line: Utf8Line<'a>) -> PResult<'a, AddressLiteral<'a>> {
    let Some(inner) = i.strip_prefix(b"[") else {
        return expected(i, "'['");
    };
    let n = abnf::span(inner, DCONTENT);
    let (content, rest) = split(inner, n);
    let Some(rest) = rest.strip_prefix(b"]") else {
        return expected(rest, "']'");
    };
    literal_kind(content).ok_or(nom::Err::Error(PErr { at: inner, kind: ParseErrorKind::InvalidAddressLiteral }))?;
    let s = line.str(content, false).map_err(nom::Err::Error)?;
    Ok((rest, AddressLiteral { text: s.into() }))
}

/// Classifies the text between the brackets of an address literal.
pub(crate) fn literal_kind(content: &[u8]) -> Option<LiteralKind> {
    if let Some(v4) = ipv4(content) {
        return Some(LiteralKind::Ipv4(v4));
    }
    if starts_with_ci(content, b"IPv6:") {
        return ipv6(content.get(5..)?).map(LiteralKind::Ipv6);
    }
    // General-address-literal: Standardized-tag ":" 1*dcontent. A tag may not be "IPv6"
    // (that prefix was handled above and failed), else the literal is ambiguous.
    let tag = abnf::span(content, LDH);
    let (t, rest) = split(content, tag);
    let value = rest.strip_prefix(b":")?;
    if tag == 0 || t.last().is_none_or(|c| *c == b'-') || value.is_empty() || abnf::span(value, DCONTENT) != value.len()
    {
        return None;
    }
    Some(LiteralKind::General { tag_len: tag })
}

/// `Snum 3("." Snum)` with `Snum = 1*3DIGIT` in 0..=255.
pub(crate) fn ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = s;
    for (k, o) in octets.iter_mut().enumerate() {
        if k > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let n = abnf::span(rest, DIGIT);
        if n == 0 || n > 3 {
            return None;
        }
        let (d, r) = split(rest, n);
        let v = d.iter().fold(0u16, |a, c| a * 10 + u16::from(c - b'0'));
        *o = u8::try_from(v).ok()?;
        rest = r;
    }
    rest.is_empty().then(|| Ipv4Addr::from(octets))
}

/// ```abnf
/// IPv6-addr   = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp
/// IPv6-hex    = 1*4HEXDIG
/// IPv6-full   = IPv6-hex 7(":" IPv6-hex)
/// IPv6-comp   = [IPv6-hex *5(":" IPv6-hex)] "::" [IPv6-hex *5(":" IPv6-hex)]
///             ; The "::" represents at least 2 16-bit groups of zeros; no more than 6
///             ; groups in addition to the "::" may be present.
/// IPv6v4-full = IPv6-hex 5(":" IPv6-hex) ":" IPv4-address-literal
/// IPv6v4-comp = [IPv6-hex *3(":" IPv6-hex)] "::" [IPv6-hex *3(":" IPv6-hex) ":"]
///               IPv4-address-literal
///             ; no more than 4 groups in addition to the "::" and IPv4-address-literal
/// ```
pub(crate) fn ipv6(s: &[u8]) -> Option<Ipv6Addr> {
    // Split off an embedded IPv4 address: it follows the last ':' and contains a '.'.
    let (hex_part, v4) = match s.iter().rposition(|&c| c == b':') {
        Some(p) if s.get(p + 1..).is_some_and(|t| t.contains(&b'.')) => {
            let v4 = ipv4(s.get(p + 1..)?)?;
            // Keep the ':' when it is part of a "::" so the compressed form is still seen.
            let keep = if p > 0 && s.get(p - 1) == Some(&b':') { p + 1 } else { p };
            (s.get(..keep)?, Some(v4))
        }
        _ => (s, None),
    };
    let max_groups = if v4.is_some() { 6 } else { 8 };
    let mut head = [0u16; 8];
    let mut tail = [0u16; 8];
    let (nh, nt, compressed) = match find_double_colon(hex_part) {
        Some(p) => {
            let (a, b) = split(hex_part, p);
            let b = b.get(2..)?;
            if find_double_colon(b).is_some() {
                return None;
            }
            let nh = groups(a, &mut head)?;
            let nt = groups(b, &mut tail)?;
            (nh, nt, true)
        }
        None => (groups(hex_part, &mut head)?, 0, false),
    };
    let total = nh + nt;
    if compressed {
        // "::" stands for at least two groups: at most max_groups - 2 explicit ones.
        if total > max_groups - 2 {
            return None;
        }
    } else if total != max_groups || (v4.is_some() && hex_part.is_empty()) {
        return None;
    }
    // A non-compressed v4 form ends its hex part without a trailing ':' (split above), and a
    // compressed one may end in "::" directly before the IPv4 address.
    let mut words = [0u16; 8];
    for (k, w) in head.iter().take(nh).enumerate() {
        *words.get_mut(k)? = *w;
    }
    let tail_start = max_groups - nt;
    for (k, w) in tail.iter().take(nt).enumerate() {
        *words.get_mut(tail_start + k)? = *w;
    }
    if let Some(v4) = v4 {
        let o = v4.octets();
        *words.get_mut(6)? = u16::from_be_bytes([o[0], o[1]]);
        *words.get_mut(7)? = u16::from_be_bytes([o[2], o[3]]);
    }
    Some(Ipv6Addr::from(words))
}

fn find_double_colon(s: &[u8]) -> Option<usize> {
    s.windows(2).position(|w| w == b"::")
}

/// Parses `IPv6-hex *(":" IPv6-hex)` (or nothing) into `out`, returning the count.
fn groups(s: &[u8], out: &mut [u16; 8]) -> Option<usize> {
    if s.is_empty() {
        return Some(0);
    }
    let mut n = 0;
    for part in s.split(|&c| c == b':') {
        if part.is_empty() || part.len() > 4 || abnf::span(part, HEXDIG) != part.len() {
            return None;
        }
        let v = part.iter().fold(0u16, |a, &c| (a << 4) | u16::from(hex_val(c)));
        *out.get_mut(n)? = v;
        n += 1;
    }
    Some(n)
}

/// `Domain / address-literal`.
pub(crate) fn host<'a>(i: &'a [u8], opts: &ParseOptions) -> PResult<'a, Host<'a>> {
    host_in(i, opts, Utf8Line::NONE)
}

/// [`host`] inside `line`.
#[inline(always)]
pub(crate) fn host_in<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, Host<'a>> {
    if i.first() == Some(&b'[') {
        let (rest, lit) = address_literal(i, line)?;
        Ok((rest, Host::Literal(lit)))
    } else {
        let (rest, d) = domain(i, opts, line)?;
        Ok((rest, Host::Domain(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::testing::strings;

    /// Wherever the one-pass [`ascii_domain`] accepts, the label loop splits the input at the
    /// same place; wherever the label loop accepts an ASCII domain that ends on an ASCII octet
    /// other than `.`, the one pass accepts it too (so the fast path is taken, not skipped).
    /// Every string of up to five octets over an alphabet with each case the rules tell apart,
    /// behind several heads and before several tails.
    #[test]
    fn one_pass_agrees_with_the_label_loop() {
        const ALPHABET: &[u8] = b"a9-.>\x80 ";
        let mut checked = 0usize;
        for opts in [ParseOptions::default(), ParseOptions::default().with_smtputf8(true)] {
            for s in strings(ALPHABET, 5) {
                for pad in [&b""[..], b"xy", b"x.example.org", b"> SIZE=1441 BODY=8BITMIME"] {
                    for head in [&b""[..], b"sub.", b"abcdefgh.", b"a-long-label-of-twenty."] {
                        let input = [head, &s, pad].concat();
                        let slow = domain_by_labels(&input, &opts, Utf8Line::new(&input));
                        let fast = ascii_domain(&input, opts.limits().domain());
                        match (&slow, fast) {
                            (Ok((rest, d)), Some(n)) => {
                                assert_eq!(input.len() - rest.len(), n, "{input:?}");
                                assert_eq!(d.as_str().len(), n, "{input:?}");
                            }
                            (Err(_), Some(n)) => {
                                assert!(slow.is_ok(), "one pass took {n} octets of {input:?}; the loop: {slow:?}")
                            }
                            (Ok((rest, d)), None) => {
                                let next = rest.first();
                                assert!(
                                    next.is_some_and(|&c| c == b'.' || c >= 0x80) || !d.as_str().is_ascii(),
                                    "one pass refused {input:?}, which the loop accepts"
                                );
                            }
                            (Err(_), None) => {}
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 500_000, "{checked}");
    }

    /// The limit holds on both paths, at the short and the long form.
    #[test]
    fn limit_applies_to_the_one_pass() {
        for d in [&b"client.test"[..], b"a-long-label-of-twenty.client.example.org"] {
            assert_eq!(ascii_domain(d, d.len()), Some(d.len()));
            assert_eq!(ascii_domain(d, d.len() - 1), None);
        }
    }
}
