//! The service extensions an EHLO reply advertises: [`Extension`] (the keywords this crate
//! types), [`Capability`] (one `ehlo-line`, typed) and the values inside capabilities. The
//! typed view of a line only slices text that [`grammar`](super::grammar) has validated.

use alloc::borrow::Cow;
use alloc::string::String;

use super::check::{check_capability, digits, keyword_len, trim_end};
use super::fast::{TextLines, find_octet};
use super::keyword::{Extension, extension};
use super::unparsed::UnparsedParams;
use crate::token::{Keyword, Mechanism, Timestamp, debug_plain, text_type};
use crate::wire::scan::starts_with_ci;

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
        MechanismIter::list(&self.0)
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

/// Iterator over the mechanisms of an `AUTH` capability (RFC 4954 §3), in the order listed;
/// from [`EhloReply::auth_mechanisms`](crate::EhloReply::auth_mechanisms), over those of
/// every `AUTH` and `AUTH=` line in turn, each name once.
#[derive(Debug, Clone)]
pub struct MechanismIter<'a> {
    names: Names<'a>,
    /// For a whole reply: the names from the first one on (once it is found), to skip a
    /// repeat.
    from_start: Option<Names<'a>>,
    /// How many names `names` has produced.
    index: usize,
    /// One bit for each name produced (see [`name_bit`]): a name whose bit is not set was
    /// not produced before, and needs no look-back.
    seen: u64,
}

/// The bit of a mechanism name in [`MechanismIter`]'s `seen`: from its length and its first
/// and last octets, folded to lower case, so names equal but for case share it.
#[inline]
fn name_bit(name: &str) -> u64 {
    let b = name.as_bytes();
    let first = b.first().map_or(0, |&c| u32::from(c | 0x20));
    let last = b.last().map_or(0, |&c| u32::from(c | 0x20));
    1u64 << ((first ^ (last << 2) ^ (b.len() as u32).wrapping_mul(7)) & 63)
}

/// How many names from the start of an EHLO reply's `AUTH` lines a name is compared with to
/// skip a repeat: every real list is shorter, and the bound keeps the cost linear in what a
/// hostile server sends (100 lines of 170 two-letter names).
const LOOKBACK: usize = 64;

impl<'a> MechanismIter<'a> {
    /// The names of one space-separated list.
    pub(crate) fn list(rest: &'a str) -> Self {
        Self { names: Names { rest, more: None }, from_start: None, index: 0, seen: 0 }
    }

    /// The names of one `AUTH` line's list, a repeat skipped (as [`lines`](Self::lines) does).
    pub(crate) fn one_line(rest: &'a str) -> Self {
        let names = Names { rest, more: None };
        Self { from_start: Some(names.clone()), names, index: 0, seen: 0 }
    }

    /// The names of every `AUTH` and `AUTH=` line among `lines` (their text), a repeat
    /// skipped; with `tolerated`, the lines are typed as [`typed`] does.
    pub(crate) fn lines(lines: TextLines<'a>, tolerated: bool) -> Self {
        let names = Names { rest: "", more: Some((lines, tolerated)) };
        Self { names, from_start: None, index: 0, seen: 0 }
    }
}

impl<'a> Iterator for MechanismIter<'a> {
    type Item = Mechanism<'a>;
    #[inline]
    fn next(&mut self) -> Option<Mechanism<'a>> {
        loop {
            if self.names.rest.is_empty() && (self.names.more.is_none() || !self.refill()) {
                // The end of the list, and of the lines after it when there are.
                return None;
            }
            let name = self.names.take_one();
            let earlier = self.index.min(LOOKBACK);
            self.index += 1;
            let bit = name_bit(name);
            let maybe = self.seen & bit != 0;
            self.seen |= bit;
            let repeat = maybe
                && self
                    .from_start
                    .as_ref()
                    .is_some_and(|s| s.clone().take(earlier).any(|e| e.eq_ignore_ascii_case(name)));
            if !repeat {
                return Some(Mechanism(Cow::Borrowed(name)));
            }
        }
    }
}

impl MechanismIter<'_> {
    /// Moves to the next `AUTH` line with a name in it (`false` when there is none); for a
    /// whole reply, the look-back starts at the first name, not at the first line.
    #[inline(never)]
    fn refill(&mut self) -> bool {
        if !self.names.more_lines() {
            return false;
        }
        if self.from_start.is_none() {
            self.from_start = Some(self.names.clone());
        }
        true
    }
}

/// The names of a mechanism list, and then of the `AUTH` lines among `more` (their text).
#[derive(Debug, Clone)]
struct Names<'a> {
    rest: &'a str,
    more: Option<(TextLines<'a>, bool)>,
}

impl<'a> Names<'a> {
    /// Moves to the next list with a name in it; `false` when there is none.
    #[inline(always)]
    fn fill(&mut self) -> bool {
        if !self.rest.is_empty() {
            return true;
        }
        self.more_lines()
    }

