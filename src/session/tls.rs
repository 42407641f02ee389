//! The TLS posture of a session and what became of it.

use alloc::string::String;

/// Whether TLS is offered, and whether it is required (RFC 3207, RFC 8314).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TlsPolicy {
    /// No STARTTLS: not advertised, and the command is answered `502`.
    Disabled,
    /// STARTTLS is offered; a client that does not use it may still send mail in plaintext
    /// (the session's [`TlsOutcome`] says so). RFC 3207 §4: a publicly referenced server
    /// must not require TLS, so this is the default.
    #[default]
    Opportunistic,
    /// STARTTLS is offered and required: before it, every command but EHLO, HELO, LHLO,
    /// NOOP, RSET, QUIT and STARTTLS is answered `530 5.7.0 Must issue a STARTTLS command
    /// first` (RFC 3207 §4), so no envelope, AUTH or body is ever accepted in plaintext.
    Required,
}

/// How TLS is (or would be) started on a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// A plaintext greeting, then STARTTLS (RFC 3207): ports 25 and 587.
    StartTls,
    /// TLS from the first octet, before the greeting (RFC 8314 §3): port 465.
    Implicit,
}

/// What the caller's TLS library reports once the handshake is done. The machine does not
/// verify anything itself; it records these facts so the session's [`TlsOutcome`] (and later
/// a `Received` field, RFC 8314 §4.3) can report them.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
#[non_exhaustive]
pub struct TlsInfo {
    /// The protocol version as the TLS library names it, e.g. `TLSv1.3`.
    pub version: String,
    /// The cipher suite as the TLS library names it, e.g. `TLS_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// Whether the peer presented a certificate that the TLS library verified.
    pub peer_verified: bool,
}

impl TlsInfo {
    /// TLS facts: protocol `version` and `cipher` suite; peer not verified.
    pub fn new(version: &str, cipher: &str) -> Self {
        Self { version: String::from(version), cipher: String::from(cipher), peer_verified: false }
    }

    /// The same facts with [`peer_verified`](Self::peer_verified) set.
    #[must_use]
    pub fn with_peer_verified(mut self, verified: bool) -> Self {
        self.peer_verified = verified;
        self
    }
}

/// Why a session ran (or ended) without TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlaintextReason {
    /// The policy was [`TlsPolicy::Disabled`].
    Disabled,
    /// TLS was offered and the client did not start it.
    NotRequested,
    /// The handshake failed (the caller reported it with `failed()`).
    HandshakeFailed,
    /// Client side: the server's EHLO reply did not offer STARTTLS (or only HELO was
    /// accepted). A man in the middle can strip the offer (RFC 3207 §6).
    NotOffered,
    /// Client side: the server answered STARTTLS with something other than `220` (e.g.
    /// `454 TLS not available`, RFC 3207 §4).
    Refused,
}

impl core::fmt::Display for PlaintextReason {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Disabled => "TLS disabled by policy",
            Self::NotRequested => "TLS offered, not requested",
            Self::HandshakeFailed => "TLS handshake failed",
            Self::NotOffered => "STARTTLS not offered",
            Self::Refused => "STARTTLS refused by the server",
        })
    }
}

impl core::fmt::Display for TlsOutcome {
    /// One line: `encrypted (STARTTLS, TLSv1.3, TLS_AES_128_GCM_SHA256, verified)` or
    /// `plaintext (STARTTLS not offered)`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Encrypted { transport, info } => {
                let how = match transport {
                    Transport::StartTls => "STARTTLS",
                    Transport::Implicit => "implicit TLS",
                };
                let verified = if info.peer_verified { "verified" } else { "unverified" };
                write!(f, "encrypted ({how}, {}, {}, {verified})", info.version, info.cipher)
            }
            Self::Plaintext(reason) => write!(f, "plaintext ({reason})"),
        }
    }
}

/// What became of TLS on a session: encrypted (with what the caller's TLS library saw), or
/// plaintext with the reason. Every session has one; silent fallback to plaintext is what this
/// value exists to make visible.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsOutcome {
    /// The session is (was) encrypted.
    Encrypted {
        /// How TLS was started.
        transport: Transport,
        /// What the TLS library reported.
        info: TlsInfo,
    },
    /// The session is (was) plaintext.
    Plaintext(PlaintextReason),
}

impl TlsOutcome {
    /// Whether the session is encrypted.
    pub const fn is_encrypted(&self) -> bool {
        matches!(self, Self::Encrypted { .. })
    }
}
