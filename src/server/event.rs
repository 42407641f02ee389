//! What the server tells the application: events, how a session ended, and caller errors.

use core::fmt;

use crate::framing::BodySummary;
use crate::{Base64, ForwardPath, Host, InitialResponse, Mechanism, Params, ParseError, ReversePath, SmtpString};

/// Which greeting the client used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HelloKind {
    /// `HELO` (RFC 5321 §4.1.1.1): no extensions.
    Helo,
    /// `EHLO` (RFC 5321 §4.1.1.1).
    Ehlo,
    /// `LHLO` (RFC 2033 §4.1).
    Lhlo,
}

/// What happened on the session. Events marked *question* wait for the application's answer
/// ([`Server::accept`](super::Server::accept), [`Server::reject`](super::Server::reject), or
/// the event's own verbs); until then [`Server::handle_input`](super::Server::handle_input)
/// refuses input with [`ServerError::DecisionPending`].
///
/// Events borrow from the input slice that was handed in (nothing is copied).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServerEvent<'a> {
    /// *Question*: the client greeted (RFC 5321 §4.1.1.1, RFC 2033 §4.1). Accept sends the
    /// `250` (the EHLO list for EHLO and LHLO).
    Hello {
        /// HELO, EHLO or LHLO.
        kind: HelloKind,
        /// The name the client gave (not verified).
        host: Host<'a>,
    },
    /// *Question*: `MAIL FROM` (RFC 5321 §4.1.1.2), after the server's own checks (sequence,
    /// parameters, declared SIZE). Accept sends `250 2.1.0 Ok` and opens the transaction.
    Mail {
        /// The sender.
        reverse_path: ReversePath<'a>,
        /// The parameters, every one of them offered by this server.
        params: Params<'a>,
    },
    /// *Question*: `RCPT TO` (RFC 5321 §4.1.1.3). Accept sends `250 2.1.5 Ok`.
    Rcpt {
        /// The recipient.
        forward_path: ForwardPath<'a>,
        /// The parameters.
        params: Params<'a>,
    },
    /// *Question*: `VRFY` (RFC 5321 §4.1.1.6; only when [`vrfy`](super::ServerConfig::vrfy)
    /// is on). Accept sends `252`; answer with [`Server::respond`](super::Server::respond)
    /// to give a `250`/`251`.
    Vrfy {
        /// What to verify.
        arg: SmtpString<'a>,
    },
    /// *Question*: `EXPN` (RFC 5321 §4.1.1.7; only when [`expn`](super::ServerConfig::expn)
    /// is on), answered like [`ServerEvent::Vrfy`].
    Expn {
        /// The list to expand.
        arg: SmtpString<'a>,
    },
    /// *Question*: `AUTH` (RFC 4954 §4). Answer with
    /// [`Server::challenge`](super::Server::challenge) (a `334`), `accept` (`235 2.7.0`) or
    /// `reject` (e.g. `535 5.7.8`). Decode the response with the helpers in
    /// [`sasl`](crate::sasl). `Debug` shows no credentials.
    Auth {
        /// The mechanism, one the server offers.
        mechanism: Mechanism<'a>,
        /// The initial response, if sent (`=` is [`InitialResponse::Empty`]).
        initial_response: Option<InitialResponse<'a>>,
    },
    /// *Question*: the client's answer to a `334` challenge (RFC 4954 §4), base64 checked.
    /// Answered like [`ServerEvent::Auth`].
    AuthResponse {
        /// The response (its `Debug` is redacted).
        response: Base64<'a>,
    },
    /// The client cancelled an AUTH exchange with `*` (RFC 4954 §4), or sent invalid base64;
    /// the server answered `501`. Forget the exchange.
    AuthAborted,
    /// Message octets, dot-stuffing removed (DATA) or as sent (BDAT), borrowed from the
    /// input. Append them to the message being received.
    Body(&'a [u8]),
    /// *Question*: the message is complete and the body was accepted by the framing (end of
    /// data at `CRLF.CRLF` only, size and line limits, no bare CR/LF). Accept sends
    /// `250 2.0.0 Ok: queued`. In LMTP mode there is one answer per accepted recipient
    /// (`recipients` of them, RFC 2033 §4.2), in the order they were accepted.
    MessageComplete {
        /// Sizes of the body.
        summary: BodySummary,
        /// Accepted recipients (the number of answers LMTP needs).
        recipients: usize,
        /// The body has 8-bit octets but MAIL declared neither `BODY=8BITMIME` nor
        /// `BINARYMIME` (RFC 6152 §3).
        undeclared_8bit: bool,
        /// An accepted path is UTF-8 although MAIL did not declare `SMTPUTF8` (accepted under
        /// [`ServerConfig::utf8_envelope`](super::ServerConfig::utf8_envelope)): relay the
        /// message only to a server that offers SMTPUTF8 (RFC 6531 §3.2), or bounce it.
        needs_smtputf8: bool,
    },
    /// The body was refused by the framing (bare line end, size, line length, RFC 3030
    /// errors; with [`reject_undeclared_8bit`](super::ServerConfig::reject_undeclared_8bit),
    /// [`NonAscii`](crate::ParseErrorKind::NonAscii) at offset 0) and the server answered with a 5yz: discard what [`ServerEvent::Body`] gave.
    /// The transaction is over. For BDAT it comes at the first refused chunk (RFC 3030 §2),
    /// once: the chunks that follow up to `LAST` are read and answered without events.
    MessageRefused {
        /// Why, at which octet of the body.
        reason: ParseError,
    },
    /// STARTTLS was accepted and `220` queued: transmit it, then turn the server into a
    /// [`TlsPending`](super::TlsPending) with [`Server::into_tls`](super::Server::into_tls) and
    /// run the handshake. Nothing else is read in plaintext.
    StartTls,
    /// The session has ended; transmit what is left and close the connection.
    Closed(Close),
}

