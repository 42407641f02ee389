//! The [`Client`] value: its phase, what it learned from EHLO, the open transaction.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::time::Duration;

use super::config::{AuthMech, ClientConfig, Credentials, choose};
use super::event::{Awaiting, ClientEvent};
use crate::framing::{BdatEncoder, DataEncoder};
use crate::session::{PlaintextReason, TlsInfo, TlsOutcome, TlsPolicy, Transport};
use crate::{EhloReply, Extension, Reply};

/// Where a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Phase {
    /// Waiting for the greeting.
    Greeting,
    /// EHLO (or HELO, LHLO) written.
    Hello { helo: bool },
    /// STARTTLS written.
    StartTls,
    /// AUTH in progress; `step` counts the `334` challenges answered.
    Auth { step: u8 },
    /// A generic mechanism's challenge is waiting for the application's answer.
    AuthChallenge { step: u8 },
    /// `220` to STARTTLS read: only `into_tls` may follow.
    TlsReady,
    /// Between transactions.
    Ready,
    /// A transaction is running.
    Transaction,
    /// A command from `send` is awaiting its reply.
    Sent,
    /// QUIT written.
    Quitting,
    /// Nothing more is read.
    Closed,
}

/// The extensions whose offer decides what the client may write, as bits of [`Caps::offered`].
const TRACKED: [Extension; 14] = [
    Extension::Pipelining,
    Extension::StartTls,
    Extension::Size,
    Extension::EightBitMime,
    Extension::BinaryMime,
    Extension::Chunking,
    Extension::SmtpUtf8,
    Extension::RequireTls,
    Extension::Dsn,
    Extension::Auth,
    Extension::MtPriority,
    Extension::FutureRelease,
    Extension::DeliverBy,
    Extension::Rrvs,
];

/// What EHLO taught (RFC 5321 §4.1.1.1); empty after HELO and after the TLS boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) struct Caps {
    /// One bit per [`TRACKED`] extension offered.
    offered: u16,
    pub(super) size_limit: Option<u64>,
    /// The mechanism for the configured credentials, when the server offers one.
    pub(super) auth: Option<AuthMech>,
}

impl Caps {
    pub(super) fn learn(ehlo: &EhloReply<'_>, creds: Option<&Credentials>) -> Self {
        let mut offered = 0;
        for ext in ehlo.extensions() {
            if let Some(i) = TRACKED.iter().position(|e| *e == ext) {
                offered |= 1 << i;
            }
        }
        Self { offered, size_limit: ehlo.size_limit(), auth: creds.and_then(|c| choose(ehlo, &c.kind)) }
    }

    /// Whether the server offered `ext` (always `false` for an extension not tracked).
    pub(super) fn offers(&self, ext: Extension) -> bool {
        TRACKED.iter().position(|e| *e == ext).is_some_and(|i| self.offered & (1 << i) != 0)
    }
}

/// One message on its way: the lines still to write and what the replies said so far.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Txn {
    pub(super) mail: Vec<u8>,
    /// The RCPT lines; each is taken (left empty) when written, so `rcpts.len()` stays the
    /// number of recipients.
    pub(super) rcpts: Vec<Vec<u8>>,
    /// The dot-stuffed body with its final `.` line, or `BDAT n LAST` and the body; empty
    /// for a streamed body.
    pub(super) body: Vec<u8>,
    pub(super) bdat: bool,
    /// The BDAT is written after the RCPT replies (LMTP, or a streamed body), not pipelined
    /// with them.
    pub(super) late_bdat: bool,
    /// The encoder of a streamed body.
    pub(super) stream: Option<BodyStream>,
    /// `BODY=8BITMIME` or `BINARYMIME` declared: 8-bit octets may be sent.
    pub(super) eight_bit: bool,
    /// `SendBody` reported; pieces are taken until the last.
    pub(super) wants_body: bool,
    /// Octets of a streamed body taken so far.
    pub(super) streamed_octets: u64,
    pub(super) mail_written: bool,
    /// DATA (or the BDAT chunk) written.
    pub(super) data_written: bool,
    /// RCPT lines written so far.
    pub(super) rcpts_written: usize,
    /// RCPT replies read so far.
    pub(super) rcpt_replies: usize,
    /// The indices of the accepted recipients, in order (LMTP's post-body replies follow
    /// them), and how many of them those replies have covered and delivered.
    pub(super) accepted_indices: Vec<usize>,
    pub(super) lmtp_replies: usize,
    pub(super) delivered: usize,
    pub(super) mail_accepted: bool,
    /// The reply that already decided the message was refused (pipelined: later replies
    /// of the group are still read).
    pub(super) refusal: Option<Reply<'static>>,
    /// Whether only a lone `.` was sent after a `354` (RFC 2920 §3.1).
    pub(super) dot_only: bool,
}