    /// [`fill`](Self::fill) from the next `AUTH` line.
    #[inline]
    fn more_lines(&mut self) -> bool {
        while self.rest.is_empty() {
            let Some((lines, tolerated)) = self.more.as_mut() else { return false };
            // The keyword is `AUTH` (either spelling), in any case.
            let Some(line) = lines.find(|l| key_of(l).eq_ignore_ascii_case(b"AUTH")) else {
                return false;
            };
            if !*tolerated {
                // Checked by `check_capability`: `AUTH`, `AUTH` SP list or `AUTH=` list, US-ASCII.
                self.rest = line.get(5..).and_then(|m| core::str::from_utf8(m).ok()).unwrap_or("");
            } else if let Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(m)), .. } = typed(line, true) {
                self.rest = m;
            }
        }
        true
    }

    /// The next name of the list `fill` found.
    #[inline]
    fn take_one(&mut self) -> &'a str {
        let (one, rest) = match find_octet::<b' '>(self.rest.as_bytes()) {
            Some(n) => (self.rest.get(..n).unwrap_or(""), self.rest.get(n + 1..).unwrap_or("")),
            None => (self.rest, ""),
        };
        self.rest = rest;
        one
    }
}

impl<'a> Iterator for Names<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        self.fill().then(|| self.take_one())
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
/// when the reply is parsed, so every capability an [`EhloReply`](crate::EhloReply) yields is
/// well-formed, unless the reply was parsed with
/// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities):
/// then such a line is [`Capability::Malformed`].
/// Keywords are case-insensitive; the reply keeps them as written, so it re-encodes exactly,
/// while values built here are written in upper case.
///
/// (The variants that hold no text come before those that do, and those without parameters
/// are in the order of the one-pass parse's line kinds: an order chosen for the code the
/// compiler makes of the typed view, which means nothing else.)
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
    /// `RRVS` (RFC 7293)
    Rrvs,
    /// `"DELIVERBY" [SP 1*9DIGIT]` (RFC 2852 §4): the shortest by-time accepted, in seconds.
    DeliverBy(Option<u32>),
    /// `"AUTH" *(SP sasl-mech)` (RFC 4954 §3), or the pre-standard `AUTH=mech *(SP mech)`
    /// that servers still send for old clients (`legacy`).
    Auth {
        /// The mechanisms offered.
        mechanisms: AuthMechanisms<'a>,
        /// Written `AUTH=…`.
        legacy: bool,
    },
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
    /// A keyword whose parameters break its grammar (`SIZE 10M`, `SIZE -1`, `STARTTLS now`,
    /// `X-FOO a  b`), kept only under
    /// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities):
    /// the extension is offered, its value is unusable. It writes back exactly as read;
    /// [`EhloReply::new`](crate::EhloReply::new) refuses to build one.
    Malformed {
        /// The extension, for a keyword this crate types; `None` for another keyword.
        extension: Option<Extension>,
        /// The keyword as written.
        keyword: EhloKeyword<'a>,
        /// What follows the keyword, as written.
        params: UnparsedParams<'a>,
    },
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
            Self::Malformed { extension, .. } => return *extension,
            Self::Other { .. } => return None,
        })
    }

    /// The keyword: upper case for a known extension, as written for [`Capability::Other`]
    /// and for a [`Capability::Malformed`] of another keyword.
    pub fn keyword(&self) -> &str {
        match (self, self.extension()) {
            (Self::Other { keyword, .. } | Self::Malformed { keyword, extension: None, .. }, _) => keyword.as_str(),
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
            Self::Malformed { extension, keyword, params } => {
                Capability::Malformed { extension, keyword: keyword.into_owned(), params: params.into_owned() }
            }
            Self::Other { keyword, params } => {
                Capability::Other { keyword: keyword.into_owned(), params: params.map(EhloParams::into_owned) }
            }
        }
    }
}

/// The keyword of an accepted capability line, as the duplicate check compares it: the
/// keyword, or `AUTH=` for the legacy spelling (a distinct keyword: servers send it beside
/// `AUTH` for old clients, e.g. Postfix's `broken_sasl_auth_clients`).
pub(crate) fn dup_key(line: &[u8]) -> &[u8] {
    if starts_with_ci(line, b"AUTH=") {
        return line.get(..5).unwrap_or(line);
    }
    line.get(..keyword_len(line).unwrap_or(0)).unwrap_or(&[])
}

/// The keyword of an accepted capability line (`AUTH` for `AUTH=…`).
pub(crate) fn key_of(line: &[u8]) -> &[u8] {
    let k = dup_key(line);
    k.strip_suffix(b"=").unwrap_or(k)
}

