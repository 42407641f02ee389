//! ESMTP parameters (RFC 5321 §4.1.2) and the value grammars of the extensions that define
//! them; the parsers, builders and typed readers of [`Params`] built on them.

use alloc::borrow::Cow;
use alloc::string::String;

use super::{AuthParam, BodyType, By, ByMode, Notify, Orcpt, Param, ParamIter, Params, Ret, Rrvs, RrvsAction};
use crate::token::{EsmtpValue, Keyword, Timestamp, XText};
use crate::wire::class::{self as abnf, ALPHA, DIGIT, KEYWORD};
use crate::wire::lex::{check_timestamp, check_xtext, esmtp_value_in, keyword};
use crate::wire::scan::{self, PErr, PResult, Utf8Line, fail, finish, offset_in, split};
use crate::wire::swar::{fold_back, fold_front, fold8};
use crate::{BuildError, BuildErrorKind, ParseError, ParseErrorKind, ParseOptions};

impl<'a> Params<'a> {
    /// Parses exactly `input` as the parameters of a MAIL command (the text after the path and
    /// its space), under `opts`.
    ///
    /// ```
    /// use smtp_wire::{Params, ParseOptions};
    ///
    /// let p = Params::parse_mail(b"SIZE=10 RET=HDRS", &ParseOptions::default()).unwrap();
    /// assert_eq!(p.iter().count(), 2);
    /// assert!(Params::parse_mail(b"NOTIFY=NEVER", &ParseOptions::default()).is_err());
    /// ```
    pub fn parse_mail(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        finish(input, validate(input, Context::Mail, opts, Utf8Line::new(input)))
    }

    /// Parses exactly `input` as the parameters of a RCPT command, under `opts`.
    pub fn parse_rcpt(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        finish(input, validate(input, Context::Rcpt, opts, Utf8Line::new(input)))
    }

    /// The parameters, typed, in wire order.
    pub fn iter(&self) -> ParamIter<'_> {
        ParamIter { rest: &self.0 }
    }

    /// The parameter whose keyword is `keyword` (case-insensitive).
    pub fn get(&self, keyword: &str) -> Option<Param<'_>> {
        self.0
            .split(' ')
            .find(|p| p.split('=').next().is_some_and(|k| k.eq_ignore_ascii_case(keyword)))
            .map(param_from_text)
    }

    /// `SIZE=` (RFC 1870), if present.
    pub fn size(&self) -> Option<u64> {
        self.iter().find_map(|p| if let Param::Size(n) = p { Some(n) } else { None })
    }

    /// `BODY=` (RFC 6152, RFC 3030), if present.
    pub fn body(&self) -> Option<BodyType> {
        self.iter().find_map(|p| if let Param::Body(b) = p { Some(b) } else { None })
    }

    /// Whether `SMTPUTF8` (RFC 6531) is present.
    pub fn smtputf8(&self) -> bool {
        self.iter().any(|p| p == Param::SmtpUtf8)
    }

    /// Whether `REQUIRETLS` (RFC 8689) is present.
    pub fn requiretls(&self) -> bool {
        self.iter().any(|p| p == Param::RequireTls)
    }

    /// Builds the parameters of a MAIL command. Fails on a duplicate, on a parameter that
    /// belongs on RCPT, and on an [`Param::Other`] whose keyword names a known parameter.
    pub fn mail<'p>(params: impl IntoIterator<Item = &'p Param<'p>>) -> Result<Params<'static>, BuildError> {
        Self::build(params, Context::Mail)
    }

    /// Builds the parameters of a RCPT command (see [`Params::mail`]).
    pub fn rcpt<'p>(params: impl IntoIterator<Item = &'p Param<'p>>) -> Result<Params<'static>, BuildError> {
        Self::build(params, Context::Rcpt)
    }

    fn build<'p>(params: impl IntoIterator<Item = &'p Param<'p>>, ctx: Context) -> Result<Params<'static>, BuildError> {
        let mut s = String::new();
        for (k, p) in params.into_iter().enumerate() {
            if let Param::Other { keyword, .. } = p {
                if known(keyword.as_str()).is_some() {
                    return Err(BuildError::new("parameter", BuildErrorKind::KnownKeyword).item(k));
                }
            }
            if !s.is_empty() {
                s.push(' ');
            }
            p.write(&mut s);
        }
        let opts = ParseOptions::STRICT.with_smtputf8(true);
        finish(s.as_bytes(), validate(s.as_bytes(), ctx, &opts, Utf8Line::from_str(&s)))
            .map_err(|e| BuildError::grammar("parameters", e))?;
        Ok(Params(Cow::Owned(s)))
    }
}

