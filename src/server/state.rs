//! The server's state: what it remembers between calls. Kept apart from the code that
//! changes it so the modules form a DAG (`machine`, `command` and `body` all build on this).

use alloc::sync::Arc;
use core::time::Duration;

use super::config::ServerConfig;
use super::event::{Close, HelloKind};
use crate::BodyType;
use crate::framing::{BdatDecoder, BodyConfig, DataDecoder, LineFramer};
use crate::session::pipeline::OutQueue;
use crate::session::{PlaintextReason, TlsInfo, Transport};

/// A sans-IO SMTP server session (RFC 5321): it reads the client's octets, enforces the
/// protocol, asks the application what to do with each envelope step and message, and
/// writes the replies. It does no IO, reads no clock and links no TLS library.
///
/// # Call order
/// 1. [`Server::new`] (plaintext; the `220` greeting is queued) or
///    [`TlsPending::implicit`](super::TlsPending::implicit) for implicit TLS.
/// 2. Whenever octets arrive, append them to your buffer and call
///    [`handle_input`](Self::handle_input) with all unconsumed octets, dropping what each
///    call consumed, until a call consumes nothing and reports nothing.
///    - An event that asks a question (HELO/EHLO/LHLO, MAIL, RCPT, VRFY, EXPN, AUTH steps,
///      the end of a message) is answered with [`accept`](Self::accept),
///      [`reject`](Self::reject), [`respond`](Self::respond) or
///      [`challenge`](Self::challenge) before the next `handle_input`.
///    - [`ServerEvent::Body`](super::ServerEvent::Body) borrows message octets from your
///      buffer: store them before the next call.
/// 3. After every call, [`poll_transmit`](Self::poll_transmit) into your output buffer and
///    write it to the connection. Replies to pipelined commands are released when the group
///    ends (RFC 2920 §3.2).
/// 4. Arm a timer at [`poll_timeout`](Self::poll_timeout); when it fires, call
///    [`handle_timeout`](Self::handle_timeout) (RFC 5321 §4.5.3.2: `421 4.4.2`).
/// 5. On [`ServerEvent::StartTls`](super::ServerEvent::StartTls): transmit, then
///    [`into_tls`](Self::into_tls), run the handshake, and continue with the server
///    [`TlsPending::established`](super::TlsPending::established) returns. Your buffer is
///    empty at that point (octets behind STARTTLS end the session instead).
/// 6. When the client closes the connection, call [`peer_closed`](Self::peer_closed). When
///    [`closed`](Self::closed) is `Some` (or [`ServerEvent::Closed`](super::ServerEvent::Closed) came), transmit what is
///    left and close.
///
/// # Buffer size
/// The unconsumed input is never longer than
/// [`ServerConfig::max_input_buffer`](super::ServerConfig::max_input_buffer) octets (12288
/// by default: the SASL line limit of RFC 4954 §4), plus whatever one read appends: the
/// server consumes over-long lines and all body octets as they come.
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use smtp_wire::{Domain, Server, ServerConfig, ServerEvent};
///
/// let config = Arc::new(ServerConfig::new(Domain::new("mx.example.org").unwrap()));
/// let mut server = Server::new(config, Duration::ZERO);
/// let (mut buf, mut wire_out, mut message) = (Vec::new(), Vec::new(), Vec::new());
/// // What the client sends, in the reads the network happens to deliver.
/// let reads: [&[u8]; 3] = [
///     b"EHLO client.example\r\n",
///     b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n",
///     b"Subject: hi\r\n\r\nHello\r\n.\r\nQUIT\r\n",
/// ];
/// for read in reads {
///     buf.extend_from_slice(read);
///     loop {
///         let now = Duration::from_secs(1); // your monotonic clock
///         let handled = server.handle_input(&buf, now).unwrap();
///         let consumed = handled.consumed;
///         match handled.event {
///             Some(ServerEvent::Body(octets)) => message.extend_from_slice(octets),
///             Some(ServerEvent::Closed(_)) => break,
///             Some(_) if server.is_pending() => server.accept().unwrap(), // your policy here
///             Some(_) => {}
///             None if consumed == 0 => break,
///             None => {}
///         }
///         buf.drain(..consumed);
///         server.poll_transmit(&mut wire_out); // write these octets to the connection
///     }
/// }
/// server.poll_transmit(&mut wire_out);
/// assert_eq!(message, b"Subject: hi\r\n\r\nHello\r\n");
/// let replies = String::from_utf8(wire_out).unwrap();
/// assert!(replies.starts_with("220 mx.example.org ESMTP\r\n250-mx.example.org\r\n"));
/// assert!(replies.ends_with("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued\r\n221 2.0.0 Bye\r\n"));
/// assert!(server.closed().is_some());
/// ```
///
/// `Server` is `Clone`, `Eq` and `Hash` and holds no randomness or global state, so a model
/// checker can explore its states.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Server {
    pub(super) config: Arc<ServerConfig>,
    pub(super) phase: Phase,
    pub(super) framer: Framer,
    pub(super) hello: Option<HelloKind>,
    pub(super) tls: Option<(Transport, TlsInfo)>,
    pub(super) authenticated: bool,
    pub(super) tx: Option<Tx>,
    pub(super) pending: Option<Pending>,
    pub(super) out: OutQueue,
    pub(super) errors: u32,
    /// The latest `now` handed in.
    pub(super) now: Duration,
    pub(super) deadline: Option<Duration>,
    /// The last `handle_input` left octets unconsumed that were not a whole line.
    pub(super) partial: bool,
    /// Octets the last `handle_input` left unconsumed: a call handed more than these got new
    /// octets from the client.
    pub(super) left: usize,
    /// This call was handed octets the last one was not.
    pub(super) fresh: bool,
    /// The last `handle_input` consumed all it was given: nothing of the client's is
    /// buffered, so a pipelined group has ended (RFC 2920 §3.2).
    pub(super) drained: bool,
    /// The application ended the session with a `421` (RFC 5321 §3.8); the next
    /// `handle_input` reports it as [`ServerEvent::Closed`](super::ServerEvent::Closed).
    pub(super) closing: bool,
    pub(super) closed: Option<Close>,
    pub(super) plaintext_reason: PlaintextReason,
    /// The session was turned away with `554` (RFC 5321 §3.1): only QUIT is taken.
    pub(super) refused: bool,
}