/// The typed view of an accepted capability line (its octets: a capability line is reply
/// text, RFC 5321 §4.1.1.1). When the reply has `tolerated` lines
/// ([`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)),
/// the line is checked again: without its trailing spaces it is typed if its grammar accepts
/// it, else it is [`Capability::Malformed`], whose parameters are kept as octets (under
/// [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text) they
/// need not be UTF-8). Otherwise every line was checked when the reply was parsed, and is only
/// sliced.
pub(crate) fn typed(line: &[u8], tolerated: bool) -> Capability<'_> {
    if !tolerated {
        return capability(line);
    }
    let t = trim_end(line);
    if check_capability(t).is_ok() {
        return capability(t);
    }
    let n = keyword_len(line).unwrap_or(0);
    let (kw, rest) = line.split_at_checked(n).unwrap_or((&[], line));
    Capability::Malformed {
        extension: extension(kw),
        keyword: EhloKeyword(Cow::Borrowed(ascii(kw))),
        params: UnparsedParams(Cow::Borrowed(rest)),
    }
}

/// A line (or keyword) that [`check_capability`] (or [`keyword_len`]) accepted: US-ASCII, so
/// the `str` view of it is all of it. Anything else (never the case) is the empty string.
fn ascii(octets: &[u8]) -> &str {
    core::str::from_utf8(octets).unwrap_or("")
}

/// `t` up to its first SP, and what follows that SP (octet by octet: a parameter is short,
/// shorter than the set-up of a vector search).
fn split_sp(t: &[u8]) -> (&[u8], Option<&[u8]>) {
    match t.iter().position(|&c| c == b' ') {
        Some(n) => (t.get(..n).unwrap_or(t), t.get(n + 1..)),
        None => (t, None),
    }
}

/// The typed view of a capability line that [`check_capability`] accepted.
///
/// It only slices the text (no validation, no UTF-8 conversion); on a line that was not
/// checked it still returns a value, without panicking, but not necessarily a meaningful one.
#[inline]
pub(crate) fn capability(t: &[u8]) -> Capability<'_> {
    capability_at(t, find_octet::<b' '>(t))
}

/// [`capability`] of `t` whose first SP is at `sp`. Only the values that hold text make it
/// `str` (US-ASCII, checked: [`ascii`]); the others are read from the octets.
#[inline(always)]
pub(crate) fn capability_at(t: &[u8], sp: Option<usize>) -> Capability<'_> {
    let (kw, params) = match sp {
        Some(n) => (t.get(..n).unwrap_or(t), t.get(n + 1..)),
        None => (t, None),
    };
    let Some(ext) = extension(kw) else {
        if starts_with_ci(t, b"AUTH=") {
            let mechanisms = AuthMechanisms(Cow::Borrowed(ascii(t.get(5..).unwrap_or(&[]))));
            return Capability::Auth { mechanisms, legacy: true };
        }
        return Capability::Other {
            keyword: EhloKeyword(Cow::Borrowed(ascii(kw))),
            params: params.map(|p| EhloParams(Cow::Borrowed(ascii(p)))),
        };
    };
    known_at(ext, params)
}

/// The typed view of a checked capability line of the known extension `ext`, from its
/// parameters (what follows its first SP).
#[inline(always)]
pub(crate) fn known_at(ext: Extension, params: Option<&[u8]>) -> Capability<'_> {
    // `SIZE`, `DELIVERBY` and `MT-PRIORITY` take one parameter at most (checked).
    let first = || params;
    let number = |p: Option<&[u8]>, max| p.and_then(|p| digits(p, max));
    let small = |p: Option<&[u8]>| number(p, 9).and_then(|v| u32::try_from(v).ok());
    let verbatim = || params.map(|p| EhloParams(Cow::Borrowed(ascii(p))));
    match ext {
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
        Extension::Size => Capability::Size(number(first(), 20)),
        Extension::DeliverBy => Capability::DeliverBy(small(first())),
        Extension::Auth => {
            Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(ascii(params.unwrap_or(&[])))), legacy: false }
        }
        Extension::MtPriority => Capability::MtPriority(first().map(|p| Keyword(Cow::Borrowed(ascii(p))))),
        Extension::FutureRelease => {
            let (interval, second) = match params.map(split_sp) {
                Some((f, s)) => (Some(f), s.map(|s| split_sp(s).0)),
                None => (None, None),
            };
            Capability::FutureRelease {
                max_interval: small(interval).unwrap_or(0),
                max_datetime: Timestamp(Cow::Borrowed(ascii(second.unwrap_or(&[])))),
            }
        }
        Extension::Limits => Capability::Limits(ServerLimits(Cow::Borrowed(ascii(params.unwrap_or(&[]))))),
        Extension::Burl => Capability::Burl(verbatim()),
        Extension::NoSoliciting => Capability::NoSoliciting(verbatim()),
    }
}
