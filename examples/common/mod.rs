//! What the example drivers share, so that each driver file holds only its loop: flags,
//! certificates, rustls configurations, the facts that go into [`TlsInfo`], the server's
//! application (it answers every question and stores every message, with a `Received` field
//! that records the TLS outcome) and the client's transcript hook.
//!
//! TLS is rustls with the `ring` provider; certificates are made at start-up with rcgen, or
//! read from PEM files.
// Each example uses a part of this module.
#![allow(dead_code)]

use std::collections::HashMap;
use std::error::Error;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{SystemTime, UNIX_EPOCH};

mod tls;
pub(crate) use tls::{ClientTls, Identity, public_roots, tls_info};

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use smtp_wire::{
    AuthMechanisms, ClientConfig, ClientError, Credentials, Domain, Envelope, ForwardPath, HelloKind, Host,
    InitialResponse, Param, Received, ReceivedWith, Reply, ReversePath, Server, ServerConfig, ServerEvent, TlsInfo,
    TlsOutcome, TlsPolicy, sasl,
};

pub(crate) type BoxError = Box<dyn Error + Send + Sync>;

// ---------------------------------------------------------------------------------------------
// Flags: `--name value`, `--name=value`, switches, and positional arguments.

/// Parsed command-line flags.
#[derive(Debug, Default)]
pub(crate) struct Flags {
    values: HashMap<String, Vec<String>>,
    pub(crate) positional: Vec<String>,
}

impl Flags {
    /// Parses `args`; `valued` names the flags that take a value (without `--`), every other
    /// `--flag` is a switch.
    pub(crate) fn parse(args: impl IntoIterator<Item = String>, valued: &[&str]) -> Result<Self, String> {
        let mut flags = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let Some(name) = arg.strip_prefix("--") else {
                flags.positional.push(arg);
                continue;
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None if valued.contains(&name) => {
                    (name.to_string(), Some(args.next().ok_or(format!("--{name} needs a value"))?))
                }
                None => (name.to_string(), None),
            };
            flags.values.entry(name).or_default().extend(value);
        }
        Ok(flags)
    }

    /// The last value given for `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.last()).map(String::as_str)
    }

    /// Every value given for `name`.
    pub(crate) fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether the switch `name` was given.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
}

/// `--tls`: the posture and the transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsMode {
    /// No TLS at all.
    Off,
    /// STARTTLS offered (server) or used when offered (client): opportunistic.
    StartTls,
    /// STARTTLS required: nothing but the hellos, NOOP, RSET and QUIT in plaintext.
    Required,
    /// TLS from the first octet (RFC 8314, port 465).
    Implicit,
}

impl TlsMode {
    pub(crate) fn parse(s: &str) -> Result<Self, String> {
        Ok(match s {
            "off" => Self::Off,
            "starttls" => Self::StartTls,
            "required" => Self::Required,
            "implicit" => Self::Implicit,
            _ => return Err(format!("--tls {s}: expected starttls, required, implicit or off")),
        })
    }

    /// The machines' posture for this mode (implicit TLS: verification required, as RFC 8314
    /// §5 asks of a submission client).
    pub(crate) fn policy(self) -> TlsPolicy {
        match self {
            Self::Off => TlsPolicy::Disabled,
            Self::StartTls => TlsPolicy::Opportunistic,
            Self::Required | Self::Implicit => TlsPolicy::Required,
        }
    }
}

/// `USER:PASS`.
pub(crate) fn user_pass(s: &str) -> Result<(String, String), String> {
    s.split_once(':').map(|(u, p)| (u.to_string(), p.to_string())).ok_or(format!("{s}: expected USER:PASS"))
}

// ---------------------------------------------------------------------------------------------
// The server's side: settings, the message store, and the application that answers.

/// Where received messages go.
pub(crate) enum Sink {
    /// Printed, one after the other.
    Stdout,
    /// One file per message, `NNNNNN.eml`.
    Dir(PathBuf),
    /// Handed to another thread (the demo, the tests).
    Channel(mpsc::Sender<Vec<u8>>),
}

