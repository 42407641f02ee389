//! ESMTP parameters of MAIL and RCPT (RFC 5321 §4.1.2 and the extensions that define them).

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use super::text::{EsmtpValue, Keyword, Timestamp, XText};
use crate::encode::Sink;
use crate::parse::params::{self as grammar, Context};
use crate::{ParseError, ParseErrorKind, ParseOptions};

/// The ESMTP parameters of a MAIL or RCPT command, validated once and kept as their wire
/// text, so they re-encode exactly; [`iter`](Self::iter) yields them typed, without allocating.
///
/// ```abnf
/// Mail-parameters = esmtp-param *(SP esmtp-param)   ; RFC 5321 §4.1.2
/// Rcpt-parameters = esmtp-param *(SP esmtp-param)
/// esmtp-param     = esmtp-keyword ["=" esmtp-value]
/// ```
///
/// Validation checks each known parameter's value grammar, that it belongs on this command,
/// and that no keyword appears twice (RFC 1869 §6 / RFC 5321 §4.1.2 leave repeats undefined,
/// and a repeat is where two parsers can disagree).
///
/// ```
/// use smtp_wire::{BodyType, Command, CommandBody, Param};
///
/// let cmd = Command::parse(b"MAIL FROM:<a@example.org> SIZE=1024 BODY=8BITMIME X-Y=z\r\n").unwrap();
/// let CommandBody::Mail { params, .. } = cmd.body() else { unreachable!() };
/// let all: Vec<Param<'_>> = params.iter().collect();
/// assert_eq!(all[0], Param::Size(1024));
/// assert_eq!(all[1], Param::Body(BodyType::EightBitMime));
/// assert!(matches!(&all[2], Param::Other { keyword, .. } if keyword.as_str() == "X-Y"));
/// assert_eq!(params.size(), Some(1024));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Params<'a>(pub(crate) Cow<'a, str>);

impl<'a> Params<'a> {
    /// No parameters.
    pub const EMPTY: Params<'static> = Params(Cow::Borrowed(""));

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
        crate::parse::finish(input, grammar::validate(input, Context::Mail, opts))
    }

    /// Parses exactly `input` as the parameters of a RCPT command, under `opts`.
    pub fn parse_rcpt(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        crate::parse::finish(input, grammar::validate(input, Context::Rcpt, opts))
    }

    /// The wire text, without the leading space (empty when there are none).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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
            .map(grammar::param_from_text)
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
    pub fn mail<'p>(params: impl IntoIterator<Item = &'p Param<'p>>) -> Result<Params<'static>, ParseError> {
        Self::build(params, Context::Mail)
    }

    /// Builds the parameters of a RCPT command (see [`Params::mail`]).
    pub fn rcpt<'p>(params: impl IntoIterator<Item = &'p Param<'p>>) -> Result<Params<'static>, ParseError> {
        Self::build(params, Context::Rcpt)
    }

    fn build<'p>(params: impl IntoIterator<Item = &'p Param<'p>>, ctx: Context) -> Result<Params<'static>, ParseError> {
        let mut s = String::new();
        for p in params {
            if let Param::Other { keyword, .. } = p {
                if grammar::known(keyword.as_str()).is_some() {
                    return Err(ParseError::new(
                        s.len(),
                        ParseErrorKind::InvalidValue { what: "Param::Other with a known keyword" },
                    ));
                }
            }
            if !s.is_empty() {
                s.push(' ');
            }
            p.write(&mut s);
        }
        let opts = ParseOptions::STRICT.with_smtputf8(true);
        crate::parse::finish(s.as_bytes(), grammar::validate(s.as_bytes(), ctx, &opts))?;
        Ok(Params(Cow::Owned(s)))
    }

    /// Whether every parameter is ASCII (else the command needs SMTPUTF8).
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Params<'static> {
        Params(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> IntoIterator for &'a Params<'_> {
    type Item = Param<'a>;
    type IntoIter = ParamIter<'a>;
    fn into_iter(self) -> ParamIter<'a> {
        self.iter()
    }
}