impl<'a> IntoIterator for &'a Params<'_> {
    type Item = Param<'a>;
    type IntoIter = ParamIter<'a>;
    fn into_iter(self) -> ParamIter<'a> {
        self.iter()
    }
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Param<'a>;
    fn next(&mut self) -> Option<Param<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        // An octet search: a `str` pattern search costs more than these short parameters.
        let (one, rest) = match self.rest.bytes().position(|c| c == b' ') {
            Some(n) => (self.rest.get(..n).unwrap_or(""), self.rest.get(n + 1..).unwrap_or("")),
            None => (self.rest, ""),
        };
        self.rest = rest;
        Some(param_from_text(one))
    }
}

/// The most ESMTP parameters one command may carry (see [`validate`]).
pub(crate) const MAX_PARAMS: usize = 256;

/// Which command the parameters are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Mail,
    Rcpt,
}

/// The known parameters: keyword, the command they belong on.
const KNOWN: [(&str, Context); 14] = [
    ("SIZE", Context::Mail),
    ("BODY", Context::Mail),
    ("SMTPUTF8", Context::Mail),
    ("REQUIRETLS", Context::Mail),
    ("RET", Context::Mail),
    ("ENVID", Context::Mail),
    ("AUTH", Context::Mail),
    ("MT-PRIORITY", Context::Mail),
    ("HOLDFOR", Context::Mail),
    ("HOLDUNTIL", Context::Mail),
    ("BY", Context::Mail),
    ("NOTIFY", Context::Rcpt),
    ("ORCPT", Context::Rcpt),
    ("RRVS", Context::Rcpt),
];

/// Index into [`KNOWN`] of a keyword (case-insensitive).
pub(crate) fn known(keyword: &str) -> Option<usize> {
    // Anything outside the alphabet must not fold onto a known keyword: the fold is exact
    // only on letters, digits and '-'.
    let k = keyword.as_bytes();
    if !k.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-') {
        return None;
    }
    known_keyword(k)
}

/// [`known`] for a keyword already held to `esmtp-keyword`'s alphabet: the length and one
/// folded integer for the first eight octets ([`fold_front`]), one more for the last eight of
/// a longer keyword, instead of one case-insensitive string compare per known keyword. The
/// arms follow the order of [`KNOWN`].
fn known_keyword(keyword: &[u8]) -> Option<usize> {
    const SIZE: u64 = fold8(b"SIZE");
    const BODY: u64 = fold8(b"BODY");
    const SMTPUTF8: u64 = fold8(b"SMTPUTF8");
    const REQUIRET: u64 = fold8(b"REQUIRET");
    const QUIRETLS: u64 = fold8(b"QUIRETLS");
    const RET: u64 = fold8(b"RET");
    const ENVID: u64 = fold8(b"ENVID");
    const AUTH: u64 = fold8(b"AUTH");
    const MT_PRIOR: u64 = fold8(b"MT-PRIOR");
    const PRIORITY: u64 = fold8(b"PRIORITY");
    const HOLDFOR: u64 = fold8(b"HOLDFOR");
    const HOLDUNTI: u64 = fold8(b"HOLDUNTI");
    const OLDUNTIL: u64 = fold8(b"OLDUNTIL");
    const BY: u64 = fold8(b"BY");
    const NOTIFY: u64 = fold8(b"NOTIFY");
    const ORCPT: u64 = fold8(b"ORCPT");
    const RRVS: u64 = fold8(b"RRVS");
    let back = || fold_back(keyword);
    Some(match (keyword.len(), fold_front(keyword)) {
        (4, SIZE) => 0,
        (4, BODY) => 1,
        (8, SMTPUTF8) => 2,
        (10, REQUIRET) if back() == QUIRETLS => 3,
        (3, RET) => 4,
        (5, ENVID) => 5,
        (4, AUTH) => 6,
        (11, MT_PRIOR) if back() == PRIORITY => 7,
        (7, HOLDFOR) => 8,
        (9, HOLDUNTI) if back() == OLDUNTIL => 9,
        (2, BY) => 10,
        (6, NOTIFY) => 11,
        (5, ORCPT) => 12,
        (4, RRVS) => 13,
        _ => return None,
    })
}