/// Everything an example server needs, shared by its connections.
pub(crate) struct ServerSettings {
    pub(crate) smtp: Arc<ServerConfig>,
    /// `None`: `--tls off`.
    pub(crate) tls: Option<Arc<rustls::ServerConfig>>,
    pub(crate) implicit: bool,
    pub(crate) auth: Option<(String, String)>,
    pub(crate) sink: Sink,
    pub(crate) quiet: bool,
    count: AtomicUsize,
}

pub(crate) const SERVER_FLAGS: &[&str] = &["listen", "tls", "cert", "key", "auth", "out", "hostname"];
pub(crate) const SERVER_USAGE: &str = "[--listen 127.0.0.1:2525] [--tls starttls|required|implicit|off] \
     [--cert CERT.pem --key KEY.pem] [--auth USER:PASS] [--out DIR] [--hostname NAME] [--lmtp] [--quiet]";

impl ServerSettings {
    pub(crate) fn new(
        mode: TlsMode,
        identity: Option<&Identity>,
        hostname: &str,
        sink: Sink,
    ) -> Result<Self, BoxError> {
        let mut smtp = ServerConfig::new(Domain::new(hostname)?);
        smtp.tls_policy = match mode {
            TlsMode::Implicit => TlsPolicy::Opportunistic,
            m => m.policy(),
        };
        let tls = match (mode, identity) {
            (TlsMode::Off, _) => None,
            (_, Some(id)) => Some(id.server_tls()?),
            (_, None) => Some(Identity::generate(&[hostname, "localhost", "127.0.0.1"])?.server_tls()?),
        };
        let implicit = mode == TlsMode::Implicit;
        Ok(Self { smtp: Arc::new(smtp), tls, implicit, auth: None, sink, quiet: false, count: AtomicUsize::new(0) })
    }

    /// `AUTH PLAIN LOGIN` for one user (offered in TLS only, RFC 4954 §4).
    pub(crate) fn with_auth(mut self, user: &str, pass: &str) -> Self {
        let mut smtp = (*self.smtp).clone();
        smtp.auth_mechanisms = AuthMechanisms::new("PLAIN LOGIN").ok();
        self.smtp = Arc::new(smtp);
        self.auth = Some((user.to_string(), pass.to_string()));
        self
    }

    /// LMTP (RFC 2033) instead of SMTP: LHLO, and one reply per accepted recipient after the
    /// body.
    pub(crate) fn with_lmtp(mut self) -> Self {
        let mut smtp = (*self.smtp).clone();
        smtp.lmtp = true;
        self.smtp = Arc::new(smtp);
        self
    }

    /// From the command line; returns the settings and the address to listen on.
    pub(crate) fn from_args() -> Result<(Self, String), BoxError> {
        let flags = Flags::parse(std::env::args().skip(1), SERVER_FLAGS)?;
        if flags.has("help") {
            return Err(format!("usage: {SERVER_USAGE}").into());
        }
        let mode = TlsMode::parse(flags.get("tls").unwrap_or("starttls"))?;
        let identity = match (flags.get("cert"), flags.get("key")) {
            (Some(c), Some(k)) => Some(Identity::load(c, k)?),
            (None, None) => None,
            _ => return Err("--cert and --key go together".into()),
        };
        let sink = match flags.get("out") {
            Some(dir) => Sink::Dir(PathBuf::from(dir)),
            None => Sink::Stdout,
        };
        let hostname = flags.get("hostname").unwrap_or("localhost");
        let mut settings = Self::new(mode, identity.as_ref(), hostname, sink)?;
        if let Some(auth) = flags.get("auth") {
            let (user, pass) = user_pass(auth)?;
            settings = settings.with_auth(&user, &pass);
        }
        if flags.has("lmtp") {
            settings = settings.with_lmtp();
        }
        settings.quiet = flags.has("quiet");
        Ok((settings, flags.get("listen").unwrap_or("127.0.0.1:2525").to_string()))
    }

