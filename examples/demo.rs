//! The crate's point in one run, on loopback, over real TLS (rustls):
//!
//! 1. a message from the crate's client to the crate's server over STARTTLS, with the
//!    transcript, the TLS outcome and what the server received;
//! 2. then the attacks the crate exists to stop, each with the verdict: a man in the middle
//!    that strips the STARTTLS offer (opportunistic: plaintext, and the outcome says why;
//!    required: nothing is sent), one that injects a reply behind the `220` to STARTTLS, and
//!    a client that pipelines a command behind STARTTLS.
//!
//! ```sh
//! cargo run --example demo
//! ```
//!
//! Both ends are the example drivers (`blocking_server.rs`, `blocking_client.rs`); the man in
//! the middle is a small proxy here that rewrites octets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// Each driver file is a complete example with its own `mod common`; including two of them
// loads that module twice, which costs a little compile time and nothing else.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code)]
#[path = "blocking_client.rs"]
pub(crate) mod blocking_client;
#[allow(dead_code)]
#[path = "blocking_server.rs"]
pub(crate) mod blocking_server;

use std::io::{IsTerminal, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use blocking_client::common::{ClientSettings, Failure, Tapped, TlsMode as ClientMode, Transcript};
use blocking_server::common::{Identity, ServerSettings, Sink, TlsMode};
use smtp_wire::{Domain, Envelope, ForwardPath, ReversePath};

const SERVER_NAME: &str = "mx.demo.example";

/// A server on a loopback port, serving every connection; messages come out of the channel.
fn start_server(identity: &Identity) -> (SocketAddr, mpsc::Receiver<Vec<u8>>) {
    let (tx, rx) = mpsc::channel();
    let mut settings = ServerSettings::new(TlsMode::StartTls, Some(identity), SERVER_NAME, Sink::Channel(tx)).unwrap();
    settings.quiet = true;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || blocking_server::serve(listener, Arc::new(settings)));
    (addr, rx)
}

/// A man in the middle in front of `upstream`: passes octets both ways, rewriting what the
/// server sends with `rewrite`. Serves one connection.
fn start_proxy(upstream: SocketAddr, rewrite: fn(Vec<u8>) -> Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (mut client, _) = listener.accept().unwrap();
        let mut server = TcpStream::connect(upstream).unwrap();
        let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        thread::spawn(move || std::io::copy(&mut c2, &mut s2));
        let mut chunk = [0u8; 16 * 1024];
        while let Ok(n @ 1..) = server.read(&mut chunk) {
            if client.write_all(&rewrite(chunk[..n].to_vec())).is_err() {
                break;
            }
        }
        let _ = client.shutdown(std::net::Shutdown::Both);
    });
    addr
}

fn message() -> Envelope {
    let from = ReversePath::parse(b"<alice@client.demo.example>").unwrap().into_owned();
    let to = ForwardPath::parse(b"<bob@mx.demo.example>").unwrap().into_owned();
    Envelope::new(from, BODY).with_recipient(to)
}

const BODY: &[u8] = b"From: <alice@client.demo.example>\r\nTo: <bob@mx.demo.example>\r\nSubject: demo\r\n\r\n\
Hello Bob.\r\n.This line starts with a dot: it is stuffed on the wire and unstuffed on arrival.\r\n";

struct Out {
    colour: bool,
}

impl Out {
    fn paint(&self, code: &str, text: &str) -> String {
        Transcript { colour: self.colour, prefix: "" }.paint(code, text)
    }
    fn title(&self, text: &str) {
        println!("\n{}", self.paint("1", &format!("== {text}")));
    }
    fn good(&self, text: &str) {
        println!("  {}", self.paint("1;32", &format!("✔ {text}")));
    }
    fn warn(&self, text: &str) {
        println!("  {}", self.paint("1;33", &format!("! {text}")));
    }
    fn bad(&self, text: &str) {
        println!("  {}", self.paint("1;31", &format!("✘ {text}")));
    }
}

/// Runs the crate's client against `addr` with the transcript printed.
fn send(out: &Out, addr: SocketAddr, mode: ClientMode, identity: &Identity) -> (Result<String, Failure>, Vec<u8>) {
    let mut settings = ClientSettings::new(&addr.to_string(), mode, identity.roots()).unwrap().with_smtp(|mut c| {
        c.hostname = Domain::new("client.demo.example").unwrap().into_owned().into();
        c
    });
    settings.name = rustls::pki_types::ServerName::try_from(SERVER_NAME).unwrap();
    let transcript = Transcript { colour: out.colour, prefix: "  " };
    let mut sent = Vec::new();
    let mut tap = |t: Tapped<'_>| {
        if let Tapped::Sent(o) = &t {
            sent.extend_from_slice(o);
        }
        transcript.show(t);
    };
    let result = blocking_client::deliver(&settings, vec![message()], &mut tap).map(|report| {
        let outcome = report.outcome.map(|o| o.to_string()).unwrap_or_default();
        let verdicts: Vec<String> = report.messages.iter().map(|(_, r)| r.clone()).collect();
        format!("{outcome}; server said: {}", verdicts.join(", "))
    });
    (result, sent)
}

