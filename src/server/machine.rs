//! The public methods of [`Server`] and the order to call them in.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::time::Duration;

use super::config::ServerConfig;
use super::event::{Close, HelloKind, Lost, ServerError, ServerEvent};
use super::reply::{Canned, echo};
use super::state::{Framer, Pending, Phase, Server, Step};
use super::tls::TlsPending;
use crate::framing::LineFramer;
use crate::session::pipeline::OutQueue;
use crate::session::{Handled, PlaintextReason, TlsInfo, TlsOutcome, TlsPolicy, Transport};
use crate::{AuthMechanisms, Capability, EhloReply, Encode, Host, Reply, SaslChallenge};

/// Queued output past which [`Server::handle_input`] stops to let the caller transmit.
const OUT_CAP: usize = 16 * 1024;

impl Server {
    /// A server for a new plaintext connection (ports 25 and 587): the `220` greeting is
    /// queued at once. For implicit TLS (RFC 8314, port 465) start with
    /// [`TlsPending::implicit`] instead.
    ///
    /// `now` is any monotonic time (the same epoch on every call).
    pub fn new(config: Arc<ServerConfig>, now: Duration) -> Self {
        Self::fresh(config, now, None)
    }

    /// A server that turns a new plaintext connection away (RFC 5321 §3.1): the greeting is
    /// `554 <hostname> <text>` instead of `220`, every command but QUIT is answered
    /// `503 5.5.1` (a BDAT's octets are read first, RFC 3030 §2), and QUIT gets `221` and
    /// ends the session ([`ServerEvent::Closed`](super::ServerEvent::Closed) with
    /// [`Close::Quit`]). No question is asked: the application decided when it called this.
    /// The command timeout and [`ServerConfig::max_errors`] still end a
    /// session whose client never sends QUIT. `text` goes out as the greeting's does: a
    /// control character in it cannot break the reply. For implicit TLS, see
    /// [`TlsPending::turn_away`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use smtp_wire::{Close, Domain, Server, ServerConfig, ServerEvent};
    ///
    /// let config = Arc::new(ServerConfig::new(Domain::new("mx.example.org").unwrap()));
    /// let now = Duration::ZERO;
    /// let mut server = Server::turn_away(config, now, "No mail accepted from 192.0.2.7");
    /// let mut input: &[u8] = b"EHLO client.example\r\nQUIT\r\n";
    /// while !input.is_empty() {
    ///     let handled = server.handle_input(input, now).unwrap();
    ///     // No question is asked; the only event is the end of the session.
    ///     assert!(matches!(handled.event, None | Some(ServerEvent::Closed(Close::Quit))));
    ///     input = &input[handled.consumed..];
    /// }
    /// let mut out = Vec::new();
    /// server.poll_transmit(&mut out);
    /// assert_eq!(
    ///     out,
    ///     b"554 mx.example.org No mail accepted from 192.0.2.7\r\n503 5.5.1 Error: session refused, send QUIT\r\n221 2.0.0 Bye\r\n"
    /// );
    /// assert_eq!(server.closed(), Some(&Close::Quit));
    /// ```
    pub fn turn_away(config: Arc<ServerConfig>, now: Duration, text: &str) -> Self {
        Self::greeted(config, now, None, Some(text))
    }

    /// A server in the post-greeting state. `tls`: the connection is encrypted; RFC 3207
    /// §4.2: nothing from before the handshake is kept, since nothing is passed in.
    pub(super) fn fresh(config: Arc<ServerConfig>, now: Duration, tls: Option<(Transport, TlsInfo)>) -> Self {
        Self::greeted(config, now, tls, None)
    }

