//! The service extensions an EHLO reply advertises: [`Extension`] (the keywords this crate
//! types), [`Capability`] (one `ehlo-line`, typed) and the values inside capabilities. The
//! typed view of a line only slices text that [`grammar`](super::grammar) has validated.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use crate::token::{Keyword, Mechanism, Timestamp, debug_plain, text_type};
use crate::wire::class::{self as abnf, DIGIT};
use crate::wire::scan::starts_with_ci;

/// A service extension this crate types (the EHLO keywords of RFC 5321 and of the extensions
/// registered since). Used to ask an [`EhloReply`](crate::EhloReply) what it offers; unknown keywords are asked
/// with [`EhloReply::supports_keyword`](crate::EhloReply::supports_keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Extension {
    /// `SIZE` (RFC 1870)
    Size,
    /// `8BITMIME` (RFC 6152)
    EightBitMime,
    /// `BINARYMIME` (RFC 3030)
    BinaryMime,
    /// `CHUNKING` (RFC 3030): BDAT
    Chunking,
    /// `PIPELINING` (RFC 2920)
    Pipelining,
    /// `STARTTLS` (RFC 3207)
    StartTls,
    /// `SMTPUTF8` (RFC 6531)
    SmtpUtf8,
    /// `ENHANCEDSTATUSCODES` (RFC 2034)
    EnhancedStatusCodes,
    /// `DSN` (RFC 3461)
    Dsn,
    /// `AUTH` (RFC 4954), either spelling
    Auth,
    /// `DELIVERBY` (RFC 2852)
    DeliverBy,
    /// `ETRN` (RFC 1985)
    Etrn,
    /// `EXPN` (RFC 5321 §4.1.1.7)
    Expn,
    /// `VRFY` (RFC 5321 §4.1.1.6)
    Vrfy,
    /// `HELP` (RFC 5321 §4.1.1.8)
    Help,
    /// `REQUIRETLS` (RFC 8689)
    RequireTls,
    /// `MT-PRIORITY` (RFC 6710)
    MtPriority,
    /// `FUTURERELEASE` (RFC 4865)
    FutureRelease,
    /// `LIMITS` (RFC 9422)
    Limits,
    /// `BURL` (RFC 4468)
    Burl,
    /// `NO-SOLICITING` (RFC 3865)
    NoSoliciting,
    /// `RRVS` (RFC 7293)
    Rrvs,
}

impl Extension {
    /// Every extension, in declaration order.
    pub const ALL: [Self; 22] = [
        Self::Size,
        Self::EightBitMime,
        Self::BinaryMime,
        Self::Chunking,
        Self::Pipelining,
        Self::StartTls,
        Self::SmtpUtf8,
        Self::EnhancedStatusCodes,
        Self::Dsn,
        Self::Auth,
        Self::DeliverBy,
        Self::Etrn,
        Self::Expn,
        Self::Vrfy,
        Self::Help,
        Self::RequireTls,
        Self::MtPriority,
        Self::FutureRelease,
        Self::Limits,
        Self::Burl,
        Self::NoSoliciting,
        Self::Rrvs,
    ];

    /// The EHLO keyword, upper case.
    pub const fn keyword(self) -> &'static str {
        match self {
            Self::Size => "SIZE",
            Self::EightBitMime => "8BITMIME",
            Self::BinaryMime => "BINARYMIME",
            Self::Chunking => "CHUNKING",
            Self::Pipelining => "PIPELINING",
            Self::StartTls => "STARTTLS",
            Self::SmtpUtf8 => "SMTPUTF8",
            Self::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Self::Dsn => "DSN",
            Self::Auth => "AUTH",
            Self::DeliverBy => "DELIVERBY",
            Self::Etrn => "ETRN",
            Self::Expn => "EXPN",
            Self::Vrfy => "VRFY",
            Self::Help => "HELP",
            Self::RequireTls => "REQUIRETLS",
            Self::MtPriority => "MT-PRIORITY",
            Self::FutureRelease => "FUTURERELEASE",
            Self::Limits => "LIMITS",
            Self::Burl => "BURL",
            Self::NoSoliciting => "NO-SOLICITING",
            Self::Rrvs => "RRVS",
        }
    }

    /// The extension whose keyword is `keyword` (case-insensitive, RFC 5321 §2.4).
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        extension(keyword.as_bytes()).filter(|e| e.keyword().eq_ignore_ascii_case(keyword))
    }
}

impl fmt::Display for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

debug_plain!(EhloKeyword, EhloParams, AuthMechanisms, ServerLimits);

