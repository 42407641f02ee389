//! [`ClientConfig`]: what a client session is set up with, and its reply timeouts.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use crate::session::TlsPolicy;
use crate::{Domain, EhloReply, Host, Mechanism, ParseOptions};

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

/// What the client authenticates with (RFC 4954): a password (PLAIN or LOGIN), an OAuth 2.0
/// bearer token (XOAUTH2), or any SASL mechanism stepped by the application. `Debug` shows
/// no secret.
///
/// ```
/// use smtp_wire::{Credentials, Mechanism};
///
/// let password = Credentials::new("alice", "secret");
/// assert_eq!(format!("{password:?}"), "Credentials(password, <redacted>)");
/// let generic = Credentials::sasl(Mechanism::new("SCRAM-SHA-256").unwrap(), Some(b"n,,n=alice,r=abc"));
/// assert_eq!(format!("{generic:?}"), "Credentials(SCRAM-SHA-256, <redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Credentials {
    pub(super) kind: CredentialKind,
}

#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum CredentialKind {
    /// PLAIN when offered (RFC 4616), else LOGIN.
    Password { username: String, password: String },
    /// XOAUTH2: `user=…^Aauth=Bearer …^A^A` as the initial response.
    XOAuth2 { username: String, token: String },
    /// Any mechanism: challenges go to the application.
    Sasl { mechanism: Mechanism<'static>, initial: Option<Vec<u8>> },
}

impl Credentials {
    /// A password for `username` (the SASL authentication identity): AUTH PLAIN (RFC 4616)
    /// when the server offers it, else AUTH LOGIN.
    pub fn new(username: &str, password: &str) -> Self {
        Self { kind: CredentialKind::Password { username: String::from(username), password: String::from(password) } }
    }

    /// An OAuth 2.0 bearer `token` for `username`, sent with AUTH XOAUTH2 (the mechanism of
    /// Google and Microsoft mail services) as the initial response. A refusal comes as a
    /// `334` carrying an error document; the client answers it with an empty line, as the
    /// mechanism asks, and reports the final code as [`ClientError::AuthFailed`].
    ///
    /// [`ClientError::AuthFailed`]: super::ClientError::AuthFailed
    pub fn xoauth2(username: &str, token: &str) -> Self {
        Self { kind: CredentialKind::XOAuth2 { username: String::from(username), token: String::from(token) } }
    }

    /// Any SASL `mechanism` (RFC 4422), stepped by the application: the client sends
    /// `AUTH mechanism [initial-response]` (an empty initial response as `=`, RFC 4954 §4),
    /// reports each `334` as [`ClientEvent::AuthChallenge`], and sends what
    /// [`Client::auth_respond`] is given.
    ///
    /// [`ClientEvent::AuthChallenge`]: super::ClientEvent::AuthChallenge
    /// [`Client::auth_respond`]: super::Client::auth_respond
    pub fn sasl(mechanism: Mechanism<'_>, initial_response: Option<&[u8]>) -> Self {
        Self {
            kind: CredentialKind::Sasl {
                mechanism: mechanism.into_owned(),
                initial: initial_response.map(<[u8]>::to_vec),
            },
        }
    }

    /// The mechanism's name when it is fixed (`XOAUTH2`, or the generic one); `None` for a
    /// password, whose mechanism depends on the server's offer.
    pub fn mechanism(&self) -> Option<&str> {
        match &self.kind {
            CredentialKind::Password { .. } => None,
            CredentialKind::XOAuth2 { .. } => Some("XOAUTH2"),
            CredentialKind::Sasl { mechanism, .. } => Some(mechanism.as_str()),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = self.mechanism().unwrap_or("password");
        write!(f, "Credentials({what}, <redacted>)")
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
    /// Authenticate (RFC 4954) with these after EHLO (and after TLS).
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

/// The mechanism a session authenticates with, chosen from the server's offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum AuthMech {
    Plain,
    Login,
    XOAuth2,
    /// The configured generic mechanism.
    Sasl,
}

/// Whether any AUTH line (modern or legacy `AUTH=`; servers split mechanisms over several)
/// offers `name`.
fn offers(ehlo: &EhloReply<'_>, name: &str) -> bool {
    ehlo.auth_mechanisms().any(|m| m.as_str().eq_ignore_ascii_case(name))
}

/// The mechanism to use with `kind` against the offer of `ehlo`, if the server offers one.
pub(super) fn choose(ehlo: &EhloReply<'_>, kind: &CredentialKind) -> Option<AuthMech> {
    match kind {
        CredentialKind::Password { .. } if offers(ehlo, "PLAIN") => Some(AuthMech::Plain),
        CredentialKind::Password { .. } if offers(ehlo, "LOGIN") => Some(AuthMech::Login),
        CredentialKind::XOAuth2 { .. } if offers(ehlo, "XOAUTH2") => Some(AuthMech::XOAuth2),
        CredentialKind::Sasl { mechanism, .. } if offers(ehlo, mechanism.as_str()) => Some(AuthMech::Sasl),
        _ => None,
    }
}
