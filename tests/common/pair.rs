//! `Pair`: the crate's `Client` wired to its `Server` in memory, with a pretend TLS
//! handshake and a man in the middle that sees (and may drop, split, inject or rewrite)
//! every write in either direction.
//!
//! Used by the integration tests (`mod common`), the `pair` fuzz target and the session
//! benchmark (both through `#[path]`), so it depends on nothing but `smtp_wire` and `std`.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use smtp_wire::{
    Client, ClientConfig, ClientError, ClientEvent, ClientTlsPending, Close, Envelope, Server, ServerConfig,
    ServerEvent, TlsFailed, TlsInfo, TlsOutcome, TlsPending,
};

/// Which way octets travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// Client to server.
    ToServer,
    /// Server to client.
    ToClient,
}

/// What the pretend TLS handshake gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// Succeeds; the peer's certificate verified.
    Verified,
    /// Succeeds; the certificate did not verify (self-signed, wrong name).
    Unverified,
    /// Fails.
    Fails,
}

/// The man in the middle: sees each write (`encrypted` after the handshake, when a real one
/// could only drop or cut) and may change it in place.
pub type Mitm = Box<dyn FnMut(Dir, bool, &mut Vec<u8>)>;

/// How one submitted message ended, as the client reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// `MessageAccepted`, with its reply code and TLS outcome.
    Accepted(u16, TlsOutcome),
    /// `MessageRefused`, with its reply code and TLS outcome.
    Refused(u16, TlsOutcome),
    /// `submit` refused the envelope.
    NotSubmitted(ClientError),
    /// `body_chunk` refused a piece of a streamed body: the session ended.
    Aborted(ClientError),
}

/// A client and a server joined by an in-memory connection.
pub struct Pair {
    pub now: Duration,
    client: Option<Client>,
    client_tls: Option<ClientTlsPending>,
    server: Option<Server>,
    server_tls: Option<TlsPending>,
    /// Octets written and not yet delivered, per direction.
    c2s: VecDeque<u8>,
    s2c: VecDeque<u8>,
    /// Octets delivered and not yet consumed.
    s_in: Vec<u8>,
    c_in: Vec<u8>,
    encrypted: bool,
    /// At most this many octets are delivered per step in each direction.
    pub split: usize,
    pub mitm: Option<Mitm>,
    pub handshake: Handshake,
    /// Messages the client submits, one per `Ready`; QUIT when none is left. A streamed
    /// envelope comes with the pieces of its body.
    pub outbox: VecDeque<(Envelope, Vec<Vec<u8>>)>,
    /// The pieces of the streamed body being sent.
    pieces: Vec<Vec<u8>>,
    /// Every client event, in order, as `Debug` text (replies owned).
    pub client_events: Vec<String>,
    /// Every server event name, in order.
    pub server_events: Vec<String>,
    /// The bodies the server received (accepted messages), in order.
    pub received: Vec<Vec<u8>>,
    body: Vec<u8>,
    /// How each submitted message ended.
    pub sent: Vec<Sent>,
    /// The error that ended the client's session, if one did.
    pub client_error: Option<ClientError>,
    /// How the server's session ended.
    pub server_close: Option<Close>,
    /// What the client's failed handshake left, if one failed.
    pub tls_failed: Option<TlsFailed>,
    /// The client's TLS outcome at its last `Ready`.
    pub outcome: Option<TlsOutcome>,
    /// Whether the connection was closed (by either side ending).
    pub closed: bool,
    /// Whether events are recorded in `client_events` / `server_events` (the benchmark
    /// turns it off: formatting them costs more than the session).
    pub record: bool,
    /// AUTH LOGIN challenges the server has sent in the current exchange.
    login_step: u8,
    /// The total number of octets written by the client and by the server.
    pub c_written: usize,
    pub s_written: usize,
}

impl Pair {
    /// A plaintext connection (ports 25 / 587).
    pub fn new(server: ServerConfig, client: ClientConfig) -> Self {
        let now = Duration::ZERO;
        Self::build(Some(Server::new(Arc::new(server), now)), Some(Client::new(Arc::new(client), now)), None, None)
    }