/// Parses and validates the parameters at the front of `i` (the text after the path's SP),
/// up to the end of `i`.
pub(crate) fn validate<'a>(
    i: &'a [u8],
    ctx: Context,
    opts: &ParseOptions,
    line: Utf8Line<'a>,
) -> PResult<'a, Params<'a>> {
    let mut seen_known: u32 = 0;
    let mut pos = 0usize;
    let mut count = 0usize;
    loop {
        let start = i.get(pos..).unwrap_or(&[]);
        // The duplicate check below is quadratic in the number of unknown parameters; bound it.
        // A 512-octet line holds at most ~250 parameters, so only a raised limit meets this.
        count += 1;
        if count > MAX_PARAMS {
            return scan::expected(start, "at most 256 ESMTP parameters");
        }
        let (rest, kw) = keyword_octets(start)?;
        let (rest, value) = match rest.strip_prefix(b"=") {
            Some(v) => {
                let (r, v) = esmtp_value_in(v, opts.smtputf8(), line)?;
                (r, Some(v))
            }
            None => (rest, None),
        };
        match known_keyword(kw) {
            Some(k) => {
                let bit = 1u32 << k;
                if seen_known & bit != 0 && !repeat_allowed(i.get(..pos).unwrap_or(&[]), kw, start, rest, opts) {
                    return fail(start, ParseErrorKind::DuplicateParameter);
                }
                seen_known |= bit;
                if KNOWN.get(k).is_some_and(|(_, c)| *c != ctx) {
                    return fail(start, ParseErrorKind::ParameterNotAllowed);
                }
                let value_at = start.get(kw.len() + 1..).unwrap_or(&[]);
                if let Err(kind) = typed(k, value) {
                    return fail(if value.is_some() { value_at } else { rest }, kind);
                }
            }
            None => {
                // An unknown keyword may not repeat either (compared case-insensitively).
                let before = i.get(..pos).unwrap_or(&[]);
                let dup = before.split(|&c| c == b' ').any(|p| key_of(p).eq_ignore_ascii_case(kw));
                if dup && !repeat_allowed(before, kw, start, rest, opts) {
                    return fail(start, ParseErrorKind::DuplicateParameter);
                }
            }
        }
        pos = offset_in(i, rest);
        if !next(i, rest, &mut pos)? {
            break;
        }
    }
    let (raw, rest) = split(i, pos);
    let s = line.str(raw, opts.smtputf8()).map_err(nom::Err::Error)?;
    Ok((rest, Params(Cow::Borrowed(s))))
}

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")` (RFC 5321 §4.1.2) at the front of
/// `i`, as octets (they are ASCII by their class).
fn keyword_octets(i: &[u8]) -> PResult<'_, &[u8]> {
    match i.first() {
        Some(&c) if abnf::is(c, ALPHA | DIGIT) => {}
        _ => return scan::expected(i, "keyword"),
    }
    let (k, rest) = split(i, abnf::span(i, KEYWORD));
    Ok((rest, k))
}

/// After a parameter ending where `rest` starts: `true` (and `pos` past the space) when
/// another follows, `false` at the end of the input.
fn next<'a>(i: &'a [u8], rest: &'a [u8], pos: &mut usize) -> Result<bool, nom::Err<PErr<'a>>> {
    *pos = offset_in(i, rest);
    match rest.first() {
        None => Ok(false),
        Some(b' ') if rest.len() > 1 => {
            *pos += 1;
            Ok(true)
        }
        Some(b' ') => scan::expected::<()>(rest.get(1..).unwrap_or(&[]), "parameter after space").map(|_| false),
        Some(c) if !c.is_ascii() => fail::<()>(rest, ParseErrorKind::NonAscii).map(|_| false),
        Some(_) => scan::expected::<()>(rest, "SP or end of line").map(|_| false),
    }
}

/// The keyword of one `keyword[=value]` parameter.
fn key_of(p: &[u8]) -> &[u8] {
    p.split(|&c| c == b'=').next().unwrap_or(&[])
}

/// Whether the parameter that runs from `start` to `rest` (keyword `kw`), which repeats a
/// keyword of `before`, may stand: only under
/// [`ParseOptions::with_exact_parameter_repeats`], and only when every earlier parameter with
/// that keyword is written exactly like it after the keyword (the same value octets, or no
/// value), so that no reader can take it two ways.
fn repeat_allowed(before: &[u8], kw: &[u8], start: &[u8], rest: &[u8], opts: &ParseOptions) -> bool {
    fn tail(p: &[u8]) -> &[u8] {
        p.get(key_of(p).len()..).unwrap_or(&[])
    }
    let this = start.get(..offset_in(start, rest)).unwrap_or(&[]);
    opts.exact_parameter_repeats()
        && before.split(|&c| c == b' ').filter(|p| key_of(p).eq_ignore_ascii_case(kw)).all(|p| tail(p) == tail(this))
}