text_type! {
    /// An EHLO keyword as written (case kept).
    ///
    /// ```abnf
    /// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")   ; RFC 5321 §4.1.1.1
    /// ```
    ///
    /// `_` is accepted after the first character as well: Exim advertises `PIPE_CONNECT`.
    EhloKeyword
}

impl<'a> EhloKeyword<'a> {
    /// Compares keywords case-insensitively (RFC 5321 §2.4).
    pub fn eq_ignore_ascii_case(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other)
    }
}

text_type! {
    /// The parameters of a capability, as written: one or more `ehlo-param` separated by
    /// single spaces.
    ///
    /// ```abnf
    /// ehlo-param = 1*(%d33-126)      ; any CHAR excluding SP and controls, RFC 5321 §4.1.1.1
    /// ```
    EhloParams
}

impl<'a> EhloParams<'a> {
    /// The parameters, one by one.
    pub fn iter(&self) -> core::str::Split<'_, char> {
        self.0.split(' ')
    }
}

text_type! {
    /// The SASL mechanisms an `AUTH` capability lists, space-separated, as written (RFC 4954
    /// §3; mechanism names per RFC 4422 §3.1: 1 to 20 of `A-Z 0-9 - _`, lower case accepted).
    ///
    /// Names are compared whole: `PLAIN-CLIENTTOKEN` (Gmail's submission servers) is not
    /// `PLAIN`.
    ///
    /// ```
    /// use smtp_wire::AuthMechanisms;
    ///
    /// let m = AuthMechanisms::new("LOGIN PLAIN-CLIENTTOKEN XOAUTH2").unwrap();
    /// assert!(m.contains("xoauth2"));
    /// assert!(!m.contains("PLAIN"));
    /// assert_eq!(m.iter().count(), 3);
    /// ```
    AuthMechanisms
}

impl<'a> AuthMechanisms<'a> {
    /// The list of `mechanisms`, space-separated.
    pub fn from_list<'m>(mechanisms: impl IntoIterator<Item = &'m Mechanism<'m>>) -> AuthMechanisms<'static> {
        let mut s = String::new();
        for m in mechanisms {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(m.as_str());
        }
        AuthMechanisms(Cow::Owned(s))
    }

    /// The mechanisms, in the order listed.
    pub fn iter(&self) -> MechanismIter<'_> {
        MechanismIter { rest: &self.0 }
    }

    /// Whether `name` is listed (case-insensitive, whole names only).
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|m| m.eq_ignore_ascii_case(name))
    }

    /// Whether no mechanism is listed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Iterator over the mechanisms of an `AUTH` capability (RFC 4954 §3), in the order listed.
#[derive(Debug, Clone)]
pub struct MechanismIter<'a> {
    pub(crate) rest: &'a str,
}

impl<'a> Iterator for MechanismIter<'a> {
    type Item = Mechanism<'a>;
    fn next(&mut self) -> Option<Mechanism<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let (one, rest) = self.rest.split_once(' ').unwrap_or((self.rest, ""));
        self.rest = rest;
        Some(Mechanism(Cow::Borrowed(one)))
    }
}

text_type! {
    /// The limits a `LIMITS` capability announces (RFC 9422), as written.
    ///
    /// ```abnf
    /// limits-param     = limit-name-value 0*[SP limit-name-value]   ; RFC 9422 §3
    /// limit-name-value = limit-name ["=" limit-value]
    /// limit-name       = 1*(ALPHA / DIGIT / "-" / "_")
    /// limit-value      = 1*(%x21-3A / %x3C-7E)                      ; VCHAR except ";"
    /// ```
    ///
    /// Every limit is kept, registered or not ([`iter`](Self::iter)). The registered ones
    /// (RFC 9422 §4) are read by [`mail_max`](Self::mail_max),
    /// [`rcpt_max`](Self::rcpt_max) and [`rcpt_domain_max`](Self::rcpt_domain_max), which take
    /// a positive number of at most six digits and ignore a value they cannot use, as RFC 9422
    /// has clients do rather than fail the session.
    ///
    /// ```
    /// use smtp_wire::ServerLimits;
    ///
    /// let l = ServerLimits::new("MAILMAX=1000 RCPTMAX=50 X-FUTURE=yes FLAG").unwrap();
    /// assert_eq!((l.mail_max(), l.rcpt_max(), l.rcpt_domain_max()), (Some(1000), Some(50), None));
    /// assert_eq!(l.get("x-future"), Some(Some("yes")));
    /// assert_eq!(l.get("FLAG"), Some(None));
    /// assert_eq!(ServerLimits::new("RCPTMAX=lots").unwrap().rcpt_max(), None);
    /// assert!(ServerLimits::new("RCPTMAX=1;2").is_err());
    /// ```
    ServerLimits
}