/// Iterator over [`Params`], yielding typed [`Param`]s borrowed from the wire text.
#[derive(Debug, Clone)]
pub struct ParamIter<'a> {
    rest: &'a str,
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Param<'a>;
    fn next(&mut self) -> Option<Param<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let (one, rest) = self.rest.split_once(' ').unwrap_or((self.rest, ""));
        self.rest = rest;
        Some(grammar::param_from_text(one))
    }
}

/// `BODY=` values (RFC 6152 §2, RFC 3030 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BodyType {
    /// `7BIT`
    SevenBit,
    /// `8BITMIME` (RFC 6152)
    EightBitMime,
    /// `BINARYMIME` (RFC 3030; needs BDAT)
    BinaryMime,
}

impl BodyType {
    /// The keyword as written in canonical form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::SevenBit => "7BIT",
            Self::EightBitMime => "8BITMIME",
            Self::BinaryMime => "BINARYMIME",
        }
    }
}

/// `RET=` (RFC 3461 §4.3): what a DSN should return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ret {
    /// `FULL`: the whole message.
    Full,
    /// `HDRS`: the headers only.
    Headers,
}

/// `NOTIFY=` (RFC 3461 §4.1): `NEVER`, or a set of `SUCCESS`, `FAILURE`, `DELAY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Notify {
    /// `NEVER`
    Never,
    /// A non-empty set of conditions.
    On {
        /// `SUCCESS`
        success: bool,
        /// `FAILURE`
        failure: bool,
        /// `DELAY`
        delay: bool,
    },
}

/// `AUTH=` on MAIL (RFC 4954 §5): the authenticated submitter, or `<>` for unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthParam<'a> {
    /// `AUTH=<>`
    Null,
    /// The mailbox, in xtext.
    Mailbox(XText<'a>),
}

/// `BY=` (RFC 2852 §4): deliver-by time and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct By {
    /// Seconds (may be negative with mode `R`), at most nine digits.
    pub time: i32,
    /// `N` (notify) or `R` (return).
    pub mode: ByMode,
    /// The `T` (trace) flag.
    pub trace: bool,
}

/// The mode of [`By`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ByMode {
    /// `N`: notify if not delivered in time.
    Notify,
    /// `R`: return if not delivered in time.
    Return,
}

/// `ORCPT=` (RFC 3461 §4.2): the original recipient, with its address type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Orcpt<'a> {
    /// The address type, e.g. `rfc822` or `utf-8` (RFC 6533).
    pub addr_type: Keyword<'a>,
    /// The address, in xtext.
    pub addr: XText<'a>,
}

/// `RRVS=` (RFC 7293 §3): require-recipient-valid-since.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rrvs<'a> {
    /// The RFC 3339 timestamp.
    pub since: Timestamp<'a>,
    /// `C` (continue) or `R` (reject), if given.
    pub action: Option<RrvsAction>,
}

/// The action of [`Rrvs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RrvsAction {
    /// `C`: continue delivery when the check cannot be done.
    Continue,
    /// `R`: reject.
    Reject,
}

