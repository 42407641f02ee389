//! EHLO replies and capabilities to their wire octets (RFC 5321 §4.1.1.1).

use alloc::string::String;

use super::{Sink, WriteWire, impl_encode, write_num};
use crate::parse::ehlo::extension;
use crate::types::{Capability, EhloReply, Host};
use crate::{ParseError, ParseErrorKind};

impl WriteWire for EhloReply<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        self.reply().write_wire(out);
    }
}

impl_encode!(EhloReply);

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
pub(crate) fn write_ehlo(
    host: &Host<'_>,
    greeting: Option<&str>,
    capabilities: &[Capability<'_>],
) -> Result<String, ParseError> {
    let greeting = greeting.filter(|g| !g.is_empty());
    if let Some(g) = greeting {
        if let Some((i, _)) = g.char_indices().find(|&(_, c)| c != '\t' && (c < ' ' || c == '\u{7f}')) {
            return Err(ParseError::new(i, ParseErrorKind::InvalidValue { what: "EHLO greeting (control character)" }));
        }
    }
    for (k, c) in capabilities.iter().enumerate() {
        if let Capability::Other { keyword, .. } = c {
            if extension(keyword.as_str().as_bytes()).is_some() {
                return Err(ParseError::new(
                    k,
                    ParseErrorKind::InvalidValue { what: "Capability::Other with a known keyword" },
                ));
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
