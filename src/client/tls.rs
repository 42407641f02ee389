//! The client side of the STARTTLS boundary as a type: [`ClientTlsPending`].

use alloc::sync::Arc;
use core::time::Duration;

use super::config::ClientConfig;
use super::event::ClientError;
use super::state::{Client, Phase};
use crate::session::{PlaintextReason, TlsInfo, TlsOutcome, TlsPolicy, Transport};

/// A connection whose TLS handshake is in progress: the client side of the STARTTLS
/// boundary (RFC 3207) or of implicit TLS (RFC 8314 §3).
///
/// It has no `handle_input`: no reply can be read while it exists. A reply that arrived in
/// plaintext behind the server's `220` never reaches it (the [`Client`] refused the upgrade
/// with [`ClientError::ReplyInjection`]), so it cannot be read as a post-TLS reply either.
/// [`established`](Self::established) builds a fresh [`Client`] from the configuration
/// alone: it sends EHLO again and knows none of the capabilities learned before the
/// handshake (RFC 3207 §4.2).
///
/// # Why a type
/// Mutt (CVE-2020-14954), Exim as a sender (CVE-2021-38371), Apple Mail and others read
/// replies that a man in the middle put behind the `220`, after the handshake, as if they
/// came over TLS: forged capabilities, forged results. In each, the reader that buffered
/// plaintext went on reading after the handshake. Here [`Client::into_tls`] consumes the
/// client, this type reads nothing, and the client that comes back has no buffer and no
/// state from before.
///
/// The machine has no timer while the handshake runs: bound it in the runtime.
#[must_use = "a ClientTlsPending must be completed with established() or failed()"]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientTlsPending {
    config: Arc<ClientConfig>,
    transport: Transport,
}

/// What a failed handshake leaves: the outcome to record and whether a new plaintext
/// connection is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TlsFailed {
    /// Always `Plaintext(HandshakeFailed)`: nothing was sent on this connection after
    /// STARTTLS.
    pub outcome: TlsOutcome,
    /// Under [`TlsPolicy::Opportunistic`], the documented next step is a new connection
    /// with TLS disabled (this one is never continued in cleartext: the server expects a
    /// handshake, and a man in the middle could have made it fail). `false` under
    /// `Required` and for implicit TLS.
    pub retry_in_plaintext: bool,
}

impl ClientTlsPending {
    pub(super) fn new(config: Arc<ClientConfig>, transport: Transport) -> Self {
        Self { config, transport }
    }

    /// A connection to an implicit-TLS port (RFC 8314 §3, 465): run the handshake first;
    /// [`established`](Self::established) then gives a client that waits for the greeting.
    pub fn implicit(config: Arc<ClientConfig>) -> Self {
        Self::new(config, Transport::Implicit)
    }

    /// How TLS is being started.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The handshake succeeded: a fresh client (STARTTLS: EHLO queued; implicit: waiting for
    /// the greeting) knowing only the configuration and `info`.
    ///
    /// # Errors
    /// [`ClientError::PeerUnverified`] under [`TlsPolicy::Required`] when `info` says the peer
    /// was not verified and the configuration does not accept that: close the connection.
    pub fn established(self, info: TlsInfo, now: Duration) -> Result<Client, ClientError> {
        if self.config.tls_policy == TlsPolicy::Required && !info.peer_verified && !self.config.accept_unverified {
            return Err(ClientError::PeerUnverified);
        }
        let tls = Some((self.transport, info));
        Ok(match self.transport {
            Transport::StartTls => {
                let mut client = Client::fresh(self.config, now, tls, Phase::Ready);
                client.hello(false);
                client
            }
            Transport::Implicit => Client::fresh(self.config, now, tls, Phase::Greeting),
        })
    }

    /// The handshake failed: close the connection.
    pub fn failed(self) -> TlsFailed {
        TlsFailed {
            outcome: TlsOutcome::Plaintext(PlaintextReason::HandshakeFailed),
            retry_in_plaintext: self.config.tls_policy == TlsPolicy::Opportunistic
                && self.transport == Transport::StartTls,
        }
    }
}
