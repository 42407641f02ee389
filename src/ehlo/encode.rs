//! EHLO replies and capabilities to their wire octets (RFC 5321 §4.1.1.1).

use alloc::borrow::Cow;
use alloc::string::String;
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
        out.put_str(" ");
        out.put_str(p);
    }
}

impl Capability<'_> {
    /// Writes the canonical `ehlo-line` (upper-case keyword, single spaces).
    pub(crate) fn write(&self, out: &mut impl Sink) {
        match self {
            Self::Size(n) => {
                out.put_str("SIZE");
                if let Some(n) = n {
                    out.put_str(" ");
                    write_num(out, *n);
                }
            }
            Self::DeliverBy(n) => {
                out.put_str("DELIVERBY");
                if let Some(n) = n {
                    out.put_str(" ");
                    write_num(out, u64::from(*n));
                }
            }
            Self::Auth { mechanisms, legacy: true } => {
                out.put_str("AUTH=");
                out.put_str(mechanisms.as_str());
            }
            Self::Auth { mechanisms, legacy: false } => {
                out.put_str("AUTH");
                param(out, Some(mechanisms.as_str()).filter(|m| !m.is_empty()));
            }
            Self::MtPriority(p) => {
                out.put_str("MT-PRIORITY");
                param(out, p.as_ref().map(|k| k.as_str()));
            }
            Self::FutureRelease { max_interval, max_datetime } => {
                out.put_str("FUTURERELEASE ");
                write_num(out, u64::from(*max_interval));
                out.put_str(" ");
                out.put_str(max_datetime.as_str());
            }
            Self::Limits(l) => {
                out.put_str("LIMITS");
                param(out, Some(l.as_str()));
            }
            Self::Burl(p) => {
                out.put_str("BURL");
                param(out, p.as_ref().map(|p| p.as_str()));
            }
            Self::NoSoliciting(p) => {
                out.put_str("NO-SOLICITING");
                param(out, p.as_ref().map(|p| p.as_str()));
            }
            Self::Other { keyword, params } => {
                out.put_str(keyword.as_str());
                param(out, params.as_ref().map(|p| p.as_str()));
            }
            Self::Malformed { keyword, params, .. } => {
                out.put(keyword.as_str().as_bytes());
                out.put(params.as_bytes());
            }
            other => out.put_str(other.keyword()),
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
    // Written as text (`str` values, ASCII keywords and numbers): nothing to check again.
    let mut s = String::with_capacity(64 + 24 * capabilities.len());
    s.push_str(if capabilities.is_empty() { "250 " } else { "250-" });
    host.write_wire(&mut s);
    let host_len = s.len() - 4;
    if let Some(g) = greeting {
        s.push(' ');
        s.push_str(g);
    }
    s.push_str("\r\n");
    if s.len() > max_line {
        return Err(BuildError::new("EHLO reply line", too_long()));
    }
    for (k, c) in capabilities.iter().enumerate() {
        let start = s.len();
        s.push_str(if k + 1 == capabilities.len() { "250 " } else { "250-" });
        c.write(&mut s);
        s.push_str("\r\n");
        if s.len() - start > max_line {
            return Err(refused(k, too_long()));
        }
    }
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