/// One limit of a [`ServerLimits`] list: `limit-name ["=" limit-value]` (RFC 9422 §3), as
/// written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServerLimit<'a> {
    /// The limit's name, e.g. `RCPTMAX`.
    pub name: &'a str,
    /// Its value, if it has one.
    pub value: Option<&'a str>,
}

impl<'a> ServerLimits<'a> {
    /// Every limit, in the order written.
    pub fn iter(&self) -> impl Iterator<Item = ServerLimit<'_>> + '_ {
        self.0.split(' ').map(|one| match one.split_once('=') {
            Some((name, value)) => ServerLimit { name, value: Some(value) },
            None => ServerLimit { name: one, value: None },
        })
    }

    /// The first limit named `name` (case-insensitive): `Some(value)` if present.
    pub fn get(&self, name: &str) -> Option<Option<&str>> {
        self.iter().find(|l| l.name.eq_ignore_ascii_case(name)).map(|l| l.value)
    }

    fn number(&self, name: &str) -> Option<u32> {
        let v = self.get(name)??;
        let b = v.as_bytes();
        if b.is_empty() || b.len() > 6 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = b.iter().fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
        (n > 0).then_some(n)
    }

    /// `MAILMAX`: the most transactions (MAIL commands) per session (RFC 9422 §4.1).
    pub fn mail_max(&self) -> Option<u32> {
        self.number("MAILMAX")
    }

    /// `RCPTMAX`: the most recipients per transaction (RFC 9422 §4.2).
    pub fn rcpt_max(&self) -> Option<u32> {
        self.number("RCPTMAX")
    }

    /// `RCPTDOMAINMAX`: the most recipient domains per transaction (RFC 9422 §4.3).
    pub fn rcpt_domain_max(&self) -> Option<u32> {
        self.number("RCPTDOMAINMAX")
    }
}