fn invalid(k: usize) -> ParseErrorKind {
    ParseErrorKind::InvalidParameterValue { keyword: KNOWN.get(k).map_or("parameter", |(n, _)| n) }
}

/// The typed value of known parameter `k`, or why it is invalid.
fn typed(k: usize, value: Option<&str>) -> Result<Param<'_>, ParseErrorKind> {
    let bad = invalid(k);
    fn need(v: Option<&str>, bad: ParseErrorKind) -> Result<&str, ParseErrorKind> {
        v.ok_or(bad)
    }
    let v = value;
    Ok(match k {
        0 => {
            let v = need(v, bad)?;
            if v.len() > 20 {
                return Err(ParseErrorKind::NumberOverflow);
            }
            match scan::number(v.as_bytes(), 20, "digits") {
                Ok(([], n)) => Param::Size(n),
                Err(nom::Err::Error(PErr { kind: ParseErrorKind::NumberOverflow, .. })) => {
                    return Err(ParseErrorKind::NumberOverflow);
                }
                _ => return Err(bad),
            }
        }
        1 => {
            let v = need(v, bad)?;
            Param::Body(if v.eq_ignore_ascii_case("7BIT") {
                BodyType::SevenBit
            } else if v.eq_ignore_ascii_case("8BITMIME") {
                BodyType::EightBitMime
            } else if v.eq_ignore_ascii_case("BINARYMIME") {
                BodyType::BinaryMime
            } else {
                return Err(bad);
            })
        }
        2 | 3 => {
            if v.is_some() {
                return Err(bad);
            }
            if k == 2 { Param::SmtpUtf8 } else { Param::RequireTls }
        }
        4 => {
            let v = need(v, bad)?;
            Param::Ret(if v.eq_ignore_ascii_case("FULL") {
                Ret::Full
            } else if v.eq_ignore_ascii_case("HDRS") {
                Ret::Headers
            } else {
                return Err(bad);
            })
        }
        5 => {
            // RFC 3461 §4.4: "ENVID ... MUST NOT exceed 100 characters".
            let v = need(v, bad)?;
            if v.len() > 100 {
                return Err(bad);
            }
            check_xtext(v.as_bytes()).map_err(|e| e.kind)?;
            Param::EnvId(XText(Cow::Borrowed(v)))
        }
        6 => {
            let v = need(v, bad)?;
            if v == "<>" {
                Param::Auth(AuthParam::Null)
            } else {
                check_xtext(v.as_bytes()).map_err(|e| e.kind)?;
                Param::Auth(AuthParam::Mailbox(XText(Cow::Borrowed(v))))
            }
        }
        7 => {
            // priority-value = 0*1("-" / "+") DIGIT   (RFC 6710 §3)
            let b = need(v, bad)?.as_bytes();
            let (neg, d) = match b {
                [b'-', d] => (true, *d),
                [b'+', d] | [d] => (false, *d),
                _ => return Err(bad),
            };
            if !d.is_ascii_digit() {
                return Err(bad);
            }
            let n = (d - b'0') as i8;
            Param::MtPriority(if neg { -n } else { n })
        }
        8 => {
            // holdfor-value = 1*9DIGIT   (RFC 4865 §5.1)
            let b = need(v, bad)?.as_bytes();
            if b.is_empty() || b.len() > 9 || abnf::span(b, DIGIT) != b.len() {
                return Err(bad);
            }
            Param::HoldFor(b.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0')))
        }
        9 => {
            let v = need(v, bad)?;
            if !check_timestamp(v.as_bytes()) {
                return Err(bad);
            }
            Param::HoldUntil(Timestamp(Cow::Borrowed(v)))
        }
        10 => {
            // by-value = by-time ";" by-mode [by-trace]; by-time = ["-" / "+"] 1*9DIGIT;
            // by-mode = "N" / "R"; by-trace = "T"   (RFC 2852 §4)
            let b = need(v, bad)?.as_bytes();
            let (neg, rest) = match b.first() {
                Some(b'-') => (true, b.get(1..).unwrap_or(&[])),
                Some(b'+') => (false, b.get(1..).unwrap_or(&[])),
                _ => (false, b),
            };
            let n = abnf::span(rest, DIGIT);
            if n == 0 || n > 9 {
                return Err(bad);
            }
            let (digits, tail) = split(rest, n);
            let t = digits.iter().fold(0i32, |a, c| a * 10 + i32::from(c - b'0'));
            let (mode, trace) = match tail {
                [b';', m] => (*m, false),
                [b';', m, t] if t.eq_ignore_ascii_case(&b'T') => (*m, true),
                _ => return Err(bad),
            };
            let mode = match mode.to_ascii_uppercase() {
                b'N' => ByMode::Notify,
                b'R' => ByMode::Return,
                _ => return Err(bad),
            };
            Param::By(By { time: if neg { -t } else { t }, mode, trace })
        }
        11 => {
            // notify-esmtp-value = "NEVER" / 1#notify-list-element   (RFC 3461 §4.1)
            let v = need(v, bad)?;
            if v.eq_ignore_ascii_case("NEVER") {
                Param::Notify(Notify::Never)
            } else {
                let (mut s, mut f, mut d) = (false, false, false);
                // Split on octets: a `str` pattern search costs more than these short words.
                for word in v.as_bytes().split(|&c| c == b',') {
                    let slot = if word.eq_ignore_ascii_case(b"SUCCESS") {
                        &mut s
                    } else if word.eq_ignore_ascii_case(b"FAILURE") {
                        &mut f
                    } else if word.eq_ignore_ascii_case(b"DELAY") {
                        &mut d
                    } else {
                        return Err(bad);
                    };
                    if *slot {
                        return Err(bad);
                    }
                    *slot = true;
                }
                Param::Notify(Notify::On { success: s, failure: f, delay: d })
            }
        }
        12 => {
            // orcpt-parameter = "ORCPT=" original-recipient-address;
            // original-recipient-address = addr-type ";" xtext   (RFC 3461 §4.2)
            let v = need(v, bad)?;
            let (ty, addr) = v.split_once(';').ok_or(bad)?;
            match keyword(ty.as_bytes()) {
                Ok(([], _)) => {}
                _ => return Err(bad),
            }
            check_xtext(addr.as_bytes()).map_err(|e| e.kind)?;
            if addr.is_empty() {
                return Err(bad);
            }
            Param::Orcpt(Orcpt { addr_type: Keyword(Cow::Borrowed(ty)), addr: XText(Cow::Borrowed(addr)) })
        }
        13 => {
            // rrvs-param = "RRVS=" date-time [ ";" ( "C" / "R" ) ]   (RFC 7293 §3)
            let v = need(v, bad)?;
            let (ts, action) = match v.rsplit_once(';') {
                Some((ts, a)) if a.eq_ignore_ascii_case("C") => (ts, Some(RrvsAction::Continue)),
                Some((ts, a)) if a.eq_ignore_ascii_case("R") => (ts, Some(RrvsAction::Reject)),
                Some(_) => return Err(bad),
                None => (v, None),
            };
            if !check_timestamp(ts.as_bytes()) {
                return Err(bad);
            }
            Param::Rrvs(Rrvs { since: Timestamp(Cow::Borrowed(ts)), action })
        }
        _ => return Err(bad),
    })
}

