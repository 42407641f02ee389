//! EHLO replies (RFC 5321 §4.1.1.1): the server's name and greeting, and the service
//! extensions it advertises, typed where an RFC defines them and kept verbatim otherwise.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use super::domain::{AddressLiteral, Domain, Host};
use super::reply::{Reply, ReplyLines};
use super::text::{Keyword, Mechanism, Timestamp};
use crate::parse::{self, ehlo as grammar, reply as reply_grammar};
use crate::{Limits, ParseError, ParseErrorKind, ParseOptions, Status};

/// A service extension this crate types (the EHLO keywords of RFC 5321 and of the extensions
/// registered since). Used to ask an [`EhloReply`] what it offers; unknown keywords are asked
/// with [`EhloReply::supports_keyword`].
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
        grammar::extension(keyword.as_bytes())
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
    /// Validates `s` as a keyword.
    pub fn new(s: &'a str) -> Result<Self, ParseError> {
        parse::finish(s.as_bytes(), grammar::ehlo_keyword(s.as_bytes())).map(|k| EhloKeyword(Cow::Borrowed(k)))
    }

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
    /// Validates `s` as `ehlo-param *(SP ehlo-param)`.
    pub fn new(s: &'a str) -> Result<Self, ParseError> {
        parse::finish(s.as_bytes(), grammar::ehlo_params(s.as_bytes())).map(|p| EhloParams(Cow::Borrowed(p)))
    }

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
    /// Validates `s` as a space-separated list of mechanism names (may be empty).
    pub fn new(s: &'a str) -> Result<Self, ParseError> {
        grammar::mechanisms(s.as_bytes(), false)
            .map_err(|e| ParseError::new(parse::offset_in(s.as_bytes(), e.at), e.kind))
            .map(|()| AuthMechanisms(Cow::Borrowed(s)))
    }

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
    rest: &'a str,
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
    /// Validates `s` as `limits-param`.
    pub fn new(s: &'a str) -> Result<Self, ParseError> {
        grammar::limits(s.as_bytes())
            .map_err(|e| ParseError::new(parse::offset_in(s.as_bytes(), e.at), e.kind))
            .map(|()| ServerLimits(Cow::Borrowed(s)))
    }

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
/// `AUTH PLAIN,LOGIN`) is an [`InvalidCapability`](ParseErrorKind::InvalidCapability) error
/// when the reply is parsed, so every capability an [`EhloReply`] yields is well-formed.
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

impl fmt::Display for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

/// The reply to EHLO (or LHLO): the server's name, an optional greeting, and the service
/// extensions it offers (RFC 5321 §4.1.1.1).
///
/// ```abnf
/// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
///             / ( "250-" Domain [ SP ehlo-greet ] CRLF
///               *( "250-" ehlo-line CRLF )
///               "250" SP ehlo-line CRLF )                 ; RFC 5321 §4.1.1.1
/// ```
///
/// Parsing checks the reply grammar (see [`Reply`]), the code (250, else
/// [`UnexpectedReplyCode`](ParseErrorKind::UnexpectedReplyCode)), the domain (an address
/// literal is accepted too) and every capability line (see [`Capability`]). Nothing is
/// allocated: [`capabilities`](Self::capabilities) types the lines as it walks them, and the
/// lookups ([`supports`](Self::supports), [`size_limit`](Self::size_limit),
/// [`auth_mechanisms`](Self::auth_mechanisms)) read the wire text in place.
///
/// A keyword advertised twice is not merged away: [`duplicates`](Self::duplicates) reports
/// every repeat, and the lookups read the first occurrence. (`AUTH` and the legacy `AUTH=`
/// count as different keywords, since servers send both on purpose.)
///
/// Two choices where the RFC text and the wire disagree:
/// - The greeting is held to the reply text grammar (HT and printable US-ASCII, UTF-8 under
///   SMTPUTF8), not to `ehlo-greet`, which would admit control characters such as NUL and ESC:
///   no reply line may carry them.
/// - A keyword may contain `_` after its first character, which `ehlo-keyword` does not allow:
///   Exim (4.95 and later, by default) advertises `PIPE_CONNECT`, and refusing that line would
///   refuse the whole reply. Such a keyword is kept as [`Capability::Other`].
///
/// ```
/// use smtp_wire::{Capability, EhloReply, Encode, Extension};
///
/// let bytes = b"250-smtp.gmail.com at your service, [192.0.2.7]\r\n\
///               250-SIZE 35882577\r\n\
///               250-8BITMIME\r\n\
///               250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n\
///               250-ENHANCEDSTATUSCODES\r\n\
///               250-PIPELINING\r\n\
///               250-CHUNKING\r\n\
///               250 SMTPUTF8\r\n";
/// let ehlo = EhloReply::parse(bytes).unwrap();
/// assert_eq!(ehlo.host().to_string(), "smtp.gmail.com");
/// assert_eq!(ehlo.greeting(), Some("at your service, [192.0.2.7]"));
/// assert_eq!(ehlo.size_limit(), Some(35882577));
/// assert!(ehlo.supports(Extension::Chunking));
/// assert!(!ehlo.supports(Extension::StartTls));
/// assert!(ehlo.auth_mechanisms().any(|m| m.eq_ignore_ascii_case("XOAUTH2")));
/// assert_eq!(ehlo.capabilities().nth(1), Some(Capability::EightBitMime));
/// assert_eq!(ehlo.to_vec(), bytes);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EhloReply<'a> {
    reply: Reply<'a>,
    /// Length of the host in the first line's text.
    host_len: usize,
    /// Whether the host is an address literal.
    literal: bool,
}

