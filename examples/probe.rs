//! Probes an SMTP server and prints what it offers and how it handles STARTTLS, as a table:
//! the greeting, the EHLO capabilities before and after STARTTLS, the TLS version and cipher,
//! whether the certificate verifies against the public web roots (`webpki-roots`, or `--ca`),
//! and whether the server wrongly answers a command pipelined behind STARTTLS (the
//! CVE-2011-0411 class: `STARTTLS\r\nNOOP\r\n` in one write).
//!
//! ```sh
//! cargo run --example probe -- mx.example.org          # port 25, STARTTLS
//! cargo run --example probe -- smtp.example.org 465 --implicit
//! ```
//!
//! The first session is the crate's own client (the `blocking_client` driver, opportunistic,
//! sending no mail); the pipelining check is a second, hand-written session, since the crate's
//! client never pipelines behind STARTTLS.
#![allow(clippy::indexing_slicing)]
#![allow(clippy::duplicate_mod)]

#[allow(dead_code)]
#[path = "blocking_client.rs"]
pub(crate) mod blocking_client;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use blocking_client::common::{self, BoxError, ClientSettings, Flags, Tapped, TlsMode};
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, StreamOwned};
use smtp_wire::{EhloReply, Extension, Reply, Status};

/// What the probe found.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub(crate) greeting: String,
    pub(crate) ehlo_before: Vec<String>,
    pub(crate) ehlo_after: Vec<String>,
    pub(crate) tls: Option<String>,
    pub(crate) verified: Option<bool>,
    pub(crate) outcome: String,
    pub(crate) pipelining: String,
}

/// Replies one after the other from a run of octets (the rest is dropped).
fn replies(octets: &[u8]) -> Vec<Reply<'_>> {
    let mut out = Vec::new();
    let mut rest = octets;
    while let Ok(Status::Complete { value, consumed }) = Reply::parse_prefix(rest) {
        out.push(value);
        rest = &rest[consumed..];
    }
    out
}

fn capabilities(reply: Option<&Reply<'_>>) -> Vec<String> {
    let Some(ehlo) = reply.and_then(|r| EhloReply::try_from(r).ok()) else { return Vec::new() };
    ehlo.capabilities().map(|c| c.to_string()).collect()
}

pub(crate) fn probe(
    addr: &str,
    name: &str,
    implicit: bool,
    roots: rustls::RootCertStore,
) -> Result<Findings, BoxError> {
    let mode = if implicit { TlsMode::Implicit } else { TlsMode::StartTls };
    let mut settings = ClientSettings::new(addr, mode, roots)?.with_smtp(|c| {
        // Report, never refuse: an unverified certificate is a finding, not an error.
        c.with_tls_policy(smtp_wire::TlsPolicy::Opportunistic).with_accept_unverified(true)
    });
    settings.name = ServerName::try_from(name.to_string())?;
    // The transcript, split at the handshake.
    let (mut before, mut after, mut info) = (Vec::new(), Vec::new(), None);
    let mut tap = |t: Tapped<'_>| match t {
        Tapped::Received(o) if info.is_none() => before.extend_from_slice(o),
        Tapped::Received(o) => after.extend_from_slice(o),
        Tapped::Tls(i) => info = Some(i.clone()),
        Tapped::Sent(_) => {}
    };
    let report = blocking_client::deliver(&settings, Vec::new(), &mut tap)?;
    let mut f = Findings { outcome: report.outcome.map(|o| o.to_string()).unwrap_or_default(), ..Findings::default() };
    let (pre, post) = (replies(&before), replies(&after));
    let first = if implicit { &post } else { &pre };
    f.greeting = first.first().map(common::text).unwrap_or_default();
    if implicit {
        f.ehlo_after = capabilities(post.get(1));
    } else {
        f.ehlo_before = capabilities(pre.get(1));
        f.ehlo_after = capabilities(post.first());
    }
    if let Some(info) = info {
        f.tls = Some(format!("{}, {}", info.version, info.cipher));
        f.verified = Some(info.peer_verified);
    }
    let offers_starttls =
        pre.get(1).and_then(|r| EhloReply::try_from(r).ok()).is_some_and(|e| e.supports(Extension::StartTls));
    f.pipelining = if implicit {
        "not applicable (implicit TLS)".into()
    } else if !offers_starttls {
        "not applicable (no STARTTLS)".into()
    } else {
        pipelined_starttls(addr, &settings)?
    };
    Ok(f)
}