impl Txn {
    /// How many recipients the server accepted.
    pub(super) fn accepted(&self) -> usize {
        self.accepted_indices.len()
    }
}

/// The framing of a streamed body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum BodyStream {
    Data(DataEncoder),
    Bdat(BdatEncoder),
}

/// The sans-IO SMTP client (RFC 5321): one session with one server.
///
/// # Call order
/// 1. [`Client::new`] (or [`ClientTlsPending::implicit`](super::ClientTlsPending::implicit)
///    for implicit TLS, RFC 8314 §3).
/// 2. Loop: hand in what was read with [`handle_input`](Self::handle_input) (drop
///    `consumed` octets, call again while an event comes back), then
///    [`poll_transmit`](Self::poll_transmit) and write what it gives, wait at most until
///    [`poll_timeout`](Self::poll_timeout) (then [`handle_timeout`](Self::handle_timeout)).
/// 3. On [`ClientEvent::Ready`], [`submit`](Self::submit) a message; its recipients and the
///    result arrive as events. Then submit another, or [`quit`](Self::quit).
/// 4. On [`ClientEvent::StartTls`]: transmit, [`into_tls`](Self::into_tls), run the
///    handshake, then [`ClientTlsPending::established`](super::ClientTlsPending::established)
///    gives a fresh client that sends EHLO again.
/// 5. On EOF: [`peer_closed`](Self::peer_closed).
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use smtp_wire::{Client, ClientConfig, ClientEvent, Domain, Envelope, ReversePath, ForwardPath, TlsPolicy};
///
/// let config = ClientConfig::new(Domain::new("client.example").unwrap()).with_tls_policy(TlsPolicy::Disabled);
/// let mut client = Client::new(Arc::new(config), Duration::ZERO);
/// let mut out = Vec::new();
/// let now = Duration::ZERO;
///
/// let h = client.handle_input(b"220 mx.example ESMTP\r\n", now).unwrap();
/// assert!(matches!(h.event, Some(ClientEvent::Greeting(_))));
/// client.poll_transmit(&mut out);
/// assert_eq!(out, b"EHLO client.example\r\n");
///
/// let ehlo = b"250-mx.example\r\n250 PIPELINING\r\n";
/// let h = client.handle_input(ehlo, now).unwrap();
/// assert!(matches!(h.event, Some(ClientEvent::Hello(_))));
/// let h = client.handle_input(&ehlo[h.consumed..], now).unwrap();
/// assert!(matches!(h.event, Some(ClientEvent::Ready(ref tls)) if !tls.is_encrypted()));
///
/// let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
/// let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
/// client.submit(smtp_wire::Envelope::new(from, &b"Subject: hi\r\n\r\nhello\r\n"[..]).with_recipient(to)).unwrap();
/// out.clear();
/// client.poll_transmit(&mut out);
/// // Pipelined (RFC 2920): MAIL, RCPT and DATA in one write.
/// assert_eq!(out, b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
///
/// let mut replies: &[u8] = b"250 ok\r\n250 ok\r\n354 go\r\n";
/// while !replies.is_empty() {
///     let h = client.handle_input(replies, now).unwrap();
///     replies = &replies[h.consumed..];
/// }
/// out.clear();
/// client.poll_transmit(&mut out);
/// assert_eq!(out, b"Subject: hi\r\n\r\nhello\r\n.\r\n");
/// let h = client.handle_input(b"250 queued\r\n", now).unwrap();
/// assert!(matches!(h.event, Some(ClientEvent::MessageAccepted { .. })));
///
/// client.quit().unwrap();
/// out.clear();
/// client.poll_transmit(&mut out);
/// assert_eq!(out, b"QUIT\r\n");
/// let h = client.handle_input(b"221 bye\r\n", now).unwrap();
/// assert!(matches!(h.event, Some(ClientEvent::Closed(_))));
/// ```
///
/// The machine is deterministic and `Clone + Eq + Hash`: equal inputs give equal states,
/// events and output. Its `Debug` shows the length of the queued output, not its octets
/// (they may hold AUTH credentials).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Client {
    pub(super) config: Arc<ClientConfig>,
    pub(super) phase: Phase,
    pub(super) out: Vec<u8>,
    pub(super) caps: Caps,
    pub(super) tls: Option<(Transport, TlsInfo)>,
    pub(super) plaintext: PlaintextReason,
    /// Commands written whose replies have not arrived, oldest first.
    pub(super) expect: VecDeque<Awaiting>,
    pub(super) txn: Option<Txn>,
    /// An RSET is owed before the next MAIL (a transaction was left open).
    pub(super) needs_rset: bool,
    /// An event to report on the next call (a reply that decides two things).
    pub(super) queued: Option<ClientEvent<'static>>,
    pub(super) deadline: Option<Duration>,
    pub(super) now: Duration,
    /// An AUTH initial response too long for the AUTH line, sent after the empty `334`.
    pub(super) auth_deferred: Option<Vec<u8>>,
}

