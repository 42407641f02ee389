//! A blocking SMTP server over `std::net` and rustls (`StreamOwned`): one thread per
//! connection, the [`Server`] machine's call order as a plain loop (see
//! `smtp_wire::manual::driving_the_server`). Usable as a real server on loopback:
//!
//! ```sh
//! cargo run --example blocking_server -- --listen 127.0.0.1:2525 --tls starttls --out /tmp/mail
//! swaks --server 127.0.0.1:2525 --tls --to anyone@example.org
//! ```
//!
//! Flags: `--tls starttls|required|implicit|off`, `--cert/--key` PEM files (else a
//! self-signed pair is made at start-up), `--auth USER:PASS`, `--out DIR` (else stdout).
#![allow(clippy::indexing_slicing)]

pub(crate) mod common;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{App, ServerSettings};
use rustls::{ServerConnection, StreamOwned};
use smtp_wire::{Close, Server, ServerEvent, TlsPending};

/// A connection the loop can read, write and time out: plaintext or TLS over TCP.
trait Conn: Read + Write {
    fn tcp(&self) -> &TcpStream;
}
impl Conn for TcpStream {
    fn tcp(&self) -> &TcpStream {
        self
    }
}
impl Conn for StreamOwned<ServerConnection, TcpStream> {
    fn tcp(&self) -> &TcpStream {
        &self.sock
    }
}

/// How one run of the loop ended.
enum Next {
    Closed(Close),
    /// STARTTLS: run the handshake, then go on with the server `established` gives.
    Upgrade(TlsPending),
}

/// Steps 2 to 7 of the call order, on one stream, until the session ends or asks for TLS.
fn run(mut server: Server, conn: &mut dyn Conn, app: &mut App<'_>, epoch: Instant) -> io::Result<Next> {
    let (mut buf, mut out) = (Vec::new(), Vec::new());
    let mut chunk = [0u8; 16 * 1024];
    loop {
        // Hand in everything buffered until the machine consumes nothing and says nothing.
        loop {
            let handled = server.handle_input(&buf, epoch.elapsed()).map_err(io::Error::other)?;
            let consumed = handled.consumed;
            let idle = consumed == 0 && handled.event.is_none();
            match handled.event {
                Some(ServerEvent::StartTls) => {
                    out.clear();
                    server.poll_transmit(&mut out);
                    conn.write_all(&out)?; // the 220, then nothing more in plaintext
                    let pending = server.into_tls().map_err(|_| io::Error::other("not at the boundary"))?;
                    return Ok(Next::Upgrade(pending));
                }
                Some(ServerEvent::Closed(close)) => {
                    out.clear();
                    server.poll_transmit(&mut out);
                    conn.write_all(&out)?;
                    return Ok(Next::Closed(close));
                }
                Some(event) => app.on_event(&mut server, event)?,
                None => {}
            }
            buf.drain(..consumed);
            out.clear();
            if server.poll_transmit(&mut out) {
                conn.write_all(&out)?;
            }
            if idle {
                break;
            }
        }
        // Wait for the client, at most until the machine's deadline (RFC 5321 §4.5.3.2).
        let wait = server.poll_timeout().map(|d| d.saturating_sub(epoch.elapsed()).max(Duration::from_millis(1)));
        conn.tcp().set_read_timeout(wait)?;
        match conn.read(&mut chunk) {
            Ok(0) => return Ok(Next::Closed(server.peer_closed())),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                server.handle_timeout(epoch.elapsed());
                if let Some(close) = server.closed().cloned() {
                    out.clear();
                    server.poll_transmit(&mut out);
                    conn.write_all(&out)?; // 421 4.4.2
                    return Ok(Next::Closed(close));
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// One connection, start (step 1) to end, across the TLS boundary.
pub(crate) fn serve_connection(mut tcp: TcpStream, settings: &ServerSettings) -> io::Result<Close> {
    let epoch = Instant::now();
    let peer = tcp.peer_addr()?;
    let mut app = App::new(settings, peer);
    let config = Arc::clone(&settings.smtp);
    let next = match &settings.tls {
        Some(_) if settings.implicit => Next::Upgrade(TlsPending::implicit(config)),
        _ => run(Server::new(config, epoch.elapsed()), &mut tcp, &mut app, epoch)?,
    };
    let pending = match next {
        Next::Closed(close) => return Ok(close),
        Next::Upgrade(pending) => pending,
    };
    let tls = settings.tls.clone().ok_or_else(|| io::Error::other("STARTTLS without a TLS configuration"))?;
    let mut stream = StreamOwned::new(ServerConnection::new(tls).map_err(io::Error::other)?, tcp);
    // The handshake, bounded by the command timeout (the machine has no timer meanwhile).
    stream.sock.set_read_timeout(Some(settings.smtp.timeouts.command))?;
    while stream.conn.is_handshaking() {
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            return Err(io::Error::other(format!("{} ({e})", pending.failed())));
        }
    }
    // The client sent no certificate: the server has no peer to verify.
    let info = common::tls_info(&stream.conn, false);
    let server = pending.established(info, epoch.elapsed());
    match run(server, &mut stream, &mut app, epoch)? {
        Next::Closed(close) => {
            stream.conn.send_close_notify();
            let _ = stream.flush();
            Ok(close)
        }
        Next::Upgrade(_) => Err(io::Error::other("STARTTLS inside TLS")),
    }
}

/// Accepts connections for ever, one thread each.
pub(crate) fn serve(listener: TcpListener, settings: Arc<ServerSettings>) -> io::Result<()> {
    for tcp in listener.incoming() {
        let tcp = tcp?;
        let settings = Arc::clone(&settings);
        std::thread::spawn(move || {
            let peer = tcp.peer_addr().map(|a| a.to_string()).unwrap_or_default();
            match serve_connection(tcp, &settings) {
                Ok(close) => settings.log(format_args!("{peer}: session ended: {close:?}")),
                Err(e) => settings.log(format_args!("{peer}: connection error: {e}")),
            }
        });
    }
    Ok(())
}

fn main() -> Result<(), common::BoxError> {
    let (settings, listen) = ServerSettings::from_args()?;
    let listener = TcpListener::bind(&listen)?;
    let mode = if settings.tls.is_none() {
        "off"
    } else if settings.implicit {
        "implicit"
    } else {
        "STARTTLS"
    };
    eprintln!("listening on {} (TLS {mode}, policy {:?})", listener.local_addr()?, settings.smtp.tls_policy);
    serve(listener, Arc::new(settings))?;
    Ok(())
}