    /// Logs one line to stderr (unless `--quiet`).
    pub(crate) fn log(&self, line: std::fmt::Arguments<'_>) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    fn store(&self, message: Vec<u8>) -> io::Result<usize> {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.sink {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                writeln!(out, "==== message {n} ({} octets)", message.len())?;
                out.write_all(&message)?;
                out.flush()?;
            }
            Sink::Dir(dir) => std::fs::write(dir.join(format!("{n:06}.eml")), &message)?,
            Sink::Channel(tx) => tx.send(message).map_err(|_| io::Error::other("message receiver gone"))?,
        }
        Ok(n)
    }
}

/// Where an AUTH exchange stands.
#[derive(Debug)]
enum AuthStep {
    Idle,
    Plain,
    LoginUser,
    LoginPass(String),
}

/// The application behind an example server: it says yes to every greeting, sender and
/// recipient (any recipient is accepted), checks `--auth` credentials, and stores each
/// message with a `Received` field in front (RFC 5321 §4.4): `for` the recipient when there
/// is one, and the `UTF8` keyword when MAIL declared SMTPUTF8 (RFC 6531 §3.7.3).
pub(crate) struct App<'s> {
    settings: &'s ServerSettings,
    peer: SocketAddr,
    helo: Option<(HelloKind, Host<'static>)>,
    message: Vec<u8>,
    auth: AuthStep,
    /// The transaction's accepted recipients.
    recipients: Vec<ForwardPath<'static>>,
    /// MAIL declared SMTPUTF8.
    smtputf8: bool,
}

fn io_err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

impl<'s> App<'s> {
    pub(crate) fn new(settings: &'s ServerSettings, peer: SocketAddr) -> Self {
        Self {
            settings,
            peer,
            helo: None,
            message: Vec::new(),
            auth: AuthStep::Idle,
            recipients: Vec::new(),
            smtputf8: false,
        }
    }

    /// Answers `event` (or takes its octets). `StartTls` and `Closed` are the driver's.
    pub(crate) fn on_event(&mut self, server: &mut Server, event: ServerEvent<'_>) -> io::Result<()> {
        match event {
            ServerEvent::Hello { kind, host } => {
                self.helo = Some((kind, host.into_owned()));
                server.accept().map_err(io_err)?;
            }
            ServerEvent::Body(octets) => self.message.extend_from_slice(octets),
            ServerEvent::MessageComplete { recipients, .. } => {
                // LMTP answers once for each accepted recipient (RFC 2033 §4.2); this server
                // stores one copy for all of them.
                let answers = if server.config().lmtp { recipients.max(1) } else { 1 };
                let mut stored = received(self, server);
                stored.append(&mut self.message);
                // The transaction is over, stored or not.
                self.recipients.clear();
                self.smtputf8 = false;
                match self.settings.store(stored) {
                    Ok(n) => self.settings.log(format_args!("{}: message {n} stored", self.peer)),
                    Err(e) => {
                        self.settings.log(format_args!("{}: cannot store the message: {e}", self.peer));
                        let reply = Reply::parse(b"451 4.3.0 Cannot store the message\r\n").map_err(io_err)?;
                        for _ in 0..answers {
                            server.reject(&reply).map_err(io_err)?;
                        }
                        return Ok(());
                    }
                }
                for _ in 0..answers {
                    server.accept().map_err(io_err)?;
                }
            }
            ServerEvent::MessageRefused { reason } => {
                self.settings.log(format_args!("{}: message refused: {reason}", self.peer));
                self.message.clear();
            }
            ServerEvent::Auth { mechanism, initial_response } => {
                let plain = mechanism.eq_ignore_ascii_case("PLAIN");
                match initial_response {
                    Some(InitialResponse::Data(data)) if plain => self.check_plain(server, &data.decode())?,
                    Some(InitialResponse::Empty) if plain => self.check_plain(server, b"")?,
                    None if plain => self.challenge(server, b"", AuthStep::Plain)?,
                    Some(InitialResponse::Data(user)) => {
                        let user = sasl::login(&user.decode()).unwrap_or_default().to_string();
                        self.challenge(server, sasl::LOGIN_PASSWORD, AuthStep::LoginPass(user))?;
                    }
                    _ => self.challenge(server, sasl::LOGIN_USERNAME, AuthStep::LoginUser)?,
                }
            }
            ServerEvent::AuthResponse { response } => {
                let data = response.decode();
                match std::mem::replace(&mut self.auth, AuthStep::Idle) {
                    AuthStep::Plain => self.check_plain(server, &data)?,
                    AuthStep::LoginUser => {
                        let user = sasl::login(&data).unwrap_or_default().to_string();
                        self.challenge(server, sasl::LOGIN_PASSWORD, AuthStep::LoginPass(user))?;
                    }
                    AuthStep::LoginPass(user) => {
                        let pass = sasl::login(&data).unwrap_or_default();
                        self.decide(server, &user, pass)?;
                    }
                    AuthStep::Idle => self.decide(server, "", "")?,
                }
            }
            ServerEvent::AuthAborted => self.auth = AuthStep::Idle,
            // MAIL (a new transaction), RCPT (any recipient), VRFY, EXPN: yes.
            ServerEvent::Mail { params, .. } => {
                self.message.clear();
                self.recipients.clear();
                self.smtputf8 = params.iter().any(|p| matches!(p, Param::SmtpUtf8));
                server.accept().map_err(io_err)?;
            }
            ServerEvent::Rcpt { forward_path, .. } => {
                self.recipients.push(forward_path.into_owned());
                server.accept().map_err(io_err)?;
            }
            _ if server.is_pending() => server.accept().map_err(io_err)?,
            _ => {}
        }
        Ok(())
    }

