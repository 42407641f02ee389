//! Local parts, mailboxes, source routes and the reverse and forward paths of MAIL and RCPT
//! (RFC 5321 §4.1.2, §4.1.1.2–4.1.1.3; RFC 6531 §3.3).

pub(crate) mod encode;
pub(crate) mod grammar;

use alloc::borrow::Cow;
use core::fmt;

use crate::domain::Host;
use crate::wire::case_mask;
use crate::wire::lex::unquote;

/// The local part of a mailbox, kept in its wire form: a `Dot-string` or a `Quoted-string`
/// with its quotes and escapes.
///
/// ```abnf
/// Local-part    = Dot-string / Quoted-string      ; RFC 5321 §4.1.2
/// Dot-string    = Atom *("."  Atom)
/// Quoted-string = DQUOTE *QcontentSMTP DQUOTE
/// ```
///
/// Keeping the wire form is what makes re-encoding safe: a quoted local part such as
/// `"a> ORCPT=x"` is written back quoted, never as raw text that a server would read as a
/// parameter (the mail-send #42 / go-mail #495 bug class). [`LocalPart::new`] picks the form
/// from a value, quoting and escaping only when the value is not a `Dot-string`.
///
/// ```
/// use smtp_wire::LocalPart;
///
/// let plain = LocalPart::new("john.smith").unwrap();
/// assert_eq!(plain.as_str(), "john.smith");
/// let quoted = LocalPart::new("john smith>\"x").unwrap();
/// assert_eq!(quoted.as_str(), r#""john smith>\"x""#);
/// assert_eq!(quoted.value(), "john smith>\"x");
/// assert!(LocalPart::new("bad\r\nDATA").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalPart<'a>(pub(crate) Cow<'a, str>);

impl<'a> LocalPart<'a> {
    /// The wire form (quotes and escapes included).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the wire form is a `Quoted-string`.
    pub fn is_quoted(&self) -> bool {
        self.0.starts_with('"')
    }

    /// The value: the wire form without quotes and escapes. Borrows unless an escape had to be
    /// removed.
    pub fn value(&self) -> Cow<'_, str> {
        unquote(&self.0)
    }

    /// Whether the local part is all ASCII.
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> LocalPart<'static> {
        LocalPart(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for LocalPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mailbox: `Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2).
///
/// ```
/// use smtp_wire::{Host, Mailbox};
///
/// let m = Mailbox::parse(b"user@[192.0.2.1]").unwrap();
/// assert_eq!(m.local_part().as_str(), "user");
/// assert!(matches!(m.host(), Host::Literal(_)));
/// assert_eq!(m.to_string(), "user@[192.0.2.1]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mailbox<'a> {
    pub(crate) local_part: LocalPart<'a>,
    pub(crate) host: Host<'a>,
}

impl<'a> Mailbox<'a> {
    /// A mailbox from its parts.
    pub fn new(local_part: LocalPart<'a>, host: impl Into<Host<'a>>) -> Self {
        Self { local_part, host: host.into() }
    }

    /// The local part.
    pub fn local_part(&self) -> &LocalPart<'a> {
        &self.local_part
    }

    /// The domain or address literal.
    pub fn host(&self) -> &Host<'a> {
        &self.host
    }

    /// Whether the mailbox is all ASCII (else it needs SMTPUTF8).
    pub fn is_ascii(&self) -> bool {
        self.local_part.is_ascii() && self.host.is_ascii()
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox { local_part: self.local_part.into_owned(), host: self.host.into_owned() }
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local_part, self.host)
    }
}

/// A source route, `A-d-l` (RFC 5321 §4.1.2 and appendix C): obsolete, accepted and kept so the
/// path round-trips, and to be ignored by receivers (§3.3, "SHOULD NOT" use, "MUST BE accepted").
///
/// ```abnf
/// A-d-l     = At-domain *( "," At-domain )
/// At-domain = "@" Domain
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceRoute<'a>(pub(crate) Cow<'a, str>);

impl SourceRoute<'_> {
    /// The route as written, e.g. `@a.example,@b.example`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The domains of the route, in order.
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        self.0.split(',').map(|d| d.strip_prefix('@').unwrap_or(d))
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> SourceRoute<'static> {
        SourceRoute(Cow::Owned(self.0.into_owned()))
    }
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"` (RFC 5321 §4.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path<'a> {
    pub(crate) source_route: Option<SourceRoute<'a>>,
    pub(crate) mailbox: Mailbox<'a>,
}