/// How a session ended.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Close {
    /// The client sent QUIT and got `221`.
    Quit,
    /// The client was silent too long; the server sent `421 4.4.2` (RFC 5321 §4.5.3.2).
    Timeout,
    /// Too many failed commands; the server sent `421 4.7.0`.
    TooManyErrors,
    /// The client closed the connection; `lost` says what was in progress.
    PeerClosed {
        /// What was in progress and is lost.
        lost: Lost,
    },
    /// The client broke a rule the session cannot go on after.
    Violation(Violation),
    /// The application answered a question with `421` (RFC 5321 §3.8: the server closes the
    /// channel).
    ByApplication,
}

/// What was in progress when the client closed the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lost {
    /// Nothing: the session was between commands and transactions.
    Nothing,
    /// Part of a command line had arrived.
    PartialCommand,
    /// A mail transaction was open (MAIL accepted) and no message completed.
    Transaction,
    /// A message body was being received.
    Message,
    /// An AUTH exchange was in progress.
    AuthExchange,
    /// The application had not answered a question yet.
    Decision,
}

/// A rule broken by the client that ends the session; the application may log it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Violation {
    /// Octets followed `STARTTLS` before TLS was up (CVE-2011-0411, the 2021 "NO STARTTLS"
    /// command injection): the upgrade was refused.
    StartTlsInjection {
        /// How many octets were handed in after the STARTTLS line.
        octets: usize,
    },
    /// A bare CR or LF in a command line (RFC 5321 §2.3.8): the stream cannot be trusted.
    BareLineEnd(ParseError),
    /// A BDAT command whose size could not be read: where the next command starts is
    /// unknowable (RFC 3030 §2; Postfix hangs up likewise).
    BdatSyntax,
}

/// The caller used the server out of order. Nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServerError {
    /// An event asked a question that has not been answered.
    DecisionPending,
    /// An answer was given when no question was asked, or the wrong kind of answer.
    NoQuestion,
    /// A reply of the wrong class for the answer (`reject` needs 4yz/5yz, `respond` 2yz).
    WrongReplyClass,
    /// A reply with UTF-8 text outside a transaction that declared SMTPUTF8 (RFC 6531
    /// §3.7.4: only then may a server send UTF-8 text), or with text that is not UTF-8 at
    /// all (a reply parsed under
    /// [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text)).
    NonAsciiReply,
    /// A challenge too long for a SASL line (RFC 4954 §4).
    ChallengeTooLong,
    /// The session has ended.
    Closed,
    /// STARTTLS was accepted: call [`Server::into_tls`](super::Server::into_tls).
    TlsUpgradePending,
    /// Too much output is waiting: call [`Server::poll_transmit`](super::Server::poll_transmit).
    TransmitFirst,
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DecisionPending => "a question is waiting for an answer",
            Self::NoQuestion => "no such question is waiting",
            Self::WrongReplyClass => "reply of the wrong class for this answer",
            Self::NonAsciiReply => "UTF-8 reply text outside an SMTPUTF8 transaction",
            Self::ChallengeTooLong => "SASL challenge longer than a SASL line",
            Self::Closed => "the session has ended",
            Self::TlsUpgradePending => "STARTTLS accepted: call into_tls",
            Self::TransmitFirst => "output waiting: call poll_transmit",
        })
    }
}

impl core::error::Error for ServerError {}