    fn challenge(&mut self, server: &mut Server, data: &[u8], next: AuthStep) -> io::Result<()> {
        self.auth = next;
        server.challenge(data).map_err(io_err)
    }

    fn check_plain(&mut self, server: &mut Server, message: &[u8]) -> io::Result<()> {
        match sasl::plain(message) {
            Ok(p) if p.authzid.is_empty() || p.authzid == p.authcid => self.decide(server, p.authcid, p.password()),
            _ => self.decide(server, "", ""),
        }
    }

    fn decide(&mut self, server: &mut Server, user: &str, pass: &str) -> io::Result<()> {
        let ok = self.settings.auth.as_ref().is_some_and(|(u, p)| u == user && p == pass);
        if ok {
            server.accept().map_err(io_err)
        } else {
            let reply = Reply::parse(b"535 5.7.8 Authentication credentials invalid\r\n").map_err(io_err)?;
            server.reject(&reply).map_err(io_err)
        }
    }
}

/// The `Received` field for a message just completed (RFC 5321 §4.4), with the protocol
/// (RFC 3848: `ESMTPS` for STARTTLS or implicit TLS, `A` when authenticated) and the TLS facts
/// in the `tls` clause (RFC 8314 §4.3) and a comment.
fn received(app: &App<'_>, server: &Server) -> Vec<u8> {
    let kind = app.helo.as_ref().map_or(HelloKind::Helo, |(k, _)| *k);
    let with = match kind {
        HelloKind::Ehlo => ReceivedWith::Esmtp,
        HelloKind::Lhlo => ReceivedWith::Lmtp,
        _ => ReceivedWith::Smtp,
    };
    let outcome = server.tls_outcome();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let mut field = Received::new(&server.config().hostname, with, &outcome, now).smtputf8(app.smtputf8);
    if let Some((_, helo)) = &app.helo {
        field = field.from(helo, Some(app.peer.ip()));
    }
    // One recipient only: listing several would disclose Bcc recipients (RFC 5321 §7.6). A
    // UTF-8 path only in a transaction that declared SMTPUTF8: a path accepted without it
    // (the server's `utf8_envelope` tolerance) stays out of the header.
    if let [one] = app.recipients.as_slice() {
        if app.smtputf8 || one.is_ascii() {
            field = field.recipient(one);
        }
    }
    field.authenticated(server.is_authenticated()).to_vec().unwrap_or_default()
}