fn main() -> ExitCode {
    if run() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// Every scenario; `true` when each ended as the crate promises.
pub(crate) fn run() -> bool {
    let out = Out { colour: std::io::stdout().is_terminal() };
    let identity = Identity::generate(&[SERVER_NAME]).unwrap();
    let (server, inbox) = start_server(&identity);
    let mut ok = true;

    out.title("A message over STARTTLS: smtp-wire's client → smtp-wire's server (TLS required, certificate verified)");
    match send(&out, server, ClientMode::Required, &identity).0 {
        Ok(verdict) => out.good(&format!("TLS outcome: {verdict}")),
        Err(e) => {
            out.bad(&format!("failed: {e}"));
            ok = false;
        }
    }
    let stored = inbox.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    let (trace, received) = blocking_server::common::split_received(&stored);
    println!("  The server stored (its Received field records the TLS outcome):");
    for line in String::from_utf8_lossy(&stored).lines() {
        println!("  {}", out.paint("2", &format!("| {line}")));
    }
    if received == BODY && !trace.is_empty() {
        out.good("the message arrived byte for byte (dots unstuffed, nothing added but the trace field)");
    } else {
        out.bad("the message differs from what was sent");
        ok = false;
    }

    out.title("A man in the middle strips STARTTLS from the EHLO reply; client opportunistic");
    let strip = |b: Vec<u8>| String::from_utf8_lossy(&b).replace("STARTTLS", "XXXXXXXA").into_bytes();
    let (result, _) = send(&out, start_proxy(server, strip), ClientMode::StartTls, &identity);
    let _ = inbox.recv_timeout(Duration::from_secs(5));
    match result {
        Ok(verdict) if verdict.starts_with("plaintext (STARTTLS not offered)") => {
            out.warn(&format!("delivered in plaintext, and the client knows it: {verdict}"));
            println!(
                "    (opportunistic TLS stops eavesdroppers, not an active attacker; the downgrade is reported, never silent)"
            );
        }
        other => {
            out.bad(&format!("unexpected: {other:?}"));
            ok = false;
        }
    }

    out.title("The same man in the middle; client requires TLS");
    let (result, sent) = send(&out, start_proxy(server, strip), ClientMode::Required, &identity);
    let sent = String::from_utf8_lossy(&sent).to_string();
    match result {
        Err(e @ Failure::Smtp(smtp_wire::ClientError::TlsNotOffered)) if sent.ends_with("\r\nQUIT\r\n") => {
            out.good(&format!("refused to send: {e}; nothing but EHLO and QUIT went out"));
        }
        other => {
            out.bad(&format!("unexpected: {other:?}"));
            ok = false;
        }
    }

    out.title("A man in the middle injects a reply behind the server's 220 to STARTTLS");
    let inject = |mut b: Vec<u8>| {
        if b.ends_with(b"220 2.0.0 Ready to start TLS\r\n") {
            b.extend_from_slice(b"250-mx.demo.example\r\n250 AUTH PLAIN\r\n");
        }
        b
    };
    let (result, _) = send(&out, start_proxy(server, inject), ClientMode::Required, &identity);
    match result {
        Err(e @ Failure::Smtp(smtp_wire::ClientError::ReplyInjection)) => {
            out.good(&format!("the client aborted before the handshake: {e}"));
        }
        other => {
            out.bad(&format!("unexpected: {other:?}"));
            ok = false;
        }
    }

    out.title("A client pipelines a command behind STARTTLS (CVE-2011-0411 style command injection)");
    match pipelined_starttls(&out, server) {
        Ok(last) if last.starts_with("421") => {
            out.good(&format!("the server refused the upgrade and closed: {}", last.trim_end()));
        }
        other => {
            out.bad(&format!("unexpected: {other:?}"));
            ok = false;
        }
    }
    println!();
    ok
}

/// A raw client: EHLO, then `STARTTLS` with `MAIL FROM` behind it in one write. Returns the
/// server's last reply.
fn pipelined_starttls(out: &Out, server: SocketAddr) -> std::io::Result<String> {
    let transcript = Transcript { colour: out.colour, prefix: "  " };
    let mut tcp = TcpStream::connect(server)?;
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut seen = Vec::new();
    let mut read_until = |tcp: &mut TcpStream, end: &[u8]| -> std::io::Result<()> {
        let mut chunk = [0u8; 4096];
        let start = seen.len();
        while !seen[start..].windows(end.len()).any(|w| w == end) {
            let n = tcp.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&chunk[..n]);
            transcript.show(Tapped::Received(&chunk[..n]));
        }
        Ok(())
    };
    read_until(&mut tcp, b"220 ")?;
    for line in [&b"EHLO mallory.example\r\n"[..], b"STARTTLS\r\nMAIL FROM:<mallory@example.net>\r\n"] {
        transcript.show(Tapped::Sent(line));
        tcp.write_all(line)?;
        read_until(&mut tcp, if line.starts_with(b"EHLO") { b"250 " } else { b"\r\n\r\n" })?;
    }
    let text = String::from_utf8_lossy(&seen).to_string();
    Ok(text.lines().last().unwrap_or_default().to_string())
}