impl core::fmt::Debug for Client {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("phase", &self.phase)
            .field("queued_output_len", &self.out.len())
            .field("caps", &self.caps)
            .field("tls", &self.tls)
            .field("plaintext", &self.plaintext)
            .field("expect", &self.expect)
            .field("txn", &self.txn.is_some())
            .field("needs_rset", &self.needs_rset)
            .field("queued", &self.queued)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client in `phase`, knowing only `config` and the TLS facts.
    pub(super) fn fresh(
        config: Arc<ClientConfig>,
        now: Duration,
        tls: Option<(Transport, TlsInfo)>,
        phase: Phase,
    ) -> Self {
        let plaintext = match config.tls_policy {
            TlsPolicy::Disabled => PlaintextReason::Disabled,
            _ => PlaintextReason::NotOffered,
        };
        let mut client = Self {
            config,
            phase,
            out: Vec::new(),
            caps: Caps::default(),
            tls,
            plaintext,
            expect: VecDeque::new(),
            txn: None,
            needs_rset: false,
            queued: None,
            deadline: None,
            now,
            auth_deferred: None,
        };
        client.arm();
        client
    }

    /// The session's TLS outcome so far.
    pub fn tls_outcome(&self) -> TlsOutcome {
        match &self.tls {
            Some((transport, info)) => TlsOutcome::Encrypted { transport: *transport, info: info.clone() },
            None => TlsOutcome::Plaintext(self.plaintext),
        }
    }

    /// What the client waits for.
    pub fn awaiting(&self) -> Awaiting {
        match self.phase {
            Phase::Greeting => Awaiting::Greeting,
            _ => self.expect.front().copied().unwrap_or(Awaiting::Nothing),
        }
    }

    /// Sets the deadline for the reply now awaited (RFC 5321 §4.5.3.2).
    pub(super) fn arm(&mut self) {
        let t = &self.config.timeouts;
        self.deadline = match self.awaiting() {
            Awaiting::Nothing => None,
            Awaiting::Mail | Awaiting::Rcpt => Some(self.now + t.envelope),
            Awaiting::Data => Some(self.now + t.data_init),
            Awaiting::Body | Awaiting::Bdat => Some(self.now + t.data_end),
            _ => Some(self.now + t.greeting),
        };
    }

    /// Queues a command line (already encoded) and the reply it waits for.
    pub(super) fn write(&mut self, line: &[u8], awaiting: Awaiting) {
        self.out.extend_from_slice(line);
        let was_idle = self.expect.is_empty();
        self.expect.push_back(awaiting);
        if was_idle {
            self.arm();
        }
    }
}