impl<'a> Path<'a> {
    /// A path to `mailbox` without a source route.
    pub fn new(mailbox: Mailbox<'a>) -> Self {
        Self { source_route: None, mailbox }
    }

    /// The mailbox.
    pub fn mailbox(&self) -> &Mailbox<'a> {
        &self.mailbox
    }

    /// The source route, if the path has one.
    pub fn source_route(&self) -> Option<&SourceRoute<'a>> {
        self.source_route.as_ref()
    }

    /// Whether the path is all ASCII (else it needs SMTPUTF8, RFC 6531 §3.2).
    pub fn is_ascii(&self) -> bool {
        self.mailbox.is_ascii() && self.source_route.as_ref().is_none_or(|r| r.0.is_ascii())
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Path<'static> {
        Path { source_route: self.source_route.map(SourceRoute::into_owned), mailbox: self.mailbox.into_owned() }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source_route {
            Some(r) => write!(f, "<{}:{}>", r.as_str(), self.mailbox),
            None => write!(f, "<{}>", self.mailbox),
        }
    }
}

impl<'a> From<Mailbox<'a>> for Path<'a> {
    fn from(m: Mailbox<'a>) -> Self {
        Self::new(m)
    }
}

/// The argument of `MAIL FROM:`: a path, or the null path `<>` used for bounces
/// (RFC 5321 §4.1.1.2, §4.5.5).
///
/// ```
/// use smtp_wire::{ParseOptions, ReversePath};
///
/// assert_eq!(ReversePath::parse(b"<>").unwrap(), ReversePath::Null);
/// assert!(matches!(ReversePath::parse(b"<a@b.example>").unwrap(), ReversePath::Path(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReversePath<'a> {
    /// `<>`
    Null,
    /// A path.
    Path(Path<'a>),
}

impl<'a> ReversePath<'a> {
    /// The mailbox, unless this is the null path.
    pub fn mailbox(&self) -> Option<&Mailbox<'a>> {
        match self {
            Self::Null => None,
            Self::Path(p) => Some(&p.mailbox),
        }
    }

    /// Whether the path is all ASCII (else it needs SMTPUTF8, RFC 6531 §3.2).
    pub fn is_ascii(&self) -> bool {
        match self {
            Self::Null => true,
            Self::Path(p) => p.is_ascii(),
        }
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> ReversePath<'static> {
        match self {
            Self::Null => ReversePath::Null,
            Self::Path(p) => ReversePath::Path(p.into_owned()),
        }
    }
}

impl fmt::Display for ReversePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("<>"),
            Self::Path(p) => p.fmt(f),
        }
    }
}

/// The bare `<Postmaster>` recipient (RFC 5321 §4.1.1.3), which every server must accept
/// without a domain. The word is case-insensitive; its spelling is kept for re-encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postmaster {
    lower: u32,
}

impl Default for Postmaster {
    fn default() -> Self {
        Self::CANONICAL
    }
}

impl Postmaster {
    /// Spelled `Postmaster`.
    pub const CANONICAL: Self = Self { lower: 0b11_1111_1110 };

    pub(crate) fn from_spelling(word: &[u8]) -> Self {
        Self { lower: case_mask(word) }
    }
}

/// The argument of `RCPT TO:`: a path, or the bare `<Postmaster>` (RFC 5321 §4.1.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ForwardPath<'a> {
    /// `<Postmaster>` without a domain.
    Postmaster(Postmaster),
    /// A path (including `<Postmaster@domain>`).
    Path(Path<'a>),
}

impl<'a> ForwardPath<'a> {
    /// The mailbox, unless this is the bare `<Postmaster>`.
    pub fn mailbox(&self) -> Option<&Mailbox<'a>> {
        match self {
            Self::Postmaster(_) => None,
            Self::Path(p) => Some(&p.mailbox),
        }
    }

    /// Whether the path is all ASCII (else it needs SMTPUTF8, RFC 6531 §3.2).
    pub fn is_ascii(&self) -> bool {
        match self {
            Self::Postmaster(_) => true,
            Self::Path(p) => p.is_ascii(),
        }
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> ForwardPath<'static> {
        match self {
            Self::Postmaster(p) => ForwardPath::Postmaster(p),
            Self::Path(p) => ForwardPath::Path(p.into_owned()),
        }
    }
}