    /// [`fresh`](Self::fresh), greeting with `554` and `refusal` when that is given.
    pub(super) fn greeted(
        config: Arc<ServerConfig>,
        now: Duration,
        tls: Option<(Transport, TlsInfo)>,
        refusal: Option<&str>,
    ) -> Self {
        let limit = config.max_input_buffer();
        let greet = !matches!(tls, Some((Transport::StartTls, _)));
        let plaintext_reason = match config.tls_policy {
            TlsPolicy::Disabled => PlaintextReason::Disabled,
            _ => PlaintextReason::NotRequested,
        };
        let mut server = Self {
            phase: Phase::Command,
            framer: Framer(LineFramer::new(limit)),
            hello: None,
            tls,
            authenticated: false,
            tx: None,
            pending: None,
            out: OutQueue::default(),
            errors: 0,
            now,
            deadline: Some(now.saturating_add(config.timeouts.command)),
            partial: false,
            left: 0,
            fresh: false,
            drained: true,
            closing: false,
            closed: None,
            plaintext_reason,
            refused: refusal.is_some(),
            config,
        };
        if greet {
            // RFC 5321 §4.2, §4.3.1: "220 <domain> <text>" (§3.1: "554" to turn the session
            // away); the text goes through the echo helper, so it cannot break the reply.
            let code = if refusal.is_some() { 554 } else { 220 };
            let head = alloc::format!("{code} {} ", server.config.hostname);
            let text = refusal.map_or_else(|| server.config.greeting.clone(), alloc::string::String::from);
            echo(server.out.buf(), &head, text.as_bytes(), "");
            server.out.flush();
        }
        server
    }

    /// The configuration.
    pub fn config(&self) -> &Arc<ServerConfig> {
        &self.config
    }