    /// A plaintext connection the server turns away with `text` (RFC 5321 §3.1: a `554`
    /// greeting).
    pub fn turned_away(server: ServerConfig, client: ClientConfig, text: &str) -> Self {
        let now = Duration::ZERO;
        let s = Server::turn_away(Arc::new(server), now, text);
        Self::build(Some(s), Some(Client::new(Arc::new(client), now)), None, None)
    }

    /// An implicit-TLS connection (RFC 8314, port 465): the handshake comes first.
    pub fn implicit(server: ServerConfig, client: ClientConfig) -> Self {
        let s = TlsPending::implicit(Arc::new(server));
        let c = ClientTlsPending::implicit(Arc::new(client));
        Self::build(None, None, Some(s), Some(c))
    }

    fn build(
        server: Option<Server>,
        client: Option<Client>,
        server_tls: Option<TlsPending>,
        client_tls: Option<ClientTlsPending>,
    ) -> Self {
        Self {
            now: Duration::ZERO,
            client,
            client_tls,
            server,
            server_tls,
            c2s: VecDeque::new(),
            s2c: VecDeque::new(),
            s_in: Vec::new(),
            c_in: Vec::new(),
            encrypted: false,
            split: usize::MAX,
            mitm: None,
            handshake: Handshake::Verified,
            outbox: VecDeque::new(),
            pieces: Vec::new(),
            client_events: Vec::new(),
            server_events: Vec::new(),
            received: Vec::new(),
            body: Vec::new(),
            sent: Vec::new(),
            client_error: None,
            server_close: None,
            outcome: None,
            tls_failed: None,
            closed: false,
            record: true,
            login_step: 0,
            c_written: 0,
            s_written: 0,
        }
    }

    /// Queues `envelope` for the client to submit.
    pub fn send(&mut self, envelope: Envelope) -> &mut Self {
        self.outbox.push_back((envelope, Vec::new()));
        self
    }

    /// Queues a streamed `envelope` whose body the client hands in as `pieces` (the last one
    /// with `last`) when asked.
    pub fn send_streamed(&mut self, envelope: Envelope, pieces: Vec<Vec<u8>>) -> &mut Self {
        self.outbox.push_back((envelope, pieces));
        self
    }

    /// The client, while one is in session.
    pub fn client(&self) -> Option<&Client> {
        self.client.as_ref()
    }

    /// The server, while one is in session.
    pub fn server(&self) -> Option<&Server> {
        self.server.as_ref()
    }

    /// Whether both sides are done and nothing is in flight.
    pub fn is_done(&self) -> bool {
        self.closed
    }

    /// One round: each side transmits, up to `split` octets travel each way, each side reads
    /// what it got and its application answers, and the handshake runs when both sides wait
    /// for it. Returns whether anything happened.
    pub fn step(&mut self) -> bool {
        if self.closed {
            return false;
        }
        let mut progress = self.transmit();
        progress |= self.server_reads();
        progress |= self.transmit();
        progress |= self.client_reads();
        progress |= self.transmit();
        if self.client_tls.is_some() && (self.server_tls.is_some() || !progress) {
            progress |= self.tls();
        }
        if !progress {
            self.close();
        }
        progress || self.closed
    }

    /// Steps until the connection is closed; panics on livelock (more than `bound` steps).
    pub fn drive_bounded(&mut self, bound: usize) {
        for _ in 0..bound {
            if self.closed {
                return;
            }
            self.step();
        }
        panic!("livelock after {bound} steps\nclient: {:?}\nserver: {:?}", self.client_events, self.server_events);
    }

    /// Steps until the connection is closed (at most 100 000 steps).
    pub fn drive(&mut self) {
        self.drive_bounded(100_000);
    }