impl<'a> EhloReply<'a> {
    /// Parses exactly one whole EHLO reply with strict options.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ParseError> {
        Self::parse_with(bytes, &ParseOptions::STRICT)
    }

    /// Parses exactly one whole EHLO reply under `opts` (limits; UTF-8 in the domain and
    /// greeting with SMTPUTF8).
    pub fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        let mut first = (0, false);
        let scanned = reply_grammar::scan(bytes, opts, |line| check_line(line, opts, &mut first))?;
        match scanned {
            Some((code, n)) if n == bytes.len() => {
                Ok(Self { reply: Reply::from_scanned(code, bytes)?, host_len: first.0, literal: first.1 })
            }
            Some((_, n)) => Err(ParseError::new(n, ParseErrorKind::TrailingData)),
            None => Err(reply_grammar::incomplete(bytes)),
        }
    }

    /// Parses the EHLO reply at the front of `buf`, or asks for more input.
    pub fn parse_prefix(buf: &'a [u8]) -> Result<Status<Self>, ParseError> {
        Self::parse_prefix_with(buf, &ParseOptions::STRICT)
    }

    /// [`parse_prefix`](Self::parse_prefix) under `opts`.
    pub fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        let mut first = (0, false);
        match reply_grammar::scan(buf, opts, |line| check_line(line, opts, &mut first))? {
            Some((code, n)) => {
                let reply = Reply::from_scanned(code, buf.get(..n).unwrap_or(&[]))?;
                Ok(Status::Complete { value: Self { reply, host_len: first.0, literal: first.1 }, consumed: n })
            }
            None => Ok(Status::Incomplete),
        }
    }

    /// Builds the EHLO reply of a server named `host`, with an optional `greeting` and the
    /// `capabilities` in order, written in canonical form (upper-case keywords), within the
    /// RFC 5321 limits.
    ///
    /// Fails on a greeting a reply line cannot carry (control characters), on a
    /// [`Capability::Other`] whose keyword is a known one, on a line over 512 octets, or on
    /// more than [`Limits::reply_lines`] lines; what it returns parses back to itself.
    ///
    /// ```
    /// use smtp_wire::{AuthMechanisms, Capability, Domain, EhloReply, Encode};
    ///
    /// let host = Domain::new("mx.example.org").unwrap().into();
    /// let caps = [
    ///     Capability::Pipelining,
    ///     Capability::Size(Some(10240000)),
    ///     Capability::Auth { mechanisms: AuthMechanisms::new("PLAIN LOGIN").unwrap(), legacy: false },
    ///     Capability::StartTls,
    /// ];
    /// let ehlo = EhloReply::new(&host, Some("Hello"), &caps).unwrap();
    /// assert_eq!(
    ///     ehlo.to_vec(),
    ///     b"250-mx.example.org Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"
    /// );
    /// assert_eq!(ehlo.capabilities().collect::<Vec<_>>(), caps);
    /// ```
    pub fn new(
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
    ) -> Result<EhloReply<'static>, ParseError> {
        Self::build(host, greeting, capabilities, &Limits::RFC5321)
    }

    /// [`new`](Self::new) within `limits`.
    pub fn build(
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
        limits: &Limits,
    ) -> Result<EhloReply<'static>, ParseError> {
        let wire = crate::encode::ehlo::write_ehlo(host, greeting, capabilities)?;
        let opts = ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits);
        let parsed = EhloReply::parse_with(wire.as_bytes(), &opts)?;
        let (host_len, literal) = (parsed.host_len, parsed.literal);
        Ok(EhloReply { reply: Reply { code: parsed.reply.code, wire: Cow::Owned(wire) }, host_len, literal })
    }

    fn first_text(&self) -> &str {
        self.reply.lines().next().map_or("", |l| l.text())
    }

    /// The server's name (first line): a domain, or an address literal.
    pub fn host(&self) -> Host<'_> {
        let s = self.first_text().get(..self.host_len).unwrap_or("");
        // A literal was validated when the reply was parsed: reading it again cannot fail (and
        // does not allocate).
        if self.literal {
            if let Ok(l) = AddressLiteral::parse(s.as_bytes()) {
                return Host::Literal(l);
            }
        }
        Host::Domain(Domain(Cow::Borrowed(s)))
    }

    /// The greeting after the name on the first line, if any.
    pub fn greeting(&self) -> Option<&str> {
        self.first_text().get(self.host_len + 1..).filter(|g| !g.is_empty())
    }

    /// The capabilities, typed, in the order advertised (every line after the first).
    pub fn capabilities(&self) -> Capabilities<'_> {
        let mut lines = self.reply.lines();
        lines.next();
        Capabilities { lines }
    }

    /// Whether `extension` is advertised (`AUTH` in either spelling).
    pub fn supports(&self, extension: Extension) -> bool {
        self.find(extension).is_some()
    }

    /// Whether a capability with `keyword` is advertised (case-insensitive; `AUTH` matches
    /// `AUTH=` too).
    pub fn supports_keyword(&self, keyword: &str) -> bool {
        self.keyword_lines().any(|l| key_of(l).eq_ignore_ascii_case(keyword))
    }

    /// The first capability of `extension`, typed.
    pub fn capability(&self, extension: Extension) -> Option<Capability<'_>> {
        self.find(extension).map(capability_of)
    }

    /// The message size limit in octets: `Some(n)` when the server declared a fixed
    /// maximum (`SIZE n`, n > 0); `None` when it advertises no SIZE, or SIZE without a value
    /// or with 0, which RFC 1870 §4 defines as no fixed maximum. Check
    /// [`supports`](Self::supports)`(Extension::Size)` to tell those apart.
    pub fn size_limit(&self) -> Option<u64> {
        match self.capability(Extension::Size) {
            Some(Capability::Size(Some(n))) if n > 0 => Some(n),
            _ => None,
        }
    }

    /// The SASL mechanisms of the first `AUTH` line (or, if there is none, of the first
    /// legacy `AUTH=` line); empty when AUTH is not offered.
    pub fn auth_mechanisms(&self) -> MechanismIter<'_> {
        let modern = self.keyword_lines().find(|l| dup_key(l).eq_ignore_ascii_case("AUTH"));
        let line = modern.or_else(|| self.keyword_lines().find(|l| dup_key(l).eq_ignore_ascii_case("AUTH=")));
        match line.map(capability_of) {
            Some(Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(s)), .. }) => MechanismIter { rest: s },
            _ => MechanismIter { rest: "" },
        }
    }

    /// The limits of the first `LIMITS` capability (RFC 9422), if advertised.
    pub fn limits(&self) -> Option<ServerLimits<'_>> {
        match self.capability(Extension::Limits) {
            Some(Capability::Limits(l)) => Some(l),
            _ => None,
        }
    }

    /// Every capability whose keyword an earlier line already advertised (case-insensitive),
    /// in order: RFC 5321 does not say which of two `SIZE` lines counts, so a repeat is
    /// reported rather than silently merged. The lookups read the first occurrence.
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply};
    ///
    /// let ehlo = EhloReply::parse(b"250-mx\r\n250-SIZE 100\r\n250-AUTH PLAIN\r\n250-AUTH=PLAIN\r\n250 size 200\r\n").unwrap();
    /// assert_eq!(ehlo.duplicates().collect::<Vec<_>>(), [Capability::Size(Some(200))]);
    /// assert_eq!(ehlo.size_limit(), Some(100));
    /// ```
    pub fn duplicates(&self) -> Duplicates<'_> {
        Duplicates { all: self.capabilities().lines, seen: 0, lines: self.capabilities().lines }
    }

    /// The reply this is.
    pub fn reply(&self) -> &Reply<'a> {
        &self.reply
    }

    /// The reply, by value.
    pub fn into_reply(self) -> Reply<'a> {
        self.reply
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> EhloReply<'static> {
        EhloReply { reply: self.reply.into_owned(), host_len: self.host_len, literal: self.literal }
    }

    /// The text of the capability lines.
    fn keyword_lines(&self) -> impl Iterator<Item = &str> + '_ {
        self.reply.lines().skip(1).map(|l| l.text())
    }

    fn find(&self, extension: Extension) -> Option<&str> {
        self.keyword_lines().find(|l| grammar::extension(key_of(l).as_bytes()) == Some(extension))
    }
}