/// The typed form of one validated `keyword[=value]`. Total: anything that fails to type
/// (which validation rules out) comes back as [`Param::Other`].
pub(crate) fn param_from_text(one: &str) -> Param<'_> {
    let (kw, value) = match one.bytes().position(|c| c == b'=') {
        Some(n) => (one.get(..n).unwrap_or(""), one.get(n + 1..)),
        None => (one, None),
    };
    if let Some(k) = known(kw) {
        if let Ok(p) = typed(k, value) {
            return p;
        }
    }
    Param::Other { keyword: Keyword(Cow::Borrowed(kw)), value: value.map(|v| EsmtpValue(Cow::Borrowed(v))) }
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::{KNOWN, known};

    /// The folded dispatch finds each known keyword in any case, and nothing one octet away.
    #[test]
    fn known_is_the_table() {
        for (i, (k, _)) in KNOWN.iter().enumerate() {
            assert_eq!(known(k), Some(i), "{k}");
            assert_eq!(known(&k.to_ascii_lowercase()), Some(i), "{k}");
            for at in 0..k.len() {
                for c in [b'X', b'0', b'-', b'_', b'`'] {
                    let mut near: String = String::from(*k);
                    near.replace_range(at..=at, core::str::from_utf8(&[c]).unwrap_or("X"));
                    let want = KNOWN.iter().position(|(n, _)| n.eq_ignore_ascii_case(&near));
                    assert_eq!(known(&near), want, "{near}");
                }
            }
            assert_eq!(known(&[*k, "X"].concat()), None);
            assert_eq!(known(k.get(1..).unwrap_or("")), KNOWN.iter().position(|(n, _)| *n == k.get(1..).unwrap_or("")));
        }
    }
}
