//! Domains, address literals and the host of EHLO/HELO and mailboxes (RFC 5321 §4.1.2–4.1.3).
//!
//! The values live here; [`grammar`] validates them (and holds the constructors and parsers),
//! [`encode`] writes them. Values never import either, so the area has no file cycle.

pub(crate) mod encode;
pub(crate) mod grammar;

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A domain name as written on the wire.
///
/// ```abnf
/// Domain     = sub-domain *("." sub-domain)      ; RFC 5321 §4.1.2
/// sub-domain = Let-dig [Ldh-str]
/// sub-domain =/ U-label                          ; RFC 6531 §3.3, with SMTPUTF8 only
/// ```
///
/// Stored as written (case kept), so it re-encodes to the same octets; compare with
/// [`eq_ignore_ascii_case`](Self::eq_ignore_ascii_case) for DNS semantics.
///
/// ```
/// use smtp_wire::Domain;
///
/// let d = Domain::parse(b"Mail.Example.org").unwrap();
/// assert_eq!(d.as_str(), "Mail.Example.org");
/// assert!(d.eq_ignore_ascii_case(&Domain::new("mail.example.org").unwrap()));
/// assert!(Domain::parse(b"-bad.example").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain<'a>(pub(crate) Cow<'a, str>);

impl Domain<'_> {
    /// The domain as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the domain is all ASCII (no U-labels).
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// The labels, left to right.
    pub fn labels(&self) -> core::str::Split<'_, char> {
        self.0.split('.')
    }

    /// Compares with ASCII case folding (DNS names are case-insensitive, RFC 4343).
    pub fn eq_ignore_ascii_case(&self, other: &Domain<'_>) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an [`AddressLiteral`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LiteralKind {
    /// `IPv4-address-literal`
    Ipv4(Ipv4Addr),
    /// `IPv6-address-literal` (any of the four RFC 5321 forms)
    Ipv6(Ipv6Addr),
    /// `General-address-literal`: `tag_len` octets of tag, then `:` and the content.
    General {
        /// Length of the `Standardized-tag`.
        tag_len: usize,
    },
}

/// An address literal: an IP address (or a general literal) in brackets, used where a domain
/// name is not available (RFC 5321 §4.1.3).
///
/// ```abnf
/// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
///                         General-address-literal ) "]"
/// ```
///
/// The text between the brackets is kept as written (IPv6 has many spellings of one address),
/// so it re-encodes to the same octets; [`ip`](Self::ip) gives the address.
///
/// ```
/// use smtp_wire::AddressLiteral;
/// use core::net::IpAddr;
///
/// let lit = AddressLiteral::parse(b"[IPv6:2001:db8::192.0.2.1]").unwrap();
/// assert_eq!(lit.ip(), Some("2001:db8::c000:201".parse::<IpAddr>().unwrap()));
/// assert_eq!(lit.as_str(), "IPv6:2001:db8::192.0.2.1");
/// assert!(AddressLiteral::parse(b"[300.1.1.1]").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AddressLiteral<'a> {
    /// The validated text between the brackets. The kind and address are derived from it on
    /// demand, which keeps the value (and every path holding one) small.
    pub(crate) text: Cow<'a, str>,
}

impl AddressLiteral<'_> {
    /// The literal for an IP address, in the usual text form (`[192.0.2.1]`,
    /// `[IPv6:2001:db8::1]`).
    pub fn from_ip(ip: IpAddr) -> AddressLiteral<'static> {
        use core::fmt::Write;
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = match ip {
            IpAddr::V4(v4) => write!(text, "{v4}"),
            IpAddr::V6(v6) => write!(text, "IPv6:{v6}"),
        };
        AddressLiteral { text: Cow::Owned(text) }
    }

    /// The text between the brackets, as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> AddressLiteral<'static> {
        AddressLiteral { text: Cow::Owned(self.text.into_owned()) }
    }
}

impl fmt::Display for AddressLiteral<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.text)
    }
}

/// `Domain / address-literal`: the argument of EHLO, HELO and LHLO and the part of a
/// [`Mailbox`](crate::Mailbox) after the `@` (RFC 5321 §4.1.1.1, §4.1.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host<'a> {
    /// A domain name.
    Domain(Domain<'a>),
    /// An address literal.
    Literal(AddressLiteral<'a>),
}

impl Host<'_> {
    /// Whether the host is all ASCII.
    pub fn is_ascii(&self) -> bool {
        match self {
            Self::Domain(d) => d.is_ascii(),
            Self::Literal(_) => true,
        }
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Host<'static> {
        match self {
            Self::Domain(d) => Host::Domain(d.into_owned()),
            Self::Literal(l) => Host::Literal(l.into_owned()),
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Domain(d) => d.fmt(f),
            Self::Literal(l) => l.fmt(f),
        }
    }
}

impl<'a> From<Domain<'a>> for Host<'a> {
    fn from(d: Domain<'a>) -> Self {
        Self::Domain(d)
    }
}

impl<'a> From<AddressLiteral<'a>> for Host<'a> {
    fn from(l: AddressLiteral<'a>) -> Self {
        Self::Literal(l)
    }
}