/// One ESMTP parameter, typed where an RFC defines it, kept verbatim otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Param<'a> {
    /// `SIZE=n` (RFC 1870 §6), MAIL
    Size(u64),
    /// `BODY=` (RFC 6152, RFC 3030), MAIL
    Body(BodyType),
    /// `SMTPUTF8` (RFC 6531 §3.4), MAIL
    SmtpUtf8,
    /// `REQUIRETLS` (RFC 8689 §4.1), MAIL
    RequireTls,
    /// `RET=` (RFC 3461 §4.3), MAIL
    Ret(Ret),
    /// `ENVID=` (RFC 3461 §4.4), MAIL
    EnvId(XText<'a>),
    /// `AUTH=` (RFC 4954 §5), MAIL
    Auth(AuthParam<'a>),
    /// `MT-PRIORITY=` (RFC 6710 §3), −9 to 9, MAIL
    MtPriority(i8),
    /// `HOLDFOR=` seconds (RFC 4865 §5.1), MAIL
    HoldFor(u32),
    /// `HOLDUNTIL=` (RFC 4865 §5.1), MAIL
    HoldUntil(Timestamp<'a>),
    /// `BY=` (RFC 2852 §4), MAIL
    By(By),
    /// `NOTIFY=` (RFC 3461 §4.1), RCPT
    Notify(Notify),
    /// `ORCPT=` (RFC 3461 §4.2), RCPT
    Orcpt(Orcpt<'a>),
    /// `RRVS=` (RFC 7293 §3), RCPT
    Rrvs(Rrvs<'a>),
    /// Any other `esmtp-keyword ["=" esmtp-value]`, verbatim.
    Other {
        /// The keyword.
        keyword: Keyword<'a>,
        /// The value, if any.
        value: Option<EsmtpValue<'a>>,
    },
}

impl Param<'_> {
    /// Writes the canonical wire form (`KEYWORD[=value]`).
    pub(crate) fn write(&self, out: &mut impl Sink) {
        use crate::encode::write_num;
        match self {
            Self::Size(n) => {
                out.put(b"SIZE=");
                write_num(out, *n);
            }
            Self::Body(b) => {
                out.put(b"BODY=");
                out.put(b.as_str().as_bytes());
            }
            Self::SmtpUtf8 => out.put(b"SMTPUTF8"),
            Self::RequireTls => out.put(b"REQUIRETLS"),
            Self::Ret(Ret::Full) => out.put(b"RET=FULL"),
            Self::Ret(Ret::Headers) => out.put(b"RET=HDRS"),
            Self::EnvId(x) => {
                out.put(b"ENVID=");
                out.put(x.as_str().as_bytes());
            }
            Self::Auth(AuthParam::Null) => out.put(b"AUTH=<>"),
            Self::Auth(AuthParam::Mailbox(x)) => {
                out.put(b"AUTH=");
                out.put(x.as_str().as_bytes());
            }
            Self::MtPriority(p) => {
                out.put(b"MT-PRIORITY=");
                if *p < 0 {
                    out.put(b"-");
                }
                write_num(out, u64::from(p.unsigned_abs()));
            }
            Self::HoldFor(s) => {
                out.put(b"HOLDFOR=");
                write_num(out, u64::from(*s));
            }
            Self::HoldUntil(t) => {
                out.put(b"HOLDUNTIL=");
                out.put(t.as_str().as_bytes());
            }
            Self::By(by) => {
                out.put(b"BY=");
                if by.time < 0 {
                    out.put(b"-");
                }
                write_num(out, u64::from(by.time.unsigned_abs()));
                out.put(match by.mode {
                    ByMode::Notify => b";N",
                    ByMode::Return => b";R",
                });
                if by.trace {
                    out.put(b"T");
                }
            }
            Self::Notify(Notify::Never) => out.put(b"NOTIFY=NEVER"),
            Self::Notify(Notify::On { success, failure, delay }) => {
                out.put(b"NOTIFY=");
                let mut first = true;
                for (on, word) in [(*success, &b"SUCCESS"[..]), (*failure, b"FAILURE"), (*delay, b"DELAY")] {
                    if on {
                        if !first {
                            out.put(b",");
                        }
                        out.put(word);
                        first = false;
                    }
                }
            }
            Self::Orcpt(o) => {
                out.put(b"ORCPT=");
                out.put(o.addr_type.as_str().as_bytes());
                out.put(b";");
                out.put(o.addr.as_str().as_bytes());
            }
            Self::Rrvs(r) => {
                out.put(b"RRVS=");
                out.put(r.since.as_str().as_bytes());
                match r.action {
                    Some(RrvsAction::Continue) => out.put(b";C"),
                    Some(RrvsAction::Reject) => out.put(b";R"),
                    None => {}
                }
            }
            Self::Other { keyword, value } => {
                out.put(keyword.as_str().as_bytes());
                if let Some(v) = value {
                    out.put(b"=");
                    out.put(v.as_str().as_bytes());
                }
            }
        }
    }
}

impl fmt::Display for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}
