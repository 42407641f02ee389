//! Reading one reply: what it answers, what it decides, what is written next.

use alloc::vec::Vec;

use super::event::{Awaiting, ClientError, ClientEvent};
use super::state::{BodyStream, Caps, Client, Phase, Txn};
use crate::session::{PlaintextReason, TlsPolicy};
use crate::{Command, EhloReply, Encode, Extension, Reply};

/// Whether `reply` is a positive completion (2yz, RFC 5321 §4.2.1).
fn ok(reply: &Reply<'_>) -> bool {
    reply.code().is_completion()
}

impl Client {
    /// The session cannot go on: queue QUIT where the connection still allows one.
    pub(super) fn abort(&mut self, quit: bool, error: ClientError) -> ClientError {
        // Inside a DATA body a QUIT would be body text: the connection just closes.
        let in_body = self.txn.as_ref().is_some_and(|t| t.wants_body && matches!(t.stream, Some(BodyStream::Data(_))));
        if quit && !in_body {
            Command::quit().encode(&mut self.out);
        }
        self.phase = Phase::Closed;
        self.expect.clear();
        self.txn = None;
        self.queued = None;
        self.deadline = None;
        error
    }

    pub(super) fn unexpected(&mut self, expected: Awaiting, reply: &Reply<'_>) -> ClientError {
        let code = reply.code();
        self.abort(true, ClientError::Unexpected { expected, code })
    }

    /// Writes the hello: EHLO (RFC 5321 §4.1.1.1), HELO as the fallback, LHLO in LMTP
    /// mode (RFC 2033 §4.1).
    pub(super) fn hello(&mut self, helo: bool) {
        let host = self.config.hostname.clone();
        let cmd = if self.config.lmtp {
            Command::lhlo(host)
        } else if helo {
            Command::helo(host)
        } else {
            Command::ehlo(host)
        };
        self.write(&cmd.to_vec(), Awaiting::Hello);
        self.phase = Phase::Hello { helo };
    }

    /// The session may carry mail: report it with its outcome.
    pub(super) fn ready<'a>(&mut self) -> ClientEvent<'a> {
        self.phase = Phase::Ready;
        ClientEvent::Ready(self.tls_outcome())
    }