/// Where the server is in the input stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Phase {
    /// Reading command lines.
    Command,
    /// Reading a SASL response line (after a `334`).
    AuthResponse,
    /// Reading a DATA body.
    Data(Data),
    /// Reading a BDAT chunk into the transaction's decoder.
    Chunk,
    /// Skipping the octets of a BDAT chunk that was refused on its command line; the reply
    /// goes out once they are read (RFC 3030 §2).
    Skip {
        /// Octets left.
        remaining: u64,
        /// The reply after them.
        reply: super::reply::Canned,
    },
    /// `220` sent to STARTTLS: nothing more is read in plaintext.
    StartTls,
    /// The session has ended.
    Closed,
}

/// An open mail transaction (MAIL accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Tx {
    /// `SMTPUTF8` on MAIL: UTF-8 allowed in RCPT (RFC 6531 §3.4).
    pub(super) utf8: bool,
    /// `BODY=` on MAIL.
    pub(super) body: Option<BodyType>,
    /// Accepted recipients.
    pub(super) rcpts: usize,
    /// BDAT chunks have started (DATA is then a sequence error, RFC 3030 §2).
    pub(super) bdat: Option<Bdat>,
    /// The body so far has 8-bit octets and `BODY=` did not declare them (RFC 6152 §3).
    pub(super) undeclared_8bit: bool,
    /// An accepted path is UTF-8 although MAIL did not declare `SMTPUTF8` (RFC 6531 §3.2).
    pub(super) needs_smtputf8: bool,
    /// A BDAT chunk was refused and `MessageRefused` reported: the rest of the message is
    /// read and answered, never reported again.
    pub(super) refused: bool,
}

/// A question waiting for the application, with what its answer needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Pending {
    Hello(HelloKind),
    Mail {
        utf8: bool,
        body: Option<BodyType>,
        /// A UTF-8 reverse path without `SMTPUTF8` (accepted under `utf8_envelope`).
        undeclared_utf8: bool,
    },
    Rcpt {
        /// A UTF-8 forward path without `SMTPUTF8` on MAIL (accepted under `utf8_envelope`).
        undeclared_utf8: bool,
    },
    Vrfy,
    Expn,
    Auth,
    /// End of message; in LMTP `left` answers are still owed.
    Message {
        left: usize,
    },
}

/// The body decoder's configuration for this server and transaction.
pub(super) fn body_config(config: &ServerConfig, body: Option<BodyType>) -> BodyConfig {
    let base = if body == Some(BodyType::BinaryMime) {
        BodyConfig::BINARYMIME
    } else {
        BodyConfig::STRICT.with_bare_line_ends(config.bare_line_ends).with_max_line(config.max_body_line)
    };
    base.with_max_size(config.max_message_size)
}

/// [`DataDecoder`] in a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Data(pub(super) DataDecoder);

/// [`BdatDecoder`] in a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Bdat(pub(super) BdatDecoder);

/// [`LineFramer`] of the command lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Framer(pub(super) LineFramer);

/// What one step of input handling did.
#[derive(Debug)]
pub(super) enum Step<'a> {
    /// Consumed octets (or changed phase); go on.
    Progress(usize),
    /// Consumed octets and produced an event: return it.
    Event(usize, super::event::ServerEvent<'a>),
    /// Consumed octets and can do no more with this input.
    Blocked(usize),
}

impl Server {
    /// Queues a fixed reply.
    pub(super) fn put(&mut self, r: super::reply::Canned) {
        super::reply::put(self.out.buf(), r);
    }

    /// Queues a fixed error reply for a failed command that consumed `n` octets, counting it
    /// towards the error limit; past the limit the session ends with `421 4.7.0`.
    pub(super) fn fail<'a>(&mut self, n: usize, r: super::reply::Canned) -> Step<'a> {
        self.put(r);
        self.count_error(n)
    }

    /// Counts a client error (its reply already queued).
    pub(super) fn count_error<'a>(&mut self, n: usize) -> Step<'a> {
        self.errors = self.errors.saturating_add(1);
        if self.errors > self.config.max_errors {
            self.put(super::reply::Canned::TooManyErrors);
            return self.close(n, Close::TooManyErrors);
        }
        Step::Progress(n)
    }

    /// Ends the session (its last reply already queued) and reports it.
    pub(super) fn close<'a>(&mut self, n: usize, why: Close) -> Step<'a> {
        self.phase = Phase::Closed;
        self.pending = None;
        self.deadline = None;
        self.closed = Some(why.clone());
        self.out.flush();
        Step::Event(n, super::event::ServerEvent::Closed(why))
    }
}