    /// Hands in octets received from the client and reports how many were consumed and at
    /// most one event.
    ///
    /// Keep the unconsumed octets and present them again, with whatever arrives next, on the
    /// next call (the server never copies input; [`ServerEvent`]s borrow from `input`). Stop
    /// calling when a call consumes nothing and reports nothing: read more first. Call
    /// [`poll_transmit`](Self::poll_transmit) after every call.
    ///
    /// # Errors
    /// [`ServerError::DecisionPending`] while a question is unanswered,
    /// [`ServerError::Closed`] after the session ended, [`ServerError::TlsUpgradePending`]
    /// after [`ServerEvent::StartTls`] with no input, [`ServerError::TransmitFirst`] when
    /// more than 32 KiB of output is waiting (a loop that transmits after every call never
    /// sees it: a call stops once 16 KiB are queued). Nothing is consumed and nothing
    /// changes.
    pub fn handle_input<'a>(
        &mut self,
        input: &'a [u8],
        now: Duration,
    ) -> Result<Handled<ServerEvent<'a>>, ServerError> {
        if self.closing {
            // The application answered 421 (RFC 5321 §3.8): report the end once.
            self.closing = false;
            self.now = self.now.max(now);
            if let Some(why) = self.closed.clone() {
                return Ok(Handled { consumed: 0, event: Some(ServerEvent::Closed(why)) });
            }
        }
        if self.closed.is_some() {
            return Err(ServerError::Closed);
        }
        if self.pending.is_some() {
            return Err(ServerError::DecisionPending);
        }
        // Replies held for a pipelined group (RFC 2920 §3.2) may go out early; past the cap
        // they do, so what waits for the caller is only ever what it has not transmitted.
        if self.out.len() >= OUT_CAP {
            self.out.flush();
        }
        if self.out.flushable() > 2 * OUT_CAP {
            return Err(ServerError::TransmitFirst);
        }
        self.now = self.now.max(now);
        self.partial = false;
        self.fresh = input.len() > self.left;
        if self.phase == Phase::StartTls {
            if input.is_empty() {
                return Err(ServerError::TlsUpgradePending);
            }
            // Plaintext after the 220, before the handshake (CVE-2011-0411): never read it.
            let step = self.injection(0, input.len());
            return Ok(self.finish(step, 0, input.len()));
        }
        let mut consumed = 0usize;
        loop {
            let rest = input.get(consumed..).unwrap_or(&[]);
            let step = match self.phase {
                Phase::Command | Phase::AuthResponse => self.step_line(rest),
                Phase::Data(_) => self.step_data(rest),
                Phase::Chunk => self.step_chunk(rest),
                Phase::Skip { .. } => self.step_skip(rest),
                Phase::StartTls | Phase::Closed => Step::Blocked(0),
            };
            match step {
                Step::Progress(n) => {
                    consumed += n;
                    if self.out.len() >= OUT_CAP {
                        self.out.flush();
                        return Ok(self.finish(Step::Blocked(0), consumed, input.len()));
                    }
                }
                Step::Blocked(n) => {
                    consumed += n;
                    // Part of a command line is waiting (in the caller's buffer, or being
                    // skipped as over-long).
                    self.partial = consumed < input.len() || self.framer.0.is_skipping();
                    return Ok(self.finish(Step::Blocked(0), consumed, input.len()));
                }
                event @ Step::Event(..) => return Ok(self.finish(event, consumed, input.len())),
            }
        }
    }

    /// Turns the last step into the result (of `input_len` octets handed in), and sets the
    /// timer when the client was active: new octets arrived, or some were consumed. A call
    /// that re-presents the same unconsumed octets leaves the deadline where it was (RFC 5321
    /// §4.5.3.2 times the client's silence, not the caller's calls).
    fn finish<'a>(&mut self, step: Step<'a>, consumed: usize, input_len: usize) -> Handled<ServerEvent<'a>> {
        let (consumed, event) = match step {
            Step::Event(n, ev) => (consumed + n, Some(ev)),
            Step::Progress(n) | Step::Blocked(n) => {
                self.out.flush();
                (consumed + n, None)
            }
        };
        self.drained = consumed >= input_len;
        self.left = input_len.saturating_sub(consumed);
        if consumed > 0 || event.is_some() || self.fresh || self.deadline.is_none() {
            self.arm();
        }
        Handled { consumed, event }
    }

    /// Sets the deadline for what the server now waits for (RFC 5321 §4.5.3.2): none while
    /// the application decides or after the end.
    pub(super) fn arm(&mut self) {
        let wait = match self.phase {
            _ if self.pending.is_some() || self.closed.is_some() => None,
            Phase::Closed | Phase::StartTls => None,
            Phase::Data(_) | Phase::Chunk | Phase::Skip { .. } => Some(self.config.timeouts.data),
            Phase::Command | Phase::AuthResponse => Some(self.config.timeouts.command),
        };
        self.deadline = wait.map(|w| self.now.saturating_add(w));
    }

    /// Refuses the upgrade: octets followed STARTTLS (CVE-2011-0411).
    pub(super) fn injection<'a>(&mut self, n: usize, octets: usize) -> Step<'a> {
        // A configured reply that is not a refusal (4yz/5yz) would tell the client all is well.
        match self.config.starttls_injection_reply.clone().filter(|r| !r.code().is_positive()) {
            Some(reply) => reply.encode(self.out.buf()),
            None => self.put(Canned::Injection),
        }
        let why = Close::Violation(super::event::Violation::StartTlsInjection { octets });
        self.close(n, why)
    }

    /// Answers the pending question positively: the standard reply (`250` for HELO, MAIL,
    /// RCPT and the message; the EHLO list; `252` for VRFY/EXPN; `235` for AUTH).
    ///
    /// # Errors
    /// [`ServerError::NoQuestion`] if no question is pending.
    pub fn accept(&mut self) -> Result<(), ServerError> {
        self.answer_positive(None)
    }

    /// The positive answer, with the standard reply or `custom`.
    fn answer_positive(&mut self, custom: Option<&Reply<'_>>) -> Result<(), ServerError> {
        let pending = self.pending.take().ok_or(ServerError::NoQuestion)?;
        let standard = match pending {
            Pending::Hello(kind) => {
                self.tx = None;
                self.write_hello(kind);
                self.hello = Some(kind);
                None
            }
            Pending::Mail { utf8, body, undeclared_utf8 } => {
                let needs_smtputf8 = undeclared_utf8;
                self.tx = Some(super::state::Tx {
                    utf8,
                    body,
                    rcpts: 0,
                    bdat: None,
                    undeclared_8bit: false,
                    needs_smtputf8,
                    refused: false,
                });
                Some(Canned::MailOk)
            }
            Pending::Rcpt { undeclared_utf8 } => {
                if let Some(tx) = self.tx.as_mut() {
                    tx.rcpts += 1;
                    tx.needs_smtputf8 |= undeclared_utf8;
                }
                Some(Canned::RcptOk)
            }
            Pending::Vrfy | Pending::Expn => Some(Canned::VrfyCannot),
            Pending::Auth => {
                self.authenticated = true;
                Some(Canned::AuthOk)
            }
            Pending::Message { .. } => Some(Canned::MessageOk),
        };
        match (custom, standard) {
            (Some(reply), _) => reply.encode(self.out.buf()),
            (None, Some(r)) => self.put(r),
            (None, None) => {}
        }
        if let Pending::Message { left } = pending {
            self.next_delivery(left);
        }
        self.answered(pending);
        Ok(())
    }

    /// Answers the pending question negatively with `reply` (4yz or 5yz). The state is as if
    /// the command had not been sent; a refused message ends the transaction, a refused AUTH
    /// exchange ends the exchange. A `421` ends the session (RFC 5321 §3.8): nothing more is
    /// read, and the next [`handle_input`](Self::handle_input) reports
    /// [`Close::ByApplication`].
    ///
    /// A MAIL or RCPT reply goes out with the rest of its pipelined group (RFC 2920), at once
    /// when the command was the last input handed in.
    ///
    /// # Errors
    /// [`ServerError::NoQuestion`] if no question is pending, [`ServerError::WrongReplyClass`]
    /// for a positive reply, [`ServerError::NonAsciiReply`] for UTF-8 text outside an
    /// SMTPUTF8 transaction (nothing changes).
    pub fn reject(&mut self, reply: &Reply<'_>) -> Result<(), ServerError> {
        let pending = self.pending.ok_or(ServerError::NoQuestion)?;
        if reply.code().is_positive() {
            return Err(ServerError::WrongReplyClass);
        }
        self.check_text(reply, pending)?;
        self.pending = None;
        reply.encode(self.out.buf());
        if reply.code() == crate::ReplyCode::SERVICE_NOT_AVAILABLE {
            // RFC 5321 §3.8: 421 means the server is closing the channel.
            let _ = self.close(0, Close::ByApplication);
            self.closing = true;
            return Ok(());
        }
        if let Pending::Message { left } = pending {
            self.next_delivery(left);
        }
        self.answered(pending);
        Ok(())
    }

    /// Answers a MAIL, RCPT, VRFY, EXPN or message question positively with the
    /// application's own `reply` (2yz), e.g. `251 2.1.5 User not local` or a `250` with a
    /// queue id.
    ///
    /// # Errors
    /// [`ServerError::NoQuestion`] if no such question is pending (HELO/EHLO and AUTH have
    /// fixed positive replies), [`ServerError::WrongReplyClass`] unless `reply` is 2yz,
    /// [`ServerError::NonAsciiReply`] as for [`reject`](Self::reject).
    pub fn respond(&mut self, reply: &Reply<'_>) -> Result<(), ServerError> {
        match self.pending {
            None | Some(Pending::Hello(_) | Pending::Auth) => return Err(ServerError::NoQuestion),
            Some(_) if !reply.code().is_completion() => return Err(ServerError::WrongReplyClass),
            Some(pending) => self.check_text(reply, pending)?,
        }
        self.answer_positive(Some(reply))
    }

    /// RFC 6531 §3.7.4: UTF-8 reply text only in a transaction that declared SMTPUTF8 (for a
    /// MAIL question, the MAIL being answered), and never octets that are not UTF-8 (which
    /// only a reply parsed under loose reply text can hold).
    fn check_text(&self, reply: &Reply<'_>, pending: Pending) -> Result<(), ServerError> {
        let utf8 = match pending {
            Pending::Mail { utf8, .. } => utf8,
            _ => self.tx.is_some_and(|t| t.utf8),
        };
        if reply.is_ascii() || (utf8 && reply.is_utf8()) { Ok(()) } else { Err(ServerError::NonAsciiReply) }
    }

    /// Answers an AUTH question with a `334` challenge carrying `data` (base64-encoded here;
    /// RFC 4954 §4). The client's answer comes as [`ServerEvent::AuthResponse`].
    ///
    /// # Errors
    /// [`ServerError::NoQuestion`] unless an AUTH question is pending,
    /// [`ServerError::ChallengeTooLong`] if the line would exceed the SASL line limit.
    pub fn challenge(&mut self, data: &[u8]) -> Result<(), ServerError> {
        if self.pending != Some(Pending::Auth) {
            return Err(ServerError::NoQuestion);
        }
        if 6 + data.len().div_ceil(3) * 4 > self.config.limits.sasl_line() {
            return Err(ServerError::ChallengeTooLong);
        }
        self.pending = None;
        SaslChallenge::from_bytes(data).reply().encode(self.out.buf());
        self.phase = Phase::AuthResponse;
        self.answered(Pending::Auth);
        Ok(())
    }

    /// After an answer to `question`. MAIL and RCPT may be pipelined (RFC 2920 §3.1), so
    /// their replies wait for the end of the group (the next `handle_input` that runs out of
    /// commands), unless nothing of the client's was left unconsumed when the question was
    /// asked; every other question ends a group, and the client waits for its reply (the
    /// EHLO list, a `334`, the AUTH result, the message's reply), so it goes out now.
    fn answered(&mut self, question: Pending) {
        // A MAIL or RCPT that was the last command handed in ends its group too: the client
        // has nothing more buffered here and may be waiting for the reply.
        if self.drained || !matches!(question, Pending::Mail { .. } | Pending::Rcpt { .. }) {
            self.out.flush();
        }
        if self.pending.is_none() {
            self.arm();
        }
    }

    /// One LMTP answer given (RFC 2033 §4.2); the transaction ends with the last.
    fn next_delivery(&mut self, left: usize) {
        if left > 1 {
            self.pending = Some(Pending::Message { left: left - 1 });
        } else {
            self.tx = None;
            self.out.flush();
        }
    }

    /// The EHLO/LHLO list, derived from the configuration and the session, or HELO's line.
    fn write_hello(&mut self, kind: HelloKind) {
        let config = Arc::clone(&self.config);
        if kind == HelloKind::Helo {
            let head = alloc::format!("250 {}", config.hostname);
            echo(self.out.buf(), &head, b"", "");
            return;
        }
        let mut caps: Vec<Capability<'_>> = Vec::new();
        let in_tls = self.tls.is_some();
        let tls_gate = config.tls_policy == TlsPolicy::Required && !in_tls;
        if config.pipelining {
            caps.push(Capability::Pipelining);
        }
        caps.push(Capability::Size(config.max_message_size));
        if config.eight_bit_mime {
            caps.push(Capability::EightBitMime);
        }
        if config.chunking {
            caps.push(Capability::Chunking);
            if config.binarymime {
                caps.push(Capability::BinaryMime);
            }
        }
        if config.smtputf8 {
            caps.push(Capability::SmtpUtf8);
        }
        if config.dsn {
            caps.push(Capability::Dsn);
        }
        caps.push(Capability::EnhancedStatusCodes);
        if config.tls_policy != TlsPolicy::Disabled && !in_tls {
            caps.push(Capability::StartTls);
        }
        if let Some(mechanisms) = self.auth_offer() {
            caps.push(Capability::Auth { mechanisms: mechanisms.clone(), legacy: false });
        }
        if config.requiretls && in_tls {
            caps.push(Capability::RequireTls);
        }
        if config.vrfy && !tls_gate {
            caps.push(Capability::Vrfy);
        }
        let host = Host::Domain(config.hostname.clone());
        match EhloReply::new(&host, None, &caps) {
            Ok(reply) => reply.encode(self.out.buf()),
            Err(_) => {
                let head = alloc::format!("250 {}", config.hostname);
                echo(self.out.buf(), &head, b"", "");
            }
        }
    }

    /// The mechanisms AUTH offers now: configured, allowed without TLS or in TLS, and not
    /// before STARTTLS under [`TlsPolicy::Required`].
    pub(super) fn auth_offer(&self) -> Option<&AuthMechanisms<'static>> {
        let in_tls = self.tls.is_some();
        let allowed = in_tls || (self.config.auth_plaintext && self.config.tls_policy != TlsPolicy::Required);
        self.config.auth_mechanisms.as_ref().filter(|m| allowed && !m.is_empty())
    }

    /// Moves the replies that may go out now (a pipelined group has ended, RFC 2920 §3.2) to
    /// `out`; `true` if there were any. Write them to the connection in order.
    pub fn poll_transmit(&mut self, out: &mut Vec<u8>) -> bool {
        self.out.transmit(out)
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next, if at all.
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.deadline
    }

    /// Tells the server the time; past the deadline (RFC 5321 §4.5.3.2) it queues
    /// `421 4.4.2` and ends the session with [`Close::Timeout`].
    pub fn handle_timeout(&mut self, now: Duration) {
        self.now = self.now.max(now);
        match self.deadline {
            Some(deadline) if now >= deadline && self.closed.is_none() => {
                self.put(Canned::Timeout);
                let _ = self.close(0, Close::Timeout);
            }
            _ => {}
        }
    }

    /// Tells the server the client closed the connection. Ends the session with
    /// [`Close::PeerClosed`] saying what was lost, and returns it (or the earlier ending).
    pub fn peer_closed(&mut self) -> Close {
        if let Some(c) = &self.closed {
            return c.clone();
        }
        let lost = match (self.pending, self.phase) {
            (Some(Pending::Auth), _) | (_, Phase::AuthResponse) => Lost::AuthExchange,
            (Some(Pending::Message { .. }), _) => Lost::Message,
            (Some(_), _) => Lost::Decision,
            (_, Phase::Data(_) | Phase::Chunk | Phase::Skip { .. }) => Lost::Message,
            _ if self.tx.is_some() => Lost::Transaction,
            _ if self.partial => Lost::PartialCommand,
            _ => Lost::Nothing,
        };
        let why = Close::PeerClosed { lost };
        let _ = self.close(0, why.clone());
        self.out = OutQueue::default();
        why
    }

    /// How the session ended, once it has.
    pub fn closed(&self) -> Option<&Close> {
        self.closed.as_ref()
    }

    /// Whether the client has authenticated (RFC 4954 §6: `235` sent).
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// Whether a question waits for an answer.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// What became of TLS on this session so far.
    pub fn tls_outcome(&self) -> TlsOutcome {
        match &self.tls {
            Some((transport, info)) => TlsOutcome::Encrypted { transport: *transport, info: info.clone() },
            None => TlsOutcome::Plaintext(self.plaintext_reason),
        }
    }

    /// After [`ServerEvent::StartTls`] and once its `220` has been transmitted: the server
    /// becomes a [`TlsPending`] (it has no `handle_input`); run the handshake, then call
    /// [`TlsPending::established`] for a fresh server (RFC 3207 §4.2).
    ///
    /// # Errors
    /// Gives the server back unchanged if STARTTLS was not accepted or the `220` is still
    /// waiting in [`poll_transmit`](Self::poll_transmit).
    // The server comes back by value on misuse, unchanged: boxing it would cost every caller
    // an allocation for a rare error.
    #[allow(clippy::result_large_err)]
    pub fn into_tls(self) -> Result<TlsPending, Self> {
        if self.phase == Phase::StartTls && self.out.is_empty() && self.closed.is_none() {
            Ok(TlsPending::new(self.config, Transport::StartTls))
        } else {
            Err(self)
        }
    }
}