/// One advertised service extension: an EHLO line after the first, typed where an RFC
/// defines the keyword, kept verbatim ([`Capability::Other`]) otherwise.
///
/// ```abnf
/// ehlo-line = ehlo-keyword *( SP ehlo-param )      ; RFC 5321 §4.1.1.1
/// ```
///
/// A known keyword whose parameters its RFC does not allow (`SIZE ten`, `STARTTLS now`,
/// `AUTH PLAIN,LOGIN`) is an [`InvalidCapability`](crate::ParseErrorKind::InvalidCapability) error
/// when the reply is parsed, so every capability an [`EhloReply`](crate::EhloReply) yields is well-formed.
/// Keywords are case-insensitive; the reply keeps them as written, so it re-encodes exactly,
/// while values built here are written in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability<'a> {
    /// `"SIZE" [SP 1*20DIGIT]` (RFC 1870 §4): the largest message the server takes, in
    /// octets; `0` or no value means no fixed maximum. A value past `u64::MAX` saturates.
    Size(Option<u64>),
    /// `8BITMIME` (RFC 6152)
    EightBitMime,
    /// `BINARYMIME` (RFC 3030)
    BinaryMime,
    /// `CHUNKING` (RFC 3030): BDAT
    Chunking,
    /// `PIPELINING` (RFC 2920)
    Pipelining,
    /// `STARTTLS` (RFC 3207)
    StartTls,
    /// `SMTPUTF8` (RFC 6531)
    SmtpUtf8,
    /// `ENHANCEDSTATUSCODES` (RFC 2034)
    EnhancedStatusCodes,
    /// `DSN` (RFC 3461)
    Dsn,
    /// `"AUTH" *(SP sasl-mech)` (RFC 4954 §3), or the pre-standard `AUTH=mech *(SP mech)`
    /// that servers still send for old clients (`legacy`).
    Auth {
        /// The mechanisms offered.
        mechanisms: AuthMechanisms<'a>,
        /// Written `AUTH=…`.
        legacy: bool,
    },
    /// `"DELIVERBY" [SP 1*9DIGIT]` (RFC 2852 §4): the shortest by-time accepted, in seconds.
    DeliverBy(Option<u32>),
    /// `ETRN` (RFC 1985)
    Etrn,
    /// `EXPN`
    Expn,
    /// `VRFY`
    Vrfy,
    /// `HELP`
    Help,
    /// `REQUIRETLS` (RFC 8689)
    RequireTls,
    /// `"MT-PRIORITY" [SP priority-profile]` (RFC 6710 §3), e.g. `MIXER`, `STANAG4406`,
    /// `NSEP`.
    MtPriority(Option<Keyword<'a>>),
    /// `"FUTURERELEASE" SP interval SP date-time` (RFC 4865 §3).
    FutureRelease {
        /// The longest `HOLDFOR` accepted, in seconds (1*9DIGIT).
        max_interval: u32,
        /// The latest `HOLDUNTIL` accepted (RFC 3339).
        max_datetime: Timestamp<'a>,
    },
    /// `"LIMITS" SP limits-param` (RFC 9422 §3).
    Limits(ServerLimits<'a>),
    /// `"BURL" [SP params]` (RFC 4468 §3): the URL schemes, e.g. `imap`.
    Burl(Option<EhloParams<'a>>),
    /// `"NO-SOLICITING" [SP keywords]` (RFC 3865 §2).
    NoSoliciting(Option<EhloParams<'a>>),
    /// `RRVS` (RFC 7293)
    Rrvs,
    /// Any other keyword (`PRDR`, `XCLIENT`, `PIPE_CONNECT`, …) and its parameters, verbatim.
    Other {
        /// The keyword as written.
        keyword: EhloKeyword<'a>,
        /// The parameters, if any.
        params: Option<EhloParams<'a>>,
    },
}

impl Capability<'_> {
    /// The extension, for a typed capability.
    pub fn extension(&self) -> Option<Extension> {
        Some(match self {
            Self::Size(_) => Extension::Size,
            Self::EightBitMime => Extension::EightBitMime,
            Self::BinaryMime => Extension::BinaryMime,
            Self::Chunking => Extension::Chunking,
            Self::Pipelining => Extension::Pipelining,
            Self::StartTls => Extension::StartTls,
            Self::SmtpUtf8 => Extension::SmtpUtf8,
            Self::EnhancedStatusCodes => Extension::EnhancedStatusCodes,
            Self::Dsn => Extension::Dsn,
            Self::Auth { .. } => Extension::Auth,
            Self::DeliverBy(_) => Extension::DeliverBy,
            Self::Etrn => Extension::Etrn,
            Self::Expn => Extension::Expn,
            Self::Vrfy => Extension::Vrfy,
            Self::Help => Extension::Help,
            Self::RequireTls => Extension::RequireTls,
            Self::MtPriority(_) => Extension::MtPriority,
            Self::FutureRelease { .. } => Extension::FutureRelease,
            Self::Limits(_) => Extension::Limits,
            Self::Burl(_) => Extension::Burl,
            Self::NoSoliciting(_) => Extension::NoSoliciting,
            Self::Rrvs => Extension::Rrvs,
            Self::Other { .. } => return None,
        })
    }

    /// The keyword: upper case for a typed capability, as written for [`Capability::Other`].
    pub fn keyword(&self) -> &str {
        match (self, self.extension()) {
            (Self::Other { keyword, .. }, _) => keyword.as_str(),
            (_, Some(ext)) => ext.keyword(),
            (_, None) => "",
        }
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Capability<'static> {
        match self {
            Self::Size(n) => Capability::Size(n),
            Self::EightBitMime => Capability::EightBitMime,
            Self::BinaryMime => Capability::BinaryMime,
            Self::Chunking => Capability::Chunking,
            Self::Pipelining => Capability::Pipelining,
            Self::StartTls => Capability::StartTls,
            Self::SmtpUtf8 => Capability::SmtpUtf8,
            Self::EnhancedStatusCodes => Capability::EnhancedStatusCodes,
            Self::Dsn => Capability::Dsn,
            Self::Auth { mechanisms, legacy } => Capability::Auth { mechanisms: mechanisms.into_owned(), legacy },
            Self::DeliverBy(n) => Capability::DeliverBy(n),
            Self::Etrn => Capability::Etrn,
            Self::Expn => Capability::Expn,
            Self::Vrfy => Capability::Vrfy,
            Self::Help => Capability::Help,
            Self::RequireTls => Capability::RequireTls,
            Self::MtPriority(p) => Capability::MtPriority(p.map(Keyword::into_owned)),
            Self::FutureRelease { max_interval, max_datetime } => {
                Capability::FutureRelease { max_interval, max_datetime: max_datetime.into_owned() }
            }
            Self::Limits(l) => Capability::Limits(l.into_owned()),
            Self::Burl(p) => Capability::Burl(p.map(EhloParams::into_owned)),
            Self::NoSoliciting(p) => Capability::NoSoliciting(p.map(EhloParams::into_owned)),
            Self::Rrvs => Capability::Rrvs,
            Self::Other { keyword, params } => {
                Capability::Other { keyword: keyword.into_owned(), params: params.map(EhloParams::into_owned) }
            }
        }
    }
}

/// The first eight octets of `w` in one integer, with the `0x20` bit set in each (shorter
/// words are padded with `0x20` octets). Setting that bit maps `A`-`Z` onto `a`-`z` and leaves
/// digits and `-` as they are, so one comparison matches a keyword in any case (RFC 5321 §2.4).
#[inline]
const fn fold8(w: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let mut k = 0;
    while k < 8 && k < w.len() {
        // `k < 8` and `k < w.len()` are checked; `get` is not available in a `const fn`.
        #[allow(clippy::indexing_slicing)]
        {
            b[k] = w[k];
        }
        k += 1;
    }
    u64::from_le_bytes(b) | 0x2020_2020_2020_2020
}

/// The known keyword `kw` (case-insensitive): one length-and-integer comparison for the first
/// eight octets, a case-insensitive comparison of the rest for the longer keywords.
///
/// `kw` must be a keyword the grammar accepted (`ALPHA / DIGIT / "-" / "_"`): for other octets
/// the folding can make two words equal (0x18 folds onto `8`); [`Extension::from_keyword`]
/// checks its caller's text exactly.
#[inline]
pub(crate) fn extension(kw: &[u8]) -> Option<Extension> {
    const DSN: u64 = fold8(b"DSN");
    const SIZE: u64 = fold8(b"SIZE");
    const AUTH: u64 = fold8(b"AUTH");
    const ETRN: u64 = fold8(b"ETRN");
    const EXPN: u64 = fold8(b"EXPN");
    const VRFY: u64 = fold8(b"VRFY");
    const HELP: u64 = fold8(b"HELP");
    const BURL: u64 = fold8(b"BURL");
    const RRVS: u64 = fold8(b"RRVS");
    const LIMITS: u64 = fold8(b"LIMITS");
    const EIGHTBITMIME: u64 = fold8(b"8BITMIME");
    const CHUNKING: u64 = fold8(b"CHUNKING");
    const STARTTLS: u64 = fold8(b"STARTTLS");
    const SMTPUTF8: u64 = fold8(b"SMTPUTF8");
    const DELIVERB: u64 = fold8(b"DELIVERB");
    const BINARYMI: u64 = fold8(b"BINARYMI");
    const PIPELINI: u64 = fold8(b"PIPELINI");
    const REQUIRET: u64 = fold8(b"REQUIRET");
    const MT_PRIOR: u64 = fold8(b"MT-PRIOR");
    const FUTURERE: u64 = fold8(b"FUTURERE");
    const NO_SOLIC: u64 = fold8(b"NO-SOLIC");
    const ENHANCED: u64 = fold8(b"ENHANCED");
    // The octets past the eighth, for the long keywords.
    let tail = |t: &[u8]| kw.get(8..).is_some_and(|k| k.eq_ignore_ascii_case(t));
    Some(match (kw.len(), fold8(kw)) {
        (3, DSN) => Extension::Dsn,
        (4, SIZE) => Extension::Size,
        (4, AUTH) => Extension::Auth,
        (4, ETRN) => Extension::Etrn,
        (4, EXPN) => Extension::Expn,
        (4, VRFY) => Extension::Vrfy,
        (4, HELP) => Extension::Help,
        (4, BURL) => Extension::Burl,
        (4, RRVS) => Extension::Rrvs,
        (6, LIMITS) => Extension::Limits,
        (8, EIGHTBITMIME) => Extension::EightBitMime,
        (8, CHUNKING) => Extension::Chunking,
        (8, STARTTLS) => Extension::StartTls,
        (8, SMTPUTF8) => Extension::SmtpUtf8,
        (9, DELIVERB) if tail(b"Y") => Extension::DeliverBy,
        (10, BINARYMI) if tail(b"ME") => Extension::BinaryMime,
        (10, PIPELINI) if tail(b"NG") => Extension::Pipelining,
        (10, REQUIRET) if tail(b"LS") => Extension::RequireTls,
        (11, MT_PRIOR) if tail(b"ITY") => Extension::MtPriority,
        (13, FUTURERE) if tail(b"LEASE") => Extension::FutureRelease,
        (13, NO_SOLIC) if tail(b"ITING") => Extension::NoSoliciting,
        (19, ENHANCED) if tail(b"STATUSCODES") => Extension::EnhancedStatusCodes,
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

/// `1*max DIGIT` as a saturating `u64`.
pub(crate) fn digits(s: &[u8], max: usize) -> Option<u64> {
    if s.is_empty() || s.len() > max || abnf::span(s, DIGIT) != s.len() {
        return None;
    }
    Some(s.iter().fold(0u64, |a, &d| a.saturating_mul(10).saturating_add(u64::from(d - b'0'))))
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