    /// Moves each side's output onto the wire, through the man in the middle.
    fn transmit(&mut self) -> bool {
        let mut out = Vec::new();
        let c = self.client.as_mut().is_some_and(|c| c.poll_transmit(&mut out));
        self.put(Dir::ToServer, &mut out);
        let s = self.server.as_mut().is_some_and(|s| s.poll_transmit(&mut out));
        self.put(Dir::ToClient, &mut out);
        c || s
    }

    /// Puts one write on the wire, through the man in the middle.
    fn put(&mut self, dir: Dir, out: &mut Vec<u8>) {
        if out.is_empty() {
            return;
        }
        if let Some(m) = self.mitm.as_mut() {
            m(dir, self.encrypted, out);
        }
        match dir {
            Dir::ToServer => {
                self.c_written += out.len();
                self.c2s.extend(out.drain(..));
            }
            Dir::ToClient => {
                self.s_written += out.len();
                self.s2c.extend(out.drain(..));
            }
        }
    }

    fn server_reads(&mut self) -> bool {
        let Some(s) = self.server.as_mut() else { return false };
        if s.closed().is_some() {
            return false;
        }
        let n = self.c2s.len().min(self.split);
        self.s_in.extend(self.c2s.drain(..n));
        let mut progress = n > 0;
        loop {
            let h = match s.handle_input(&self.s_in, self.now) {
                Ok(h) => h,
                Err(e) => panic!("server refused a call: {e}"),
            };
            progress |= h.consumed > 0 || h.event.is_some();
            let Some(event) = h.event else {
                self.s_in.drain(..h.consumed);
                return progress;
            };
            if self.record {
                self.server_events.push(name(&format!("{event:?}")));
            }
            let mut starttls = false;
            match event {
                ServerEvent::Body(b) => self.body.extend_from_slice(b),
                ServerEvent::MessageComplete { .. } => {
                    self.received.push(std::mem::take(&mut self.body));
                    while s.is_pending() {
                        s.accept().unwrap();
                    }
                }
                ServerEvent::MessageRefused { .. } => self.body.clear(),
                ServerEvent::StartTls => starttls = true,
                ServerEvent::Closed(close) => self.server_close = Some(close),
                ServerEvent::Auth { ref mechanism, ref initial_response } => {
                    if initial_response.is_none() && mechanism.as_str().eq_ignore_ascii_case("LOGIN") {
                        self.login_step = 1;
                        s.challenge(b"Username:").unwrap();
                    } else {
                        s.accept().unwrap();
                    }
                }
                ServerEvent::AuthResponse { .. } if self.login_step == 1 => {
                    self.login_step = 2;
                    s.challenge(b"Password:").unwrap();
                }
                _ => {
                    if s.is_pending() {
                        s.accept().unwrap();
                    }
                }
            }
            self.s_in.drain(..h.consumed);
            if starttls {
                let mut out = Vec::new();
                s.poll_transmit(&mut out);
                self.put(Dir::ToClient, &mut out);
                let server = self.server.take().unwrap();
                self.server_tls = Some(server.into_tls().unwrap_or_else(|_| panic!("into_tls after StartTls")));
                return true;
            }
            if s.closed().is_some() {
                return true;
            }
        }
    }