/// `Tue, 1 Apr 2025 12:00:00 +0000` (RFC 5322 §3.3), in UTC: the crate's formatter, fed
/// the system clock.
pub(crate) fn rfc5322_date(t: SystemTime) -> String {
    smtp_wire::rfc5322_date(t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}

/// Splits a stored message into its leading `Received` field and the message as it came.
pub(crate) fn split_received(stored: &[u8]) -> (&[u8], &[u8]) {
    let mut end = 0;
    while let Some(nl) = stored.get(end..).and_then(|r| r.iter().position(|&b| b == b'\n')) {
        end += nl + 1;
        if !matches!(stored.get(end), Some(b' ' | b'\t')) {
            break;
        }
    }
    stored.split_at(end)
}

// ---------------------------------------------------------------------------------------------
// The client's side.

/// A client session's settings.
pub(crate) struct ClientSettings {
    /// `HOST:PORT` to connect to.
    pub(crate) server: String,
    /// The name the certificate must carry (SNI).
    pub(crate) name: ServerName<'static>,
    pub(crate) mode: TlsMode,
    pub(crate) smtp: Arc<ClientConfig>,
    pub(crate) tls: ClientTls,
}

pub(crate) const CLIENT_FLAGS: &[&str] = &["tls", "from", "to", "body", "auth", "ca", "name", "hostname"];
pub(crate) const CLIENT_USAGE: &str = "[HOST:PORT] [--tls starttls|required|implicit|off] --from ADDR --to ADDR... \
     [--body FILE] [--auth USER:PASS] [--ca CERT.pem] [--name SNI] [--insecure] [--hostname NAME] [--quiet]";

impl ClientSettings {
    /// `roots` decide what "verified" means.
    pub(crate) fn new(server: &str, mode: TlsMode, roots: RootCertStore) -> Result<Self, BoxError> {
        let host = server.rsplit_once(':').map_or(server, |(h, _)| h).trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_string())?;
        let smtp = ClientConfig::new(Domain::new("localhost")?).with_tls_policy(mode.policy());
        Ok(Self { server: server.to_string(), name, mode, smtp: Arc::new(smtp), tls: ClientTls::new(roots)? })
    }

    /// Changes the SMTP configuration.
    pub(crate) fn with_smtp(mut self, f: impl FnOnce(ClientConfig) -> ClientConfig) -> Self {
        self.smtp = Arc::new(f((*self.smtp).clone()));
        self
    }

    /// From the command line: the settings, the message, and whether to print the transcript.
    pub(crate) fn from_args() -> Result<(Self, Envelope, bool), BoxError> {
        let flags = Flags::parse(std::env::args().skip(1), CLIENT_FLAGS)?;
        let (Some(from), false) = (flags.get("from"), flags.all("to").is_empty() || flags.has("help")) else {
            return Err(format!("usage: {CLIENT_USAGE}").into());
        };
        let server = flags.positional.first().map_or("127.0.0.1:2525", String::as_str);
        let mode = TlsMode::parse(flags.get("tls").unwrap_or("starttls"))?;
        let roots = match flags.get("ca") {
            Some(ca) => {
                let mut roots = RootCertStore::empty();
                for cert in CertificateDer::pem_file_iter(ca)? {
                    roots.add(cert?)?;
                }
                roots
            }
            None => public_roots(),
        };
        let mut settings = Self::new(server, mode, roots)?;
        if let Some(name) = flags.get("name") {
            settings.name = ServerName::try_from(name.to_string())?;
        }
        let hostname = Domain::new(flags.get("hostname").unwrap_or("localhost"))?.into_owned();
        let credentials = flags.get("auth").map(user_pass).transpose()?;
        settings = settings.with_smtp(|mut c| {
            c.hostname = hostname.into();
            c.accept_unverified = flags.has("insecure");
            if let Some((user, pass)) = credentials {
                c.credentials = Some(Credentials::new(&user, &pass));
            }
            c
        });
        let body = match flags.get("body") {
            Some(file) => std::fs::read(file)?,
            None => sample_body(from, flags.all("to")),
        };
        let mut envelope = Envelope::new(ReversePath::parse(format!("<{from}>").as_bytes())?.into_owned(), body);
        for to in flags.all("to") {
            envelope = envelope.with_recipient(ForwardPath::parse(format!("<{to}>").as_bytes())?.into_owned());
        }
        Ok((settings, envelope, !flags.has("quiet")))
    }
}

