//! What the client reports: [`ClientEvent`], [`ClientError`], and [`Awaiting`] (the reply a
//! client waits for).

use core::fmt;

use crate::session::TlsOutcome;
use crate::{BuildError, Extension, ParseError, Reply, ReplyCode, SaslChallenge};

/// The reply a client is waiting for, named by the command that asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Awaiting {
    /// Nothing: no command is outstanding.
    Nothing,
    /// The server's greeting (RFC 5321 §3.1).
    Greeting,
    /// The reply to EHLO, HELO or LHLO.
    Hello,
    /// The reply to STARTTLS (RFC 3207 §4).
    StartTls,
    /// A reply in the AUTH exchange (RFC 4954 §4).
    Auth,
    /// The reply to RSET.
    Rset,
    /// The reply to MAIL.
    Mail,
    /// The reply to a RCPT.
    Rcpt,
    /// The reply to DATA (`354` expected).
    Data,
    /// The reply after the body's final `.` (or after a lone `.` sent to close an empty
    /// pipelined DATA, RFC 2920 §3.1).
    Body,
    /// The reply to `BDAT … LAST` (RFC 3030).
    Bdat,
    /// The reply to a `BDAT` chunk that is not the last.
    Chunk,
    /// The reply to QUIT.
    Quit,
    /// The reply to a command the application sent with [`send`](super::Client::send).
    Sent,
}