    fn client_reads(&mut self) -> bool {
        let Some(c) = self.client.as_mut().filter(|c| !c.is_closed()) else { return false };
        let n = self.s2c.len().min(self.split);
        self.c_in.extend(self.s2c.drain(..n));
        let mut progress = n > 0;
        loop {
            let h = match c.handle_input(&self.c_in, self.now) {
                Ok(h) => h,
                Err(e) => {
                    self.client_events.push(format!("error {e}"));
                    self.client_error.get_or_insert(e);
                    return true;
                }
            };
            progress |= h.consumed > 0 || h.event.is_some();
            let Some(event) = h.event else {
                self.c_in.drain(..h.consumed);
                return progress;
            };
            if self.record {
                self.client_events.push(format!("{event:?}"));
            }
            let mut starttls = false;
            let decided = match &event {
                ClientEvent::Ready(o) => {
                    self.outcome = Some(o.clone());
                    true
                }
                ClientEvent::MessageAccepted { reply, tls } => {
                    self.sent.push(Sent::Accepted(reply.code().as_u16(), tls.clone()));
                    true
                }
                ClientEvent::MessageRefused { reply, tls } => {
                    self.sent.push(Sent::Refused(reply.code().as_u16(), tls.clone()));
                    true
                }
                ClientEvent::StartTls => {
                    starttls = true;
                    false
                }
                ClientEvent::SendBody => {
                    // Pieces while the client takes them (all at once when chunks may be
                    // pipelined, one per SendBody in lock step); an empty last piece when
                    // none is left.
                    let mut r = Ok(());
                    while r.is_ok() && c.wants_body() {
                        let last = self.pieces.len() <= 1;
                        let piece = if self.pieces.is_empty() { Vec::new() } else { self.pieces.remove(0) };
                        r = c.body_chunk(&piece, last);
                    }
                    if let Err(e) = r {
                        self.client_events.push(format!("error {e}"));
                        self.sent.push(Sent::Aborted(e.clone()));
                        self.client_error.get_or_insert(e);
                    }
                    false
                }
                _ => false,
            };
            self.c_in.drain(..h.consumed);
            if decided && c.is_ready() {
                loop {
                    let Some((env, pieces)) = self.outbox.pop_front() else {
                        c.quit().unwrap();
                        break;
                    };
                    match c.submit(env) {
                        Ok(()) => {
                            self.pieces = pieces;
                            break;
                        }
                        Err(e) => self.sent.push(Sent::NotSubmitted(e)),
                    }
                }
            }
            if starttls {
                let mut out = Vec::new();
                c.poll_transmit(&mut out);
                assert!(out.is_empty(), "output queued behind STARTTLS");
                let client = self.client.take().unwrap();
                self.client_tls = Some(client.into_tls().unwrap_or_else(|_| panic!("into_tls after StartTls")));
                return true;
            }
            if c.is_closed() {
                return true;
            }
        }
    }

    /// The pretend handshake, once the client waits for it. It succeeds only when the server
    /// waits for it too, nothing is in flight either way (a real TLS library would read stray
    /// octets as a broken handshake), and `handshake` says so.
    fn tls(&mut self) -> bool {
        let clean = self.server_tls.is_some()
            && self.c2s.is_empty()
            && self.s2c.is_empty()
            && self.s_in.is_empty()
            && self.c_in.is_empty();
        let pending = self.client_tls.take().unwrap();
        let info = |verified| TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256").with_peer_verified(verified);
        let verified = match self.handshake {
            Handshake::Fails => None,
            _ if !clean => None,
            Handshake::Verified => Some(true),
            Handshake::Unverified => Some(false),
        };
        let Some(verified) = verified else {
            let failed = pending.failed();
            self.client_events.push(format!("handshake failed: {failed:?}"));
            self.tls_failed = Some(failed);
            if let Some(s) = self.server_tls.take() {
                s.failed();
            }
            self.finish();
            return true;
        };
        self.encrypted = true;
        let server = self.server_tls.take().unwrap();
        self.server = Some(server.established(info(true), self.now));
        match pending.established(info(verified), self.now) {
            Ok(c) => self.client = Some(c),
            Err(e) => {
                self.client_events.push(format!("error {e}"));
                self.client_error = Some(e);
            }
        }
        true
    }

    /// Nothing moves any more: the side still open sees the connection close.
    fn close(&mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        if let Some(p) = self.client_tls.take() {
            self.client_events.push(format!("handshake abandoned: {:?}", p.failed()));
        }
        if let Some(p) = self.server_tls.take() {
            p.failed();
        }
        if let Some(s) = self.server.as_mut() {
            let close = s.peer_closed();
            self.server_close.get_or_insert(close);
        }
        if let Some(c) = self.client.as_mut() {
            if let Err(e) = c.peer_closed() {
                self.client_error.get_or_insert(e);
            }
        }
        self.closed = true;
    }
}

/// The variant name of a `Debug` string.
fn name(debug: &str) -> String {
    debug.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_string()
}