    /// Handles one complete reply. `last` says whether it ended the input handed in.
    pub(super) fn on_reply<'a>(
        &mut self,
        reply: Reply<'a>,
        last: bool,
    ) -> Result<Option<ClientEvent<'a>>, ClientError> {
        let awaiting = self.awaiting();
        if awaiting != Awaiting::Greeting {
            self.expect.pop_front();
        }
        // RFC 5321 §3.8: a 421 (to any command, or unsolicited) means the server is closing
        // the channel; the client treats it as a transient failure and closes too.
        if reply.code().as_u16() == 421 && awaiting != Awaiting::Quit {
            let code = reply.code();
            return Err(self.abort(false, ClientError::ServiceClosing { awaiting, code }));
        }
        let event = match awaiting {
            Awaiting::Nothing => return Err(self.unexpected(awaiting, &reply)),
            Awaiting::Greeting => self.on_greeting(reply)?,
            Awaiting::Hello => self.on_hello(reply)?,
            Awaiting::StartTls => self.on_starttls(reply, last)?,
            Awaiting::Auth => self.on_auth(reply)?,
            Awaiting::Sent => {
                self.phase = Phase::Ready;
                Some(ClientEvent::Reply(reply))
            }
            Awaiting::Quit => {
                self.phase = Phase::Closed;
                Some(ClientEvent::Closed(reply))
            }
            Awaiting::Rset => {
                if !ok(&reply) {
                    return Err(self.unexpected(awaiting, &reply));
                }
                self.advance();
                None
            }
            Awaiting::Mail => self.on_mail(reply),
            Awaiting::Rcpt => self.on_rcpt(reply),
            Awaiting::Data => self.on_data(reply),
            Awaiting::Chunk => self.on_chunk(reply),
            // A reply to the end of a message that is already decided: the counts went wrong.
            Awaiting::Body | Awaiting::Bdat if self.txn.is_none() => return Err(self.unexpected(awaiting, &reply)),
            Awaiting::Body | Awaiting::Bdat if self.lmtp_delivery() => self.on_delivery(reply),
            Awaiting::Body | Awaiting::Bdat => Some(self.on_end(reply)),
        };
        self.arm();
        Ok(event)
    }

    fn on_greeting<'a>(&mut self, reply: Reply<'a>) -> Result<Option<ClientEvent<'a>>, ClientError> {
        // RFC 5321 §3.1 / §4.3.2: 220 or 554; after 554 the client sends QUIT.
        if reply.code().as_u16() != 220 {
            return Err(self.unexpected(Awaiting::Greeting, &reply));
        }
        self.hello(false);
        Ok(Some(ClientEvent::Greeting(reply)))
    }

    fn on_hello<'a>(&mut self, reply: Reply<'a>) -> Result<Option<ClientEvent<'a>>, ClientError> {
        let helo = matches!(self.phase, Phase::Hello { helo: true });
        if !ok(&reply) {
            // RFC 5321 §4.1.4 / §3.2: an old server answers 500 or 502 to EHLO; try HELO.
            let code = reply.code().as_u16();
            if !helo && !self.config.lmtp && (code == 500 || code == 502) {
                self.hello(true);
                return Ok(None);
            }
            return Err(self.unexpected(Awaiting::Hello, &reply));
        }
        self.caps = if helo {
            Caps::default()
        } else {
            match EhloReply::from_reply_with(&reply, &self.config.parse_options) {
                Ok(ehlo) => Caps::learn(&ehlo, self.config.credentials.as_ref()),
                Err(e) => return Err(self.abort(true, ClientError::Malformed(e))),
            }
        };
        if self.tls.is_some() || self.config.tls_policy == TlsPolicy::Disabled {
            self.queued = self.after_hello()?;
            return Ok(Some(ClientEvent::Hello(reply)));
        }
        if self.caps.offers(Extension::StartTls) {
            self.write(&Command::starttls().to_vec(), Awaiting::StartTls);
            self.phase = Phase::StartTls;
            return Ok(Some(ClientEvent::Hello(reply)));
        }
        // STARTTLS stripped, or HELO only (a downgrade a man in the middle can force).
        if self.config.tls_policy == TlsPolicy::Required {
            return Err(self.abort(true, ClientError::TlsNotOffered));
        }
        self.plaintext = PlaintextReason::NotOffered;
        self.queued = self.after_hello()?;
        Ok(Some(ClientEvent::Hello(reply)))
    }

    /// The hello is done and TLS settled: authenticate if configured (RFC 4954), else ready.
    fn after_hello(&mut self) -> Result<Option<ClientEvent<'static>>, ClientError> {
        if self.config.credentials.is_none() {
            return Ok(Some(self.ready()));
        }
        self.start_auth()?;
        Ok(None)
    }

    fn on_starttls<'a>(&mut self, reply: Reply<'a>, last: bool) -> Result<Option<ClientEvent<'a>>, ClientError> {
        if reply.code().as_u16() == 220 {
            // RFC 3207 §4.2 and the 2021 "NO STARTTLS" findings: exactly one reply is read;
            // anything behind it would be read as if it came over TLS.
            if !last {
                return Err(self.abort(false, ClientError::ReplyInjection));
            }
            self.phase = Phase::TlsReady;
            return Ok(Some(ClientEvent::StartTls));
        }
        if self.config.tls_policy == TlsPolicy::Required {
            let code = reply.code();
            return Err(self.abort(true, ClientError::TlsRefused(code)));
        }
        // Opportunistic: the pre-STARTTLS EHLO still holds (no TLS was started).
        self.plaintext = PlaintextReason::Refused;
        self.after_hello()
    }

    /// Writes the next commands of the transaction: with PIPELINING, MAIL, every RCPT and
    /// DATA (or the whole `BDAT … LAST` chunk, RFC 3030 §4.2) in one write (RFC 2920 §3.1);
    /// otherwise one command per reply.
    pub(super) fn advance(&mut self) {
        let pipelining = self.config.pipelining && self.caps.offers(Extension::Pipelining);
        loop {
            if !pipelining && !self.expect.is_empty() {
                return;
            }
            let Some(txn) = self.txn.as_mut() else { return };
            let (bytes, awaiting) = if !txn.mail_written {
                txn.mail_written = true;
                (core::mem::take(&mut txn.mail), Awaiting::Mail)
            } else if !pipelining && !txn.mail_accepted {
                return;
            } else if let Some(line) = txn.rcpts.get_mut(txn.rcpts_written) {
                // Taken, not copied: it is written once (the count stays in `rcpts.len()`).
                txn.rcpts_written += 1;
                (core::mem::take(line), Awaiting::Rcpt)
            } else if txn.data_written || txn.late_bdat || (!pipelining && txn.accepted() == 0) {
                return;
            } else if txn.bdat {
                txn.data_written = true;
                (core::mem::take(&mut txn.body), Awaiting::Bdat)
            } else {
                txn.data_written = true;
                (Command::data().to_vec(), Awaiting::Data)
            };
            self.write(&bytes, awaiting);
        }
    }

    fn on_mail<'a>(&mut self, reply: Reply<'a>) -> Option<ClientEvent<'a>> {
        let txn = self.txn.as_mut()?;
        if ok(&reply) {
            txn.mail_accepted = true;
            self.advance();
            return None;
        }
        if self.expect.is_empty() {
            return Some(self.finish(reply, false));
        }
        // Pipelined: the RCPT and DATA replies (503) are still to come.
        txn.refusal = Some(reply.into_owned());
        None
    }

    fn on_rcpt<'a>(&mut self, reply: Reply<'a>) -> Option<ClientEvent<'a>> {
        let txn = self.txn.as_mut()?;
        let index = txn.rcpt_replies;
        txn.rcpt_replies += 1;
        let accepted = ok(&reply);
        if accepted {
            txn.accepted_indices.push(index);
        }
        let all_in = txn.rcpt_replies == txn.rcpts.len();
        if !all_in {
            self.advance();
        } else if txn.accepted() == 0 || txn.refusal.is_some() || !txn.mail_accepted {
            let deciding = txn.refusal.take().unwrap_or_else(|| reply.clone().into_owned());
            if self.expect.is_empty() {
                // Nothing more is coming (no DATA written): the message is refused now.
                self.queued = Some(self.finish(deciding, false));
            } else {
                txn.refusal = Some(deciding);
            }
        } else if txn.late_bdat {
            self.body_phase();
        } else {
            self.advance();
        }
        Some(if accepted {
            ClientEvent::RecipientAccepted { index, reply }
        } else {
            ClientEvent::RecipientRefused { index, reply }
        })
    }

    fn on_data<'a>(&mut self, reply: Reply<'a>) -> Option<ClientEvent<'a>> {
        let txn = self.txn.as_mut()?;
        if reply.code().as_u16() != 354 {
            let decided = txn.refusal.take().unwrap_or(reply);
            return Some(self.finish(decided, false));
        }
        if txn.refusal.is_some() || txn.accepted() == 0 {
            // RFC 2920 §3.1: a 354 with no recipient accepted gets a lone ".".
            txn.dot_only = true;
            self.write(b".\r\n", Awaiting::Body);
            return None;
        }
        txn.dot_only = false;
        if txn.stream.is_some() {
            txn.wants_body = true;
            return Some(ClientEvent::SendBody);
        }
        let body = core::mem::take(&mut txn.body);
        let replies = if self.config.lmtp { txn.accepted() } else { 1 };
        self.write(&body, Awaiting::Body);
        self.expect_more(Awaiting::Body, replies);
        None
    }

    /// Every recipient answered, some accepted, and the BDAT waited for that: ask for a
    /// streamed body, or write the whole one.
    fn body_phase(&mut self) {
        let Some(txn) = self.txn.as_mut() else { return };
        txn.data_written = true;
        if txn.stream.is_some() {
            txn.wants_body = true;
            self.queued = Some(ClientEvent::SendBody);
            return;
        }
        let body = core::mem::take(&mut txn.body);
        let replies = if self.config.lmtp { txn.accepted() } else { 1 };
        self.write(&body, Awaiting::Bdat);
        self.expect_more(Awaiting::Bdat, replies);
    }

    /// The reply to a BDAT chunk that is not the last (RFC 3030 §2): a refusal ends the
    /// transaction; no more chunks are taken.
    fn on_chunk<'a>(&mut self, reply: Reply<'a>) -> Option<ClientEvent<'a>> {
        let lock_step = self.lock_step_chunks();
        let txn = self.txn.as_mut()?;
        if !ok(&reply) && txn.refusal.is_none() {
            txn.refusal = Some(reply.into_owned());
            txn.wants_body = false;
            txn.stream = None;
        }
        match (&txn.refusal, self.expect.is_empty() && !txn.wants_body) {
            (Some(_), true) => {
                let deciding = txn.refusal.take()?;
                Some(self.finish(deciding, false))
            }
            (Some(_), false) => None,
            // In lock step, the next piece is wanted once this chunk is taken.
            (None, _) if lock_step && txn.stream.is_some() => {
                txn.wants_body = true;
                Some(ClientEvent::SendBody)
            }
            (None, _) => None,
        }
    }

    /// Whether BDAT chunks wait for each other's replies: without PIPELINING (RFC 3030 §2
    /// allows chunks in flight only with it), and always under LMTP, whose reply count for
    /// a `BDAT … LAST` behind a refused chunk no RFC settles.
    pub(super) fn lock_step_chunks(&self) -> bool {
        self.config.lmtp || !(self.config.pipelining && self.caps.offers(Extension::Pipelining))
    }

    /// Awaits `total` replies to what was just written (one is already queued).
    pub(super) fn expect_more(&mut self, awaiting: Awaiting, total: usize) {
        for _ in 1..total {
            self.expect.push_back(awaiting);
        }
    }

    /// LMTP: one reply per accepted recipient after the body (RFC 2033 §4.2); the last is
    /// followed by the message result.
    fn on_delivery<'a>(&mut self, reply: Reply<'a>) -> Option<ClientEvent<'a>> {
        let txn = self.txn.as_mut()?;
        let index = txn.accepted_indices.get(txn.lmtp_replies).copied().unwrap_or(0);
        txn.lmtp_replies += 1;
        let delivered = ok(&reply);
        if delivered {
            txn.delivered += 1;
        }
        if txn.lmtp_replies >= txn.accepted() {
            let any = txn.delivered > 0;
            let owned = reply.clone().into_owned();
            self.queued = Some(self.finish(owned, any));
            self.needs_rset = false;
        }
        Some(ClientEvent::Delivery { index, delivered, reply })
    }

    fn on_end<'a>(&mut self, reply: Reply<'a>) -> ClientEvent<'a> {
        match self.txn.as_mut().and_then(|t| t.refusal.take()) {
            Some(r) => self.finish(r, false),
            None => {
                let accepted = ok(&reply) && self.txn.as_ref().is_some_and(|t| t.accepted() > 0 && !t.dot_only);
                self.finish(reply, accepted)
            }
        }
    }

    /// Whether the reply after the body is one of LMTP's per-recipient replies.
    fn lmtp_delivery(&self) -> bool {
        self.config.lmtp && self.txn.as_ref().is_some_and(|t| t.refusal.is_none() && !t.dot_only && t.accepted() > 0)
    }

    /// Ends the transaction with its deciding reply.
    fn finish<'a>(&mut self, reply: Reply<'a>, accepted: bool) -> ClientEvent<'a> {
        let txn = self.txn.take();
        // A transaction the server may still hold open is reset before the next MAIL
        // (RFC 5321 §4.1.1.5); never on a fresh session.
        self.needs_rset = !accepted && txn.is_some_and(|t| t.mail_accepted);
        self.phase = Phase::Ready;
        let tls = self.tls_outcome();
        if accepted { ClientEvent::MessageAccepted { reply, tls } } else { ClientEvent::MessageRefused { reply, tls } }
    }

    /// Builds the transaction for `txn` and writes what may be written now.
    pub(super) fn start(&mut self, txn: Txn, rset: Vec<u8>) {
        if !rset.is_empty() {
            self.write(&rset, Awaiting::Rset);
        }
        self.txn = Some(txn);
        self.phase = Phase::Transaction;
        self.advance();
    }
}
