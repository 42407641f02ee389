//! EHLO replies (RFC 5321 §4.1.1.1): the server's name and greeting, and the service
//! extensions it advertises, typed where an RFC defines them and kept verbatim otherwise.
//!
//! The reply value lives here, the capabilities in [`capability`]; [`grammar`] validates
//! both, [`encode`] writes and builds them.

mod capability;
pub(crate) mod encode;
pub(crate) mod grammar;
mod keyword;

pub use capability::{AuthMechanisms, Capability, EhloKeyword, EhloParams, MechanismIter, ServerLimit, ServerLimits};
pub use keyword::Extension;

use alloc::borrow::Cow;

use capability::{capability, dup_key};

use crate::domain::{AddressLiteral, Domain, Host};
use crate::reply::{Reply, ReplyLines};

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
/// [`UnexpectedReplyCode`](crate::ParseErrorKind::UnexpectedReplyCode)), the domain (an address
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
        self.keyword_lines().find(|l| keyword::extension(key_of(l).as_bytes()) == Some(extension))
    }
}

/// The keyword of a validated capability line (`AUTH` for `AUTH=…`).
fn key_of(line: &str) -> &str {
    let k = dup_key(line);
    k.strip_suffix('=').unwrap_or(k)
}

/// The typed capability of a validated line.
fn capability_of(line: &str) -> Capability<'_> {
    capability(line)
}

/// Iterator over the capabilities of an [`EhloReply`](crate::EhloReply) (its `ehlo-line`s, RFC 5321 §4.1.1.1),
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

/// Iterator over the repeated capabilities of an [`EhloReply`](crate::EhloReply) (see
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
