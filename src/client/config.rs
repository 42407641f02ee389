//! [`ClientConfig`]: what a client session is set up with, and its reply timeouts.

use alloc::string::String;
use core::fmt;
use core::time::Duration;

use crate::session::TlsPolicy;
use crate::{Domain, Host, ParseOptions};

/// How long the client waits for each reply (RFC 5321 §4.5.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ClientTimeouts {
    /// The `220` greeting (§4.5.3.2.1: 5 minutes), and every reply not listed below.
    pub greeting: Duration,
    /// MAIL (§4.5.3.2.2: 5 minutes) and each RCPT (§4.5.3.2.3: 5 minutes).
    pub envelope: Duration,
    /// The `354` to DATA (§4.5.3.2.4: 2 minutes).
    pub data_init: Duration,
    /// The reply after the end of the body (§4.5.3.2.6: 10 minutes); also the reply to
    /// `BDAT … LAST`.
    pub data_end: Duration,
}

impl Default for ClientTimeouts {
    fn default() -> Self {
        Self::RFC5321
    }
}

impl ClientTimeouts {
    /// The values of RFC 5321 §4.5.3.2.
    pub const RFC5321: Self = Self {
        greeting: Duration::from_secs(300),
        envelope: Duration::from_secs(300),
        data_init: Duration::from_secs(120),
        data_end: Duration::from_secs(600),
    };
}

/// A username and password for AUTH PLAIN or LOGIN (RFC 4954, RFC 4616). `Debug` shows
/// neither.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Credentials {
    pub(super) username: String,
    pub(super) password: String,
}

impl Credentials {
    /// Credentials for `username` (the SASL authentication identity) and `password`.
    pub fn new(username: &str, password: &str) -> Self {
        Self { username: String::from(username), password: String::from(password) }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

/// A client session's configuration, shared (`Arc`) by every session that uses it.
///
/// Defaults: [`TlsPolicy::Opportunistic`] (the RFC 3207 posture of a relay; set
/// [`Required`](TlsPolicy::Required) for submission and for MTA-STS / DANE destinations),
/// unverified peers refused under `Required`, pipelining used when offered, DATA (not
/// BDAT), replies read with strict framing and tolerant content
/// ([`ParseOptions::with_malformed_capabilities`] and
/// [`ParseOptions::with_loose_reply_text`]: a server is not given up on for an unreadable
/// capability or odd octets in a reply's text), the RFC 5321 timeouts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The name sent in EHLO / HELO (RFC 5321 §4.1.1.1).
    pub hostname: Host<'static>,
    /// The TLS posture.
    pub tls_policy: TlsPolicy,
    /// Under [`TlsPolicy::Required`], accept a peer whose certificate the TLS library did not
    /// verify. Lab use only: an unverified peer may be the man in the middle.
    pub accept_unverified: bool,
    /// Use PIPELINING (RFC 2920) when the server offers it.
    pub pipelining: bool,
    /// Send bodies with BDAT (RFC 3030) when the server offers CHUNKING.
    pub chunking: bool,
    /// Speak LMTP (RFC 2033): LHLO instead of EHLO (no HELO fallback), and one reply per
    /// accepted recipient after the body.
    pub lmtp: bool,
    /// Authenticate (RFC 4954) with these after EHLO, with PLAIN when offered, else LOGIN.
    pub credentials: Option<Credentials>,
    /// Allow AUTH without TLS. Off by default: the password would cross the network in the
    /// clear (RFC 4954 §4 asks for a protected channel for PLAIN).
    pub auth_plaintext: bool,
    /// How replies are parsed.
    pub parse_options: ParseOptions,
    /// Reply timeouts.
    pub timeouts: ClientTimeouts,
}

impl ClientConfig {
    /// A configuration with the defaults above, greeting as `hostname`.
    pub fn new(hostname: Domain<'static>) -> Self {
        Self {
            hostname: Host::from(hostname),
            tls_policy: TlsPolicy::default(),
            accept_unverified: false,
            pipelining: true,
            chunking: false,
            lmtp: false,
            credentials: None,
            auth_plaintext: false,
            parse_options: ParseOptions::default().with_malformed_capabilities(true).with_loose_reply_text(true),
            timeouts: ClientTimeouts::RFC5321,
        }
    }

    /// Sets [`tls_policy`](Self::tls_policy).
    #[must_use]
    pub fn with_tls_policy(mut self, policy: TlsPolicy) -> Self {
        self.tls_policy = policy;
        self
    }

    /// Sets [`accept_unverified`](Self::accept_unverified).
    #[must_use]
    pub fn with_accept_unverified(mut self, on: bool) -> Self {
        self.accept_unverified = on;
        self
    }

    /// Sets [`pipelining`](Self::pipelining).
    #[must_use]
    pub fn with_pipelining(mut self, on: bool) -> Self {
        self.pipelining = on;
        self
    }

    /// Sets [`chunking`](Self::chunking).
    #[must_use]
    pub fn with_chunking(mut self, on: bool) -> Self {
        self.chunking = on;
        self
    }

    /// Sets [`lmtp`](Self::lmtp).
    #[must_use]
    pub fn with_lmtp(mut self, on: bool) -> Self {
        self.lmtp = on;
        self
    }

    /// Sets [`credentials`](Self::credentials).
    #[must_use]
    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets [`auth_plaintext`](Self::auth_plaintext).
    #[must_use]
    pub fn with_auth_plaintext(mut self, on: bool) -> Self {
        self.auth_plaintext = on;
        self
    }

    /// Sets [`parse_options`](Self::parse_options).
    #[must_use]
    pub fn with_parse_options(mut self, opts: ParseOptions) -> Self {
        self.parse_options = opts;
        self
    }

    /// Sets [`timeouts`](Self::timeouts).
    #[must_use]
    pub fn with_timeouts(mut self, timeouts: ClientTimeouts) -> Self {
        self.timeouts = timeouts;
        self
    }
}
