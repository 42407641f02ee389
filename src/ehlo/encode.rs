//! EHLO replies and capabilities to their wire octets (RFC 5321 §4.1.1.1).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::keyword::extension;
use super::{Capability, EhloReply};
use crate::domain::Host;
use crate::framing::reply::line_limit;
use crate::reply::{Reply, ReplyCode};
use crate::wire::lex::refuse_controls;
use crate::wire::{Sink, WriteWire, impl_encode, write_num};
use crate::{BuildError, BuildErrorKind, Limits, ParseErrorKind, ParseOptions};

impl WriteWire for EhloReply<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        self.reply().write_wire(out);
    }
}

impl_encode!(EhloReply);

impl EhloReply<'_> {
    /// Builds the EHLO reply of a server named `host`, with an optional `greeting` and the
    /// `capabilities` in order, written in canonical form (upper-case keywords), within the
    /// RFC 5321 limits.
    ///
    /// Fails on a greeting a reply line cannot carry (control characters: C0 but HT, DEL and C1), on a
    /// [`Capability::Other`] whose keyword is a known one, on a [`Capability::Malformed`]
    /// (the builder writes only what a strict client reads), on a line over 512 octets, or on
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
    ) -> Result<EhloReply<'static>, BuildError> {
        Self::build(host, greeting, capabilities, &Limits::RFC5321)
    }

    /// [`new`](Self::new) within `limits`.
    ///
    /// Every check is made while writing (the text is not parsed back), and what is written
    /// parses back to this reply under `limits` with SMTPUTF8: the fuzz target
    /// `ehlo_roundtrip` and debug builds hold it to that.
    pub fn build(
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
        limits: &Limits,
    ) -> Result<EhloReply<'static>, BuildError> {
        let (wire, host_len) = write_ehlo(host, greeting, capabilities, limits)?;
        let literal = matches!(host, Host::Literal(_));
        let reply = Reply { code: ReplyCode::OK, wire: Cow::Owned(wire.into_bytes()) };
        let ehlo = EhloReply { reply, host_len, literal, tolerated: false };
        debug_assert_eq!(
            EhloReply::parse_with(
                ehlo.reply.as_bytes(),
                &ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits)
            )
            .as_ref(),
            Ok(&ehlo)
        );
        Ok(ehlo)
    }
}

/// Writes ` p` when there is a `p`.
fn param(out: &mut impl Sink, p: Option<&str>) {
    if let Some(p) = p {
        out.put(b" ");
        out.put(p.as_bytes());
    }
}

impl Capability<'_> {
    /// Writes the canonical `ehlo-line` (upper-case keyword, single spaces).
    pub(crate) fn write(&self, out: &mut impl Sink) {
        match self {
            Self::Size(n) => {
                out.put(b"SIZE");
                if let Some(n) = n {
                    out.put(b" ");
                    write_num(out, *n);
                }
            }
            Self::DeliverBy(n) => {
                out.put(b"DELIVERBY");
                if let Some(n) = n {
                    out.put(b" ");
                    write_num(out, u64::from(*n));
                }
            }
            Self::Auth { mechanisms, legacy: true } => {
                out.put(b"AUTH=");
                out.put(mechanisms.as_str().as_bytes());
            }
            Self::Auth { mechanisms, legacy: false } => {
                out.put(b"AUTH");
                param(out, Some(mechanisms.as_str()).filter(|m| !m.is_empty()));
            }
            Self::MtPriority(p) => {
                out.put(b"MT-PRIORITY");
                param(out, p.as_ref().map(|k| k.as_str()));
            }
            Self::FutureRelease { max_interval, max_datetime } => {
                out.put(b"FUTURERELEASE ");
                write_num(out, u64::from(*max_interval));
                out.put(b" ");
                out.put(max_datetime.as_str().as_bytes());
            }
            Self::Limits(l) => {
                out.put(b"LIMITS");
                param(out, Some(l.as_str()));
            }
            Self::Burl(p) => {
                out.put(b"BURL");
                param(out, p.as_ref().map(|p| p.as_str()));
            }
            Self::NoSoliciting(p) => {
                out.put(b"NO-SOLICITING");
                param(out, p.as_ref().map(|p| p.as_str()));
            }
            Self::Other { keyword, params } => {
                out.put(keyword.as_str().as_bytes());
                param(out, params.as_ref().map(|p| p.as_str()));
            }
            Self::Malformed { keyword, params, .. } => {
                out.put(keyword.as_str().as_bytes());
                out.put(params.as_bytes());
            }
            other => out.put(other.keyword().as_bytes()),
        }
    }
}