/// The keyword of a validated capability line (`AUTH` for `AUTH=…`).
fn key_of(line: &str) -> &str {
    let k = dup_key(line);
    k.strip_suffix('=').unwrap_or(k)
}

fn dup_key(line: &str) -> &str {
    grammar::dup_key(line)
}

/// The typed capability of a validated line.
fn capability_of(line: &str) -> Capability<'_> {
    grammar::capability(line)
}

/// The line check of an EHLO reply: the first line names the server, the others are
/// capabilities.
fn check_line(
    line: reply_grammar::Line<'_>,
    opts: &ParseOptions,
    first: &mut grammar::FirstLine,
) -> Result<(), ParseError> {
    if line.index == 0 { grammar::first_line(line, opts).map(|f| *first = f) } else { grammar::capability_line(line) }
}

/// Checks an already parsed reply as an EHLO reply; offsets are into the reply's wire text.
fn from_reply(reply: &Reply<'_>) -> Result<grammar::FirstLine, ParseError> {
    let opts = ParseOptions::STRICT.with_smtputf8(true);
    let mut first = (0, false);
    let mut start = 0usize;
    let n = reply.line_count();
    for (index, l) in reply.lines().enumerate() {
        let octets = l.as_str().as_bytes();
        check_line(reply_grammar::Line { index, start, octets, last: index + 1 == n }, &opts, &mut first)?;
        start += octets.len() + 2;
    }
    Ok(first)
}

