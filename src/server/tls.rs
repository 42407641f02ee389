//! The STARTTLS boundary as a type: [`TlsPending`].

use alloc::sync::Arc;
use core::time::Duration;

use super::config::ServerConfig;
use super::state::Server;
use crate::session::{PlaintextReason, TlsInfo, TlsOutcome, Transport};

/// A connection whose TLS handshake is in progress: the server side of the STARTTLS
/// boundary (RFC 3207) or of implicit TLS (RFC 8314).
///
/// It has no `handle_input`: no octet can be read while it exists. Octets received in
/// plaintext after `STARTTLS` never reach it (the [`Server`] refused the upgrade when any
/// were handed in, CVE-2011-0411), so they cannot be processed after the handshake either.
/// The only way back to a [`Server`] is [`established`](Self::established), which builds one
/// fresh from the configuration: EHLO name, AUTH state and envelope from before are gone, as
/// RFC 3207 §4.2 requires, and the new EHLO list has no STARTTLS.
///
/// # Why a type
/// Every server in the 2021 "NO STARTTLS" study that let plaintext cross the upgrade was
/// exploitable (Postfix CVE-2011-0411, Dovecot CVE-2021-33515, aiosmtpd CVE-2024-34083), and
/// others kept the pre-TLS EHLO name or AUTH state (chrj/smtpd PR 41). In all of them the
/// connection object that read plaintext was the one that went on reading after the
/// handshake, with its buffers and its session state. Here it cannot be: `into_tls` consumes
/// the [`Server`], [`TlsPending`] has no input method, and the server that comes back is a
/// new value built from the configuration alone, so there is nothing from before to carry.
/// A runtime that forgets to drain its own buffer is stopped earlier: the octets it handed
/// in made the server refuse the upgrade.
///
/// The machine has no timer while the handshake runs: bound it in the runtime (a TLS
/// library's own handshake timeout, or the command timeout of
/// [`Timeouts`](crate::Timeouts)).
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use smtp_wire::{Domain, Server, ServerConfig, ServerEvent, TlsInfo};
///
/// let config = Arc::new(ServerConfig::new(Domain::new("mx.example.org").unwrap()));
/// let mut server = Server::new(config, Duration::ZERO);
/// let mut out = Vec::new();
/// server.poll_transmit(&mut out); // the 220 greeting
/// let h = server.handle_input(b"EHLO client.example\r\n", Duration::ZERO).unwrap();
/// assert!(matches!(h.event, Some(ServerEvent::Hello { .. })));
/// server.accept().unwrap();
/// let h = server.handle_input(b"STARTTLS\r\n", Duration::ZERO).unwrap();
/// assert_eq!(h.event, Some(ServerEvent::StartTls));
/// out.clear();
/// server.poll_transmit(&mut out);
/// assert!(out.ends_with(b"250 STARTTLS\r\n220 2.0.0 Ready to start TLS\r\n"));
/// let pending = server.into_tls().unwrap();
/// // ... run the TLS handshake on the connection ...
/// let mut server = pending.established(TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256"), Duration::ZERO);
/// assert!(server.tls_outcome().is_encrypted());
/// // A fresh session: MAIL before a new EHLO is a sequence error.
/// server.handle_input(b"MAIL FROM:<a@example.org>\r\n", Duration::ZERO).unwrap();
/// out.clear();
/// server.poll_transmit(&mut out);
/// assert!(out.starts_with(b"503 "));
/// ```
#[must_use = "a TlsPending must be completed with established() or failed()"]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TlsPending {
    config: Arc<ServerConfig>,
    transport: Transport,
}

impl TlsPending {
    pub(super) fn new(config: Arc<ServerConfig>, transport: Transport) -> Self {
        Self { config, transport }
    }

    /// A connection on an implicit-TLS port (RFC 8314 §3, "submissions" on 465): run the
    /// handshake first; [`established`](Self::established) then queues the greeting.
    pub fn implicit(config: Arc<ServerConfig>) -> Self {
        Self::new(config, Transport::Implicit)
    }

    /// How TLS is being started.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The handshake succeeded: a fresh server in the post-greeting state (for implicit TLS,
    /// with the `220` greeting queued), knowing only the configuration and `info`.
    pub fn established(self, info: TlsInfo, now: Duration) -> Server {
        Server::fresh(self.config, now, Some((self.transport, info)))
    }

    /// The handshake of an implicit-TLS connection succeeded, and the session is to be turned
    /// away: [`Server::turn_away`] inside TLS (the `554` greeting goes out encrypted). For a
    /// STARTTLS upgrade this is [`established`](Self::established): the session was greeted
    /// before it.
    pub fn turn_away(self, info: TlsInfo, now: Duration, text: &str) -> Server {
        let refusal = (self.transport == Transport::Implicit).then_some(text);
        Server::greeted(self.config, now, Some((self.transport, info)), refusal)
    }

    /// The handshake failed: the session ends (close the connection; nothing more may be
    /// sent in plaintext). Returns the outcome to record.
    pub fn failed(self) -> TlsOutcome {
        TlsOutcome::Plaintext(PlaintextReason::HandshakeFailed)
    }
}