/// A reply as text (lines joined, CRLF dropped).
pub(crate) fn text(reply: &Reply<'_>) -> String {
    String::from_utf8_lossy(&smtp_wire::Encode::to_vec(reply)).trim_end().replace("\r\n", " / ")
}

/// A small message with the header fields every server is happy with.
pub(crate) fn sample_body(from: &str, to: &[String]) -> Vec<u8> {
    let now = SystemTime::now();
    let stamp = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!(
        "From: <{from}>\r\nTo: {}\r\nSubject: smtp-wire example\r\nDate: {}\r\nMessage-ID: <{stamp}@smtp-wire.example>\r\n\
         \r\nHello from smtp-wire.\r\n.A line that starts with a dot (stuffed on the wire).\r\n",
        to.iter().map(|t| format!("<{t}>")).collect::<Vec<_>>().join(", "),
        rfc5322_date(now)
    )
    .into_bytes()
}

/// What a client driver reports to an observer, in order.
pub(crate) enum Tapped<'a> {
    /// Octets written (plaintext, before TLS encrypts them).
    Sent(&'a [u8]),
    /// Octets read (after TLS decrypts them).
    Received(&'a [u8]),
    /// The handshake finished with these facts.
    Tls(&'a TlsInfo),
}

/// An observer of a client session (the transcript).
pub(crate) type Tap<'t> = &'t mut (dyn FnMut(Tapped<'_>) + Send);

/// How a client session went.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// The session's TLS outcome when it was ready for mail.
    pub(crate) outcome: Option<TlsOutcome>,
    /// Each message's result: the server's final reply, accepted or not.
    pub(crate) messages: Vec<(bool, String)>,
    /// Each recipient the server refused at RCPT: its index in the envelope, the reply.
    pub(crate) refused: Vec<(usize, String)>,
    /// LMTP (RFC 2033 §4.2): each accepted recipient's reply after the body: its index in the
    /// envelope, delivered or not, the reply.
    pub(crate) deliveries: Vec<(usize, bool, String)>,
}

/// Why a client session failed.
#[derive(Debug)]
pub(crate) enum Failure {
    Io(io::Error),
    Tls(rustls::Error),
    Smtp(ClientError),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "connection: {e}"),
            Self::Tls(e) => write!(f, "TLS: {e}"),
            Self::Smtp(e) => write!(f, "SMTP: {e}"),
        }
    }
}

impl Error for Failure {}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}
impl From<rustls::Error> for Failure {
    fn from(e: rustls::Error) -> Self {
        Self::Tls(e)
    }
}
impl From<ClientError> for Failure {
    fn from(e: ClientError) -> Self {
        Self::Smtp(e)
    }
}

/// A transcript printer: `C:`/`S:` lines, the switch to TLS marked; colour only when asked
/// (the demo asks when stdout is a terminal).
pub(crate) struct Transcript {
    pub(crate) colour: bool,
    pub(crate) prefix: &'static str,
}

impl Transcript {
    pub(crate) fn paint(&self, code: &str, text: &str) -> String {
        if self.colour { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    pub(crate) fn show(&self, t: Tapped<'_>) {
        let (who, code, octets) = match t {
            Tapped::Sent(o) => ("C:", "36", o),
            Tapped::Received(o) => ("S:", "32", o),
            Tapped::Tls(info) => {
                let verified = if info.peer_verified { "certificate verified" } else { "certificate NOT verified" };
                let line = format!("---- TLS handshake done: {}, {}, {verified} ----", info.version, info.cipher);
                println!("{}{}", self.prefix, self.paint("1;33", &line));
                return;
            }
        };
        for line in octets.split_inclusive(|&b| b == b'\n') {
            let text = String::from_utf8_lossy(line);
            let text = text.trim_end_matches(['\r', '\n']);
            println!("{}{}", self.prefix, self.paint(code, &format!("{who} {text}")));
        }
    }
}