/// Reads until `octets` holds a complete reply beyond `from` replies, or `wait` passes.
fn read_reply(conn: &mut dyn Read, octets: &mut Vec<u8>, from: usize, wait: Duration) -> io::Result<()> {
    let start = Instant::now();
    let mut chunk = [0u8; 4096];
    while replies(octets).len() <= from && start.elapsed() < wait {
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => octets.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A second session: EHLO, then `STARTTLS\r\nNOOP\r\n` in one write. A safe server refuses
/// or discards the NOOP; a vulnerable one answers it, before or after the handshake.
fn pipelined_starttls(addr: &str, settings: &ClientSettings) -> Result<String, BoxError> {
    let mut tcp = TcpStream::connect(addr)?;
    tcp.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut octets = Vec::new();
    read_reply(&mut tcp, &mut octets, 0, Duration::from_secs(30))?;
    tcp.write_all(b"EHLO probe.smtp-wire.example\r\n")?;
    read_reply(&mut tcp, &mut octets, 1, Duration::from_secs(30))?;
    tcp.write_all(b"STARTTLS\r\nNOOP\r\n")?;
    read_reply(&mut tcp, &mut octets, 2, Duration::from_secs(30))?;
    // Anything else in plaintext within a second is an answer to the NOOP.
    read_reply(&mut tcp, &mut octets, 3, Duration::from_secs(1))?;
    let got: Vec<String> = replies(&octets).iter().skip(2).map(common::text).collect();
    match got.as_slice() {
        [] => return Ok("connection closed after STARTTLS (safe)".into()),
        [first, ..] if !first.starts_with("220") => return Ok(format!("refused: {first} (safe)")),
        [_, noop, ..] => return Ok(format!("ANSWERED in plaintext before the handshake: {noop} (RFC 3207 §4)")),
        [_] => {}
    }
    let conn = ClientConnection::new(settings.tls.config.clone(), settings.name.clone())?;
    let mut tls = StreamOwned::new(conn, tcp);
    while tls.conn.is_handshaking() {
        if let Err(e) = tls.conn.complete_io(&mut tls.sock) {
            return Ok(format!("handshake failed: the server read the pipelined octets as TLS ({e}) (safe)"));
        }
    }
    // Say nothing for a second and a half: a reply now answers the NOOP sent in plaintext.
    let mut inside = Vec::new();
    read_reply(&mut tls, &mut inside, 0, Duration::from_millis(1500))?;
    let verdict = match replies(&inside).first() {
        Some(r) => {
            format!("VULNERABLE: answered the plaintext NOOP inside TLS: {} (CVE-2011-0411 class)", common::text(r))
        }
        None => "discarded (safe)".into(),
    };
    let _ = tls.write_all(b"QUIT\r\n");
    Ok(verdict)
}

pub(crate) fn table(target: &str, f: &Findings) -> String {
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes".to_string(),
        Some(false) => "NO".to_string(),
        None => "-".to_string(),
    };
    let list = |v: &[String]| if v.is_empty() { "-".to_string() } else { v.join(", ") };
    let rows = [
        ("greeting", f.greeting.clone()),
        ("EHLO before STARTTLS", list(&f.ehlo_before)),
        ("TLS", f.tls.clone().unwrap_or_else(|| "-".into())),
        ("certificate verified", yes_no(f.verified)),
        ("EHLO after TLS", list(&f.ehlo_after)),
        ("command pipelined after STARTTLS", f.pipelining.clone()),
        ("session outcome", f.outcome.clone()),
    ];
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = format!("probe of {target}\n");
    for (k, v) in rows {
        out.push_str(&format!("  {k:<width$}  {v}\n"));
    }
    out
}

fn main() -> std::process::ExitCode {
    let run = || -> Result<(), BoxError> {
        let flags = Flags::parse(std::env::args().skip(1), &["name", "ca"])?;
        let Some(host) = flags.positional.first() else {
            return Err("usage: probe HOST [PORT] [--implicit] [--name SNI] [--ca CERT.pem]".into());
        };
        let implicit = flags.has("implicit");
        let port = flags.positional.get(1).map_or(if implicit { "465" } else { "25" }, String::as_str);
        let roots = match flags.get("ca") {
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                for cert in
                    <rustls::pki_types::CertificateDer<'_> as rustls::pki_types::pem::PemObject>::pem_file_iter(ca)?
                {
                    roots.add(cert?)?;
                }
                roots
            }
            None => common::public_roots(),
        };
        let target = format!("{host}:{port}");
        let findings = probe(&target, flags.get("name").unwrap_or(host), implicit, roots)?;
        print!("{}", table(&target, &findings));
        Ok(())
    };
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("probe: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