/// The refusal of capability `k` for `kind`.
fn refused(k: usize, kind: BuildErrorKind) -> BuildError {
    BuildError::new("capability", kind).item(k)
}

/// Checks what the types of a capability do not: a `Malformed` (only read, never written),
/// an `Other` that names a known keyword, a
/// legacy `AUTH=` without a mechanism (RFC 4954 §3 has at least one after the `=`), numbers
/// with more digits than their grammar allows (`1*9DIGIT`, RFC 2852 §4, RFC 4865 §3).
fn check_capability(k: usize, c: &Capability<'_>) -> Result<(), BuildError> {
    const NINE_DIGITS: u32 = 999_999_999;
    match c {
        Capability::Malformed { extension, .. } => {
            let keyword = extension.map_or("EHLO", |e| e.keyword());
            Err(refused(k, BuildErrorKind::Grammar(ParseErrorKind::InvalidCapability { keyword })))
        }
        Capability::Other { keyword, .. } if extension(keyword.as_str().as_bytes()).is_some() => {
            Err(refused(k, BuildErrorKind::KnownKeyword))
        }
        Capability::Auth { mechanisms, legacy: true } if mechanisms.is_empty() => {
            Err(refused(k, BuildErrorKind::Grammar(ParseErrorKind::InvalidCapability { keyword: "AUTH" })))
        }
        Capability::DeliverBy(Some(n)) | Capability::FutureRelease { max_interval: n, .. } if *n > NINE_DIGITS => {
            Err(refused(k, BuildErrorKind::OutOfRange))
        }
        _ => Ok(()),
    }
}

/// Writes the lines of an EHLO reply within `limits`: `250` and the host with the greeting,
/// then one line per capability. Returns the text and the length of the host in it.
fn write_ehlo(
    host: &Host<'_>,
    greeting: Option<&str>,
    capabilities: &[Capability<'_>],
    limits: &Limits,
) -> Result<(String, usize), BuildError> {
    let greeting = greeting.filter(|g| !g.is_empty());
    if let Some(g) = greeting {
        refuse_controls(g, "EHLO greeting", true)?;
    }
    let max_lines = limits.reply_lines().max(1);
    if capabilities.len() >= max_lines {
        return Err(BuildError::new("EHLO reply", BuildErrorKind::TooManyLines { limit: max_lines }));
    }
    if let Host::Domain(d) = host {
        if d.as_str().len() > limits.domain() {
            return Err(BuildError::new("EHLO host", BuildErrorKind::TooLong { limit: limits.domain() }));
        }
    }
    for (k, c) in capabilities.iter().enumerate() {
        check_capability(k, c)?;
    }
    let max_line = line_limit(false, &ParseOptions::STRICT.with_limits(*limits));
    let too_long = || BuildErrorKind::TooLong { limit: max_line };
    let mut s: Vec<u8> = Vec::with_capacity(64 + 24 * capabilities.len());
    s.extend_from_slice(if capabilities.is_empty() { b"250 " } else { b"250-" });
    host.write_wire(&mut s);
    let host_len = s.len() - 4;
    if let Some(g) = greeting {
        s.push(b' ');
        s.extend_from_slice(g.as_bytes());
    }
    s.extend_from_slice(b"\r\n");
    if s.len() > max_line {
        return Err(BuildError::new("EHLO reply line", too_long()));
    }
    for (k, c) in capabilities.iter().enumerate() {
        let start = s.len();
        s.extend_from_slice(if k + 1 == capabilities.len() { b"250 " } else { b"250-" });
        c.write(&mut s);
        s.extend_from_slice(b"\r\n");
        if s.len() - start > max_line {
            return Err(refused(k, too_long()));
        }
    }
    // The octets are str values and ASCII: valid UTF-8, checked once here.
    let s = String::from_utf8(s)
        .map_err(|_| BuildError::new("EHLO reply", BuildErrorKind::Grammar(ParseErrorKind::InvalidUtf8)))?;
    Ok((s, host_len))
}

/// The canonical `ehlo-line`; a [`Capability::Malformed`] as read, its parameters escaped as
/// [`UnparsedParams`](crate::UnparsedParams) shows them (they may not be UTF-8).
impl fmt::Display for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Self::Malformed { keyword, params, .. } = self {
            // Reply text, maybe not UTF-8: shown escaped.
            return write!(f, "{keyword}{params}");
        }
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}
