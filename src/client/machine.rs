//! The public methods of [`Client`]: input, output, time, and the application's verbs.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::time::Duration;

use super::config::ClientConfig;
use super::event::{Awaiting, ClientError, ClientEvent};
use super::state::{Client, Phase};
use super::tls::ClientTlsPending;
use crate::session::{Handled, Transport};
use crate::{Command, CommandBody, Encode, Reply, Status};

impl Client {
    /// A client on a fresh plaintext connection (ports 25 and 587), waiting for the
    /// server's greeting. For implicit TLS (465) start from
    /// [`ClientTlsPending::implicit`] instead.
    pub fn new(config: Arc<ClientConfig>, now: Duration) -> Self {
        Self::fresh(config, now, None, Phase::Greeting)
    }

    /// The configuration.
    pub fn config(&self) -> &Arc<ClientConfig> {
        &self.config
    }

    /// Reads at most one reply from the front of `input` (octets received, not yet
    /// consumed) and reports what it decided. Drop `consumed` octets from the front of the
    /// buffer; call again while an event comes back (an event may be reported with
    /// `consumed: 0` when one reply decided two things). The machine copies no input.
    ///
    /// # Errors
    /// Every error ends the session (a `QUIT` may be queued: transmit it, then close):
    /// [`ClientError::Malformed`], [`ClientError::Unexpected`] (an unsolicited reply, a
    /// refused greeting or hello, a code the command does not allow),
    /// [`ClientError::ReplyInjection`] (octets behind the `220` to STARTTLS, or any octet
    /// after [`ClientEvent::StartTls`]), [`ClientError::TlsNotOffered`] /
    /// [`ClientError::TlsRefused`] under [`TlsPolicy::Required`](crate::TlsPolicy::Required), [`ClientError::Closed`]
    /// after the end.
    pub fn handle_input<'a>(
        &mut self,
        input: &'a [u8],
        now: Duration,
    ) -> Result<Handled<ClientEvent<'a>>, ClientError> {
        if let Some(event) = self.queued.take() {
            return Ok(Handled { consumed: 0, event: Some(event) });
        }
        self.now = self.now.max(now);
        match self.phase {
            Phase::Closed if !input.is_empty() => return Err(ClientError::Closed),
            Phase::TlsReady if !input.is_empty() => return Err(self.abort(false, ClientError::ReplyInjection)),
            _ => {}
        }
        // Replies that decide nothing the application must see (a MAIL accepted, a 354)
        // are read on, so `event: None` always means "read more".
        let mut consumed = 0;
        loop {
            let Some(rest) = input.get(consumed..).filter(|r| !r.is_empty()) else {
                return Ok(Handled { consumed, event: None });
            };
            match Reply::parse_prefix_with(rest, &self.config.parse_options) {
                Err(e) => return Err(self.abort(true, ClientError::Malformed(e))),
                Ok(Status::Incomplete) => return Ok(Handled { consumed, event: None }),
                Ok(Status::Complete { value, consumed: n }) => {
                    consumed += n;
                    let last = consumed == input.len();
                    if let Some(event) = self.on_reply(value, last)? {
                        return Ok(Handled { consumed, event: Some(event) });
                    }
                    if self.phase == Phase::Closed {
                        return Ok(Handled { consumed, event: None });
                    }
                }
            }
        }
    }

    /// Moves the octets to send to `out`; `true` if there were any.
    pub fn poll_transmit(&mut self, out: &mut Vec<u8>) -> bool {
        if self.out.is_empty() {
            return false;
        }
        out.append(&mut self.out);
        true
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called if no reply arrives.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.deadline
    }

    /// Tells the machine the time; past the deadline of the awaited reply (RFC 5321
    /// §4.5.3.2) the session ends.
    ///
    /// # Errors
    /// [`ClientError::Timeout`] naming the reply that did not come: close the connection.
    pub fn handle_timeout(&mut self, now: Duration) -> Result<(), ClientError> {
        self.now = self.now.max(now);
        match self.deadline {
            Some(deadline) if self.now >= deadline => {
                let awaiting = self.awaiting();
                Err(self.abort(false, ClientError::Timeout(awaiting)))
            }
            _ => Ok(()),
        }
    }

    /// The server closed the connection. Fine after QUIT or between commands.
    ///
    /// # Errors
    /// [`ClientError::PeerClosed`] naming the reply that was awaited.
    pub fn peer_closed(&mut self) -> Result<(), ClientError> {
        let awaiting = self.awaiting();
        let quiet = matches!(self.phase, Phase::Closed | Phase::Quitting | Phase::Ready);
        self.abort(false, ClientError::Closed);
        if quiet { Ok(()) } else { Err(ClientError::PeerClosed(awaiting)) }
    }

    /// Whether [`submit`](Self::submit) may be called.
    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Ready && self.queued.is_none()
    }

    /// Whether [`body_chunk`](Self::body_chunk) takes a piece now: after
    /// [`ClientEvent::SendBody`] until the last piece, except while a BDAT chunk waits for its
    /// reply in lock step (no PIPELINING, or LMTP).
    pub fn wants_body(&self) -> bool {
        self.txn.as_ref().is_some_and(|t| t.wants_body)
    }

    /// Whether the session has ended.
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// Sends one command the application builds (NOOP, RSET, VRFY, EXPN, HELP, ETRN, or an
    /// extension's verb) between transactions; its reply comes back as
    /// [`ClientEvent::Reply`]. Under [`TlsPolicy::Required`](crate::TlsPolicy::Required) nothing is sent before TLS
    /// (the session is never ready before it).
    ///
    /// # Errors
    /// [`ClientError::NotReady`] outside [`ClientEvent::Ready`], [`ClientError::NotSendable`]
    /// for the commands that have their own verb or would change the session's state (MAIL,
    /// RCPT, DATA, BDAT, the hellos, STARTTLS, AUTH, QUIT).
    pub fn send(&mut self, command: &Command<'_>) -> Result<(), ClientError> {
        if !self.is_ready() {
            return Err(ClientError::NotReady);
        }
        match command.body() {
            CommandBody::Mail { .. }
            | CommandBody::Rcpt { .. }
            | CommandBody::Data
            | CommandBody::Bdat { .. }
            | CommandBody::Ehlo { .. }
            | CommandBody::Helo { .. }
            | CommandBody::Lhlo { .. }
            | CommandBody::StartTls
            | CommandBody::Auth { .. }
            | CommandBody::Quit => return Err(ClientError::NotSendable),
            CommandBody::Rset => self.needs_rset = false,
            _ => {}
        }
        self.write(&command.to_vec(), Awaiting::Sent);
        self.phase = Phase::Sent;
        Ok(())
    }

    /// Ends the session politely (RFC 5321 §4.1.1.10): QUIT is queued; the `221` comes as
    /// [`ClientEvent::Closed`].
    ///
    /// # Errors
    /// [`ClientError::NotReady`] during a transaction or a TLS negotiation,
    /// [`ClientError::Closed`] after the end.
    pub fn quit(&mut self) -> Result<(), ClientError> {
        match self.phase {
            Phase::Closed | Phase::Quitting => Err(ClientError::Closed),
            Phase::Ready if self.queued.is_none() => {
                self.write(&Command::quit().to_vec(), Awaiting::Quit);
                self.phase = Phase::Quitting;
                Ok(())
            }
            _ => Err(ClientError::NotReady),
        }
    }

    /// After [`ClientEvent::StartTls`] (and after transmitting what is queued): the
    /// boundary: the client becomes a [`ClientTlsPending`] (it has no `handle_input`); run
    /// the handshake, then [`ClientTlsPending::established`] gives a fresh client (RFC 3207
    /// §4.2).
    ///
    /// # Errors
    /// Gives the client back unchanged at any other time, or while `STARTTLS` is still
    /// waiting in [`poll_transmit`](Self::poll_transmit).
    // Given back by value on misuse, as the server does: boxing would cost every caller an
    // allocation for a rare error.
    #[allow(clippy::result_large_err)]
    pub fn into_tls(self) -> Result<ClientTlsPending, Self> {
        if self.phase == Phase::TlsReady && self.out.is_empty() {
            Ok(ClientTlsPending::new(self.config, Transport::StartTls))
        } else {
            Err(self)
        }
    }
}