/// Something the application must see. Replies borrow from the input handed in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientEvent<'a> {
    /// The server's `220` greeting; the client has queued EHLO.
    Greeting(Reply<'a>),
    /// The server accepted EHLO (its capabilities: `EhloReply::from_reply_with(&reply, &opts)`
    /// with the client's parse options) or, after
    /// a `500`/`502` to EHLO, HELO (no capabilities).
    Hello(Reply<'a>),
    /// The server answered `220` to STARTTLS: call [`Client::into_tls`](super::Client::into_tls)
    /// now and run the handshake. Nothing else may be read before it.
    StartTls,
    /// A `334` challenge of the configured generic SASL mechanism
    /// ([`Credentials::sasl`](super::Credentials::sasl)): answer it with
    /// [`Client::auth_respond`](super::Client::auth_respond) or
    /// [`Client::auth_cancel`](super::Client::auth_cancel).
    AuthChallenge(SaslChallenge<'a>),
    /// The session is ready for [`submit`](super::Client::submit), with its TLS outcome.
    Ready(TlsOutcome),
    /// A recipient (index into the envelope's recipients) was accepted.
    RecipientAccepted {
        /// Index into [`Envelope::recipients`](super::Envelope::recipients).
        index: usize,
        /// The server's reply.
        reply: Reply<'a>,
    },
    /// A recipient was refused.
    RecipientRefused {
        /// Index into [`Envelope::recipients`](super::Envelope::recipients).
        index: usize,
        /// The server's reply.
        reply: Reply<'a>,
    },
    /// LMTP (RFC 2033 §4.2): the reply after the body for one accepted recipient. The last
    /// one is followed by the message result (accepted when any recipient was delivered).
    Delivery {
        /// Index into [`Envelope::recipients`](super::Envelope::recipients).
        index: usize,
        /// Whether the server delivered the message to this recipient (2yz).
        delivered: bool,
        /// The server's reply.
        reply: Reply<'a>,
    },
    /// The recipients are settled and the server waits for the body of a streamed message
    /// ([`Envelope::streamed`](super::Envelope::streamed)): hand it in with
    /// [`Client::body_chunk`](super::Client::body_chunk) until the last piece.
    SendBody,
    /// The server took responsibility for the message (for the accepted recipients).
    MessageAccepted {
        /// The reply to the end of the body.
        reply: Reply<'a>,
        /// How the message travelled.
        tls: TlsOutcome,
    },
    /// The message was not accepted: the reply that decided it (MAIL refused, every
    /// recipient refused, DATA or the body refused).
    MessageRefused {
        /// The deciding reply.
        reply: Reply<'a>,
        /// How the session ran.
        tls: TlsOutcome,
    },
    /// The reply to a command sent with [`send`](super::Client::send); the session is
    /// ready again.
    Reply(Reply<'a>),
    /// The server answered QUIT; close the connection.
    Closed(Reply<'a>),
}

/// Why a client session cannot go on (or why a verb was refused). Errors from
/// `handle_input` end the session; a `QUIT` may be queued: transmit it, then close.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientError {
    /// A reply the codec refuses (framing or grammar).
    Malformed(ParseError),
    /// A reply that does not fit what the client waits for (an unsolicited reply, a code
    /// outside what the command allows, a refused greeting or hello).
    Unexpected {
        /// What the client waited for.
        expected: Awaiting,
        /// The code that arrived.
        code: ReplyCode,
    },
    /// Octets after the `220` reply to STARTTLS, or handed in before the handshake ended:
    /// a response injection (CVE-2020-14954, CVE-2021-38371). The upgrade is refused.
    ReplyInjection,
    /// [`TlsPolicy::Required`](crate::TlsPolicy::Required): the server did not offer
    /// STARTTLS (or accepted only HELO). QUIT is queued.
    TlsNotOffered,
    /// `Required`: the server did not answer STARTTLS with `220`. QUIT is queued.
    TlsRefused(ReplyCode),
    /// `Required`: the TLS library did not verify the peer and the config does not accept
    /// unverified peers (RFC 3207 §4.1: quit when the security level is insufficient).
    PeerUnverified,
    /// Credentials are configured and the session is not encrypted: the password is not
    /// sent in the clear unless the config allows it. QUIT is queued.
    AuthInPlaintext,
    /// Credentials are configured and the server does not offer their mechanism (PLAIN or
    /// LOGIN for a password). QUIT is queued.
    AuthUnavailable,
    /// The server refused the credentials (e.g. `535`). QUIT is queued.
    AuthFailed(ReplyCode),
    /// The message is larger than the server's SIZE limit (RFC 1870 §6); nothing was sent.
    TooLarge {
        /// The body's size in octets.
        size: u64,
        /// The server's limit.
        limit: u64,
    },
    /// The message needs an extension the server does not offer (8BITMIME for 8-bit
    /// octets, SMTPUTF8 for an internationalised address); nothing was sent.
    ExtensionMissing(Extension),
    /// The body has an 8-bit octet at `offset` and the envelope declares `BODY=7BIT` (RFC
    /// 6152): nothing was sent (for a streamed body, the session ends).
    EightBitUndeclared {
        /// The body offset of the first 8-bit octet.
        offset: u64,
    },
    /// The message asks for REQUIRETLS and the session is not TLS with a verified peer
    /// (RFC 8689 §4.2.1); nothing was sent.
    RequireTlsUnverified,
    /// The body cannot be framed (a bare CR or LF, an over-long line); nothing was sent.
    Body(ParseError),
    /// A MAIL or RCPT line could not be built from the envelope's parameters.
    Build(BuildError),
    /// A verb was called when the session cannot take it (e.g. `submit` before
    /// [`ClientEvent::Ready`] or during a transaction).
    NotReady,
    /// [`send`](super::Client::send) was given a command that has its own verb or would
    /// change the session's state behind the machine's back (MAIL, RCPT, DATA, BDAT, EHLO,
    /// HELO, LHLO, STARTTLS, AUTH, QUIT).
    NotSendable,
    /// The envelope has no recipient.
    NoRecipients,
    /// The server answered `421`: it is closing the channel (RFC 5321 §3.8). A transaction in
    /// progress failed transiently: try again later.
    ServiceClosing {
        /// What the client waited for.
        awaiting: Awaiting,
        /// The code (421).
        code: ReplyCode,
    },
    /// The reply did not arrive in time (RFC 5321 §4.5.3.2).
    Timeout(Awaiting),
    /// The server closed the connection while a reply was awaited.
    PeerClosed(Awaiting),
    /// The session has ended.
    Closed,
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(e) => write!(f, "malformed reply: {e:?}"),
            Self::Unexpected { expected, code } => write!(f, "reply {code} while awaiting {expected:?}"),
            Self::ReplyInjection => f.write_str("octets after the 220 reply to STARTTLS (response injection)"),
            Self::TlsNotOffered => f.write_str("TLS required and STARTTLS not offered"),
            Self::TlsRefused(code) => write!(f, "TLS required and STARTTLS refused with {code}"),
            Self::PeerUnverified => f.write_str("TLS required and the peer was not verified"),
            Self::AuthInPlaintext => f.write_str("AUTH refused without TLS"),
            Self::AuthUnavailable => f.write_str("the server offers no usable AUTH mechanism"),
            Self::AuthFailed(code) => write!(f, "authentication failed with {code}"),
            Self::TooLarge { size, limit } => write!(f, "message of {size} octets over the server's SIZE {limit}"),
            Self::ExtensionMissing(ext) => write!(f, "the message needs {ext:?}, not offered"),
            Self::EightBitUndeclared { offset } => write!(f, "8-bit octet at body offset {offset} with BODY=7BIT"),
            Self::RequireTlsUnverified => f.write_str("REQUIRETLS needs TLS with a verified peer"),
            Self::Body(e) => write!(f, "body cannot be framed: {e:?}"),
            Self::Build(e) => write!(f, "envelope cannot be written: {e:?}"),
            Self::NotReady => f.write_str("the session is not ready for this"),
            Self::NotSendable => f.write_str("this command cannot be sent raw"),
            Self::NoRecipients => f.write_str("the envelope has no recipient"),
            Self::ServiceClosing { awaiting, code } => {
                write!(f, "the server is closing ({code}) awaiting {awaiting:?}")
            }
            Self::Timeout(a) => write!(f, "timed out awaiting {a:?}"),
            Self::PeerClosed(a) => write!(f, "the server closed the connection awaiting {a:?}"),
            Self::Closed => f.write_str("the session has ended"),
        }
    }
}
