//! A blocking SMTP client over `std::net` and rustls (`StreamOwned`): the [`Client`] machine's
//! call order as a plain loop (see `smtp_wire::manual::client_policies`), with the STARTTLS
//! hand-off and implicit TLS.
//!
//! ```sh
//! cargo run --example blocking_client -- 127.0.0.1:2525 --tls starttls --insecure \
//!     --from alice@example.org --to bob@example.net
//! ```
//!
//! `--tls starttls` is opportunistic, `required` refuses to send without verified TLS (add
//! `--insecure` to accept an unverified certificate), `implicit` is port 465. Certificates are
//! verified against `--ca FILE`, else the public web roots.
#![allow(clippy::indexing_slicing)]

pub(crate) mod common;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{ClientSettings, Failure, Report, Tap, Tapped};
use rustls::{ClientConnection, StreamOwned};
use smtp_wire::{Client, ClientEvent, ClientTlsPending, Envelope};

trait Conn: Read + Write {
    fn tcp(&self) -> &TcpStream;
}
impl Conn for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}
impl Conn for StreamOwned<ClientConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }
}

/// Writes what the machine queued.
fn transmit(client: &mut Client, conn: &mut dyn Conn, tap: Tap<'_>) -> io::Result<()> {
    let mut out = Vec::new();
    if client.poll_transmit(&mut out) {
        tap(Tapped::Sent(&out));
        conn.write_all(&out)?;
    }
    Ok(())
}

/// Runs `client` on one stream until the session ends (`None`) or asks for TLS.
fn run(
    mut client: Client,
    conn: &mut dyn Conn,
    mail: &mut Vec<Envelope>,
    report: &mut Report,
    tap: Tap<'_>,
    epoch: Instant,
) -> Result<Option<ClientTlsPending>, Failure> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        transmit(&mut client, conn, tap)?;
        loop {
            let handled = match client.handle_input(&buf, epoch.elapsed()) {
                Ok(handled) => handled,
                Err(e) => {
                    transmit(&mut client, conn, tap)?; // a QUIT, when the connection allows one
                    return Err(e.into());
                }
            };
            let (consumed, event) = (handled.consumed, handled.event);
            let more = event.is_some();
            match event {
                Some(ClientEvent::Ready(outcome)) => report.outcome = Some(outcome),
                Some(ClientEvent::MessageAccepted { reply, .. }) => report.messages.push((true, common::text(&reply))),
                Some(ClientEvent::MessageRefused { reply, .. }) => report.messages.push((false, common::text(&reply))),
                Some(ClientEvent::RecipientRefused { index, reply }) => {
                    report.refused.push((index, common::text(&reply)))
                }
                Some(ClientEvent::Delivery { index, delivered, reply }) => {
                    report.deliveries.push((index, delivered, common::text(&reply)));
                }
                Some(ClientEvent::StartTls) => {
                    // Nothing may be read before the handshake: the machine has seen the whole
                    // buffer and would have refused octets behind the 220.
                    return client.into_tls().map(Some).map_err(|_| io::Error::other("not at the boundary").into());
                }
                Some(ClientEvent::Closed(_)) => return Ok(None),
                _ => {}
            }
            buf.drain(..consumed);
            if !more {
                break; // read more
            }
            // Between transactions: the next message, or QUIT.
            if client.is_ready() {
                match mail.pop() {
                    Some(envelope) => client.submit(envelope)?,
                    None => client.quit()?,
                }
            }
        }
        transmit(&mut client, conn, tap)?;
        let wait = client.poll_timeout().map(|d| d.saturating_sub(epoch.elapsed()).max(Duration::from_millis(1)));
        conn.tcp().set_read_timeout(wait)?;
        match conn.read(&mut chunk) {
            Ok(0) => {
                client.peer_closed()?;
                return Ok(None);
            }
            Ok(n) => {
                tap(Tapped::Received(&chunk[..n]));
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                client.handle_timeout(epoch.elapsed())?;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Delivers `mail` (sent in order) in one session.
pub(crate) fn deliver(settings: &ClientSettings, mut mail: Vec<Envelope>, tap: Tap<'_>) -> Result<Report, Failure> {
    let epoch = Instant::now();
    mail.reverse();
    let mut report = Report::default();
    let mut tcp = TcpStream::connect(&settings.server)?;
    let pending = if settings.mode == common::TlsMode::Implicit {
        ClientTlsPending::implicit(settings.smtp.clone())
    } else {
        let client = Client::new(settings.smtp.clone(), epoch.elapsed());
        match run(client, &mut tcp, &mut mail, &mut report, tap, epoch)? {
            Some(pending) => pending,
            None => return Ok(report),
        }
    };
    let conn = ClientConnection::new(settings.tls.config.clone(), settings.name.clone())?;
    let mut stream = StreamOwned::new(conn, tcp);
    stream.sock.set_read_timeout(Some(settings.smtp.timeouts.greeting))?;
    while stream.conn.is_handshaking() {
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            let failed = pending.failed();
            return Err(Failure::Io(io::Error::other(format!("{} ({e})", failed.outcome))));
        }
    }
    let info = common::tls_info(&stream.conn, settings.tls.verified(&stream.conn, &settings.name));
    tap(Tapped::Tls(&info));
    let client = pending.established(info, epoch.elapsed())?;
    run(client, &mut stream, &mut mail, &mut report, tap, epoch)?;
    stream.conn.send_close_notify();
    let _ = stream.flush();
    Ok(report)
}

fn main() -> std::process::ExitCode {
    match main_() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn main_() -> Result<(), common::BoxError> {
    let (settings, envelope, verbose) = ClientSettings::from_args()?;
    let transcript = common::Transcript { colour: false, prefix: "" };
    let mut tap = |t: Tapped<'_>| {
        if verbose {
            transcript.show(t);
        }
    };
    let report = deliver(&settings, vec![envelope], &mut tap)?;
    if let Some(outcome) = &report.outcome {
        println!("TLS: {outcome}");
    }
    for (accepted, reply) in &report.messages {
        println!("{}: {}", if *accepted { "accepted" } else { "refused" }, reply.trim_end());
    }
    Ok(())
}
