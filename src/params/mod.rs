//! ESMTP parameters of MAIL and RCPT (RFC 5321 §4.1.2 and the extensions that define them).

pub(crate) mod encode;
pub(crate) mod grammar;

use alloc::borrow::Cow;

use crate::token::{EsmtpValue, Keyword, Timestamp, XText};

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

impl Params<'_> {
    /// No parameters.
    pub const EMPTY: Params<'static> = Params(Cow::Borrowed(""));

    /// The wire text, without the leading space (empty when there are none).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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

/// Iterator over [`Params`], yielding typed [`Param`]s borrowed from the wire text.
#[derive(Debug, Clone)]
pub struct ParamIter<'a> {
    pub(crate) rest: &'a str,
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

impl AuthParam<'_> {
    /// A copy that owns its text.
    pub fn into_owned(self) -> AuthParam<'static> {
        match self {
            Self::Null => AuthParam::Null,
            Self::Mailbox(m) => AuthParam::Mailbox(m.into_owned()),
        }
    }
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

impl Orcpt<'_> {
    /// A copy that owns its text.
    pub fn into_owned(self) -> Orcpt<'static> {
        Orcpt { addr_type: self.addr_type.into_owned(), addr: self.addr.into_owned() }
    }
}

/// `RRVS=` (RFC 7293 §3): require-recipient-valid-since.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rrvs<'a> {
    /// The RFC 3339 timestamp.
    pub since: Timestamp<'a>,
    /// `C` (continue) or `R` (reject), if given.
    pub action: Option<RrvsAction>,
}

impl Rrvs<'_> {
    /// A copy that owns its text.
    pub fn into_owned(self) -> Rrvs<'static> {
        Rrvs { since: self.since.into_owned(), action: self.action }
    }
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
    /// A copy that owns its text: for keeping a parameter past the line it was parsed from,
    /// as a relay does with the parameters it passes on to the next hop: the DSN ones
    /// (`RET`, `ENVID`, `NOTIFY`, `ORCPT`, RFC 3461 §5.2), `RRVS`, `MT-PRIORITY`. Not `SIZE`
    /// (the relay's message has its own size), `BODY` or `SMTPUTF8` (what the relay sends
    /// decides them; the [`Client`](crate::Client) adds them) or `AUTH` (RFC 4954 §5 has its
    /// own rules for passing it on).
    ///
    /// ```
    /// use smtp_wire::{Command, CommandBody, Envelope, ForwardPath, Param, ReversePath};
    ///
    /// let line = b"RCPT TO:<bob@example.net> NOTIFY=SUCCESS ORCPT=rfc822;bob@example.net\r\n".to_vec();
    /// let cmd = Command::parse(&line).unwrap();
    /// let CommandBody::Rcpt { forward_path, params } = cmd.body() else { unreachable!() };
    /// let kept: Vec<Param<'static>> = params.iter().map(Param::into_owned).collect();
    /// let to = forward_path.clone().into_owned();
    /// drop(line);
    /// let from = ReversePath::parse(b"<alice@example.org>").unwrap().into_owned();
    /// let envelope = Envelope::new(from, b"Hi\r\n".to_vec()).with_recipient_params(to, kept);
    /// # let _ = envelope;
    /// ```
    pub fn into_owned(self) -> Param<'static> {
        match self {
            Self::Size(n) => Param::Size(n),
            Self::Body(b) => Param::Body(b),
            Self::SmtpUtf8 => Param::SmtpUtf8,
            Self::RequireTls => Param::RequireTls,
            Self::Ret(r) => Param::Ret(r),
            Self::EnvId(x) => Param::EnvId(x.into_owned()),
            Self::Auth(a) => Param::Auth(a.into_owned()),
            Self::MtPriority(p) => Param::MtPriority(p),
            Self::HoldFor(s) => Param::HoldFor(s),
            Self::HoldUntil(t) => Param::HoldUntil(t.into_owned()),
            Self::By(b) => Param::By(b),
            Self::Notify(n) => Param::Notify(n),
            Self::Orcpt(o) => Param::Orcpt(o.into_owned()),
            Self::Rrvs(r) => Param::Rrvs(r.into_owned()),
            Self::Other { keyword, value } => {
                Param::Other { keyword: keyword.into_owned(), value: value.map(EsmtpValue::into_owned) }
            }
        }
    }
}