impl<'a> TryFrom<Reply<'a>> for EhloReply<'a> {
    type Error = ParseError;
    fn try_from(reply: Reply<'a>) -> Result<Self, ParseError> {
        let (host_len, literal) = from_reply(&reply)?;
        Ok(Self { reply, host_len, literal })
    }
}

impl<'r> TryFrom<&'r Reply<'_>> for EhloReply<'r> {
    type Error = ParseError;
    fn try_from(reply: &'r Reply<'_>) -> Result<Self, ParseError> {
        let (host_len, literal) = from_reply(reply)?;
        Ok(Self { reply: reply.borrowed(), host_len, literal })
    }
}

/// Iterator over the capabilities of an [`EhloReply`] (its `ehlo-line`s, RFC 5321 §4.1.1.1),
/// typed as it goes.
#[derive(Debug, Clone)]
pub struct Capabilities<'a> {
    lines: ReplyLines<'a>,
}

impl<'a> Iterator for Capabilities<'a> {
    type Item = Capability<'a>;
    fn next(&mut self) -> Option<Capability<'a>> {
        self.lines.next().map(|l| capability_of(l.text()))
    }
}

/// Iterator over the repeated capabilities of an [`EhloReply`] (see
/// [`EhloReply::duplicates`]; RFC 5321 §4.1.1.1 does not say what a repeated keyword means).
#[derive(Debug, Clone)]
pub struct Duplicates<'a> {
    /// All capability lines, to look back into.
    all: ReplyLines<'a>,
    /// How many lines `lines` has yielded.
    seen: usize,
    lines: ReplyLines<'a>,
}

impl<'a> Iterator for Duplicates<'a> {
    type Item = Capability<'a>;
    fn next(&mut self) -> Option<Capability<'a>> {
        for l in self.lines.by_ref() {
            let key = dup_key(l.text());
            let earlier = self.all.clone().take(self.seen).any(|e| dup_key(e.text()).eq_ignore_ascii_case(key));
            self.seen += 1;
            if earlier {
                return Some(capability_of(l.text()));
            }
        }
        None
    }
}
