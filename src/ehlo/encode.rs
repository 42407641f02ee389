//! EHLO replies and capabilities to their wire octets (RFC 5321 §4.1.1.1).

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use super::capability::extension;
use super::{Capability, EhloReply};
use crate::domain::Host;
use crate::reply::Reply;
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
    ) -> Result<EhloReply<'static>, BuildError> {
        Self::build(host, greeting, capabilities, &Limits::RFC5321)
    }

    /// [`new`](Self::new) within `limits`.
    pub fn build(
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
        limits: &Limits,
    ) -> Result<EhloReply<'static>, BuildError> {
        let wire = write_ehlo(host, greeting, capabilities)?;
        let opts = ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits);
        let parsed = EhloReply::parse_with(wire.as_bytes(), &opts).map_err(|e| match e.kind() {
            // The only ways a written reply can fail to read back: past the limits.
            ParseErrorKind::LineTooLong { limit } => {
                BuildError::new("EHLO reply line", BuildErrorKind::TooLong { limit })
            }
            ParseErrorKind::TooManyReplyLines { limit } => {
                BuildError::new("EHLO reply", BuildErrorKind::TooManyLines { limit })
            }
            _ => BuildError::grammar("EHLO reply", e),
        })?;
        let (host_len, literal) = (parsed.host_len, parsed.literal);
        Ok(EhloReply { reply: Reply { code: parsed.reply.code, wire: Cow::Owned(wire) }, host_len, literal })
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
            other => out.put(other.keyword().as_bytes()),
        }
    }
}

/// Writes the lines of an EHLO reply: `250` and the host with the greeting, then one line per
/// capability. The caller parses the result back to check it.
fn write_ehlo(host: &Host<'_>, greeting: Option<&str>, capabilities: &[Capability<'_>]) -> Result<String, BuildError> {
    let greeting = greeting.filter(|g| !g.is_empty());
    if let Some(g) = greeting {
        refuse_controls(g, "EHLO greeting", true)?;
    }
    for (k, c) in capabilities.iter().enumerate() {
        if let Capability::Other { keyword, .. } = c {
            if extension(keyword.as_str().as_bytes()).is_some() {
                return Err(BuildError::new("capability (Capability::Other)", BuildErrorKind::KnownKeyword).item(k));
            }
        }
    }
    let mut s = String::new();
    s.push_str(if capabilities.is_empty() { "250 " } else { "250-" });
    host.write_wire(&mut s);
    if let Some(g) = greeting {
        s.push(' ');
        s.push_str(g);
    }
    s.push_str("\r\n");
    for (k, c) in capabilities.iter().enumerate() {
        s.push_str(if k + 1 == capabilities.len() { "250 " } else { "250-" });
        c.write(&mut s);
        s.push_str("\r\n");
    }
    Ok(s)
}

impl fmt::Display for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}
