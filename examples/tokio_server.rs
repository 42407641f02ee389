//! An async SMTP server on tokio and tokio-rustls: one task per connection, the [`Server`]
//! machine's call order as a plain loop (see `smtp_wire::manual::driving_the_server`), the
//! machine's deadline raced against the read. The same flags as `blocking_server`:
//!
//! ```sh
//! cargo run --example tokio_server -- --listen 127.0.0.1:2525 --tls required --auth me:secret
//! ```
#![allow(clippy::indexing_slicing)]

pub(crate) mod common;

use std::io;
use std::sync::Arc;
use std::time::Instant;

use common::{App, ServerSettings};
use smtp_wire::{Close, Server, ServerEvent, TlsPending};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

enum Next {
    Closed(Close),
    Upgrade(TlsPending),
}

/// Writes what the machine queued.
async fn transmit<S: AsyncWrite + Unpin>(server: &mut Server, conn: &mut S) -> io::Result<()> {
    let mut out = Vec::new();
    if server.poll_transmit(&mut out) {
        conn.write_all(&out).await?;
    }
    Ok(())
}

/// Steps 2 to 7 of the call order on one stream, until the session ends or asks for TLS.
async fn run<S>(mut server: Server, conn: &mut S, app: &mut App<'_>, epoch: Instant) -> io::Result<Next>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        loop {
            let handled = server.handle_input(&buf, epoch.elapsed()).map_err(io::Error::other)?;
            let consumed = handled.consumed;
            let idle = consumed == 0 && handled.event.is_none();
            match handled.event {
                Some(ServerEvent::StartTls) => {
                    transmit(&mut server, conn).await?; // the 220, then nothing in plaintext
                    let pending = server.into_tls().map_err(|_| io::Error::other("not at the boundary"))?;
                    return Ok(Next::Upgrade(pending));
                }
                Some(ServerEvent::Closed(close)) => {
                    transmit(&mut server, conn).await?;
                    return Ok(Next::Closed(close));
                }
                Some(event) => app.on_event(&mut server, event)?,
                None => {}
            }
            buf.drain(..consumed);
            transmit(&mut server, conn).await?;
            if idle {
                break;
            }
        }
        // Read, or reach the machine's deadline first (RFC 5321 §4.5.3.2).
        let read = match server.poll_timeout() {
            Some(deadline) => {
                let wait = deadline.saturating_sub(epoch.elapsed());
                tokio::time::timeout(wait, conn.read(&mut chunk)).await.ok()
            }
            None => Some(conn.read(&mut chunk).await),
        };
        match read {
            Some(Ok(0)) => return Ok(Next::Closed(server.peer_closed())),
            Some(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
            Some(Err(e)) => return Err(e),
            None => {
                server.handle_timeout(epoch.elapsed());
                if let Some(close) = server.closed().cloned() {
                    transmit(&mut server, conn).await?; // 421 4.4.2
                    return Ok(Next::Closed(close));
                }
            }
        }
    }
}

/// One connection, start to end, across the TLS boundary.
pub(crate) async fn serve_connection(mut tcp: TcpStream, settings: &ServerSettings) -> io::Result<Close> {
    let epoch = Instant::now();
    let mut app = App::new(settings, tcp.peer_addr()?);
    let config = Arc::clone(&settings.smtp);
    let next = match &settings.tls {
        Some(_) if settings.implicit => Next::Upgrade(TlsPending::implicit(config)),
        _ => run(Server::new(config, epoch.elapsed()), &mut tcp, &mut app, epoch).await?,
    };
    let pending = match next {
        Next::Closed(close) => return Ok(close),
        Next::Upgrade(pending) => pending,
    };
    let tls = settings.tls.clone().ok_or_else(|| io::Error::other("STARTTLS without a TLS configuration"))?;
    // The handshake, bounded by the command timeout (the machine has no timer meanwhile).
    let handshake = tokio::time::timeout(settings.smtp.timeouts.command, TlsAcceptor::from(tls).accept(tcp)).await;
    let mut stream = match handshake {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(io::Error::other(format!("{} ({e})", pending.failed()))),
        Err(_) => return Err(io::Error::other(format!("{} (timed out)", pending.failed()))),
    };
    let info = common::tls_info(stream.get_ref().1, false); // no client certificate asked for
    let server = pending.established(info, epoch.elapsed());
    match run(server, &mut stream, &mut app, epoch).await? {
        Next::Closed(close) => {
            let _ = stream.shutdown().await; // close_notify
            Ok(close)
        }
        Next::Upgrade(_) => Err(io::Error::other("STARTTLS inside TLS")),
    }
}

/// Accepts connections for ever, one task each.
pub(crate) async fn serve(listener: TcpListener, settings: Arc<ServerSettings>) -> io::Result<()> {
    loop {
        let (tcp, peer) = listener.accept().await?;
        let settings = Arc::clone(&settings);
        tokio::spawn(async move {
            match serve_connection(tcp, &settings).await {
                Ok(close) => settings.log(format_args!("{peer}: session ended: {close:?}")),
                Err(e) => settings.log(format_args!("{peer}: connection error: {e}")),
            }
        });
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), common::BoxError> {
    let (settings, listen) = ServerSettings::from_args()?;
    let listener = TcpListener::bind(&listen).await?;
    let mode = if settings.tls.is_none() {
        "off"
    } else if settings.implicit {
        "implicit"
    } else {
        "STARTTLS"
    };
    eprintln!("listening on {} (TLS {mode}, policy {:?})", listener.local_addr()?, settings.smtp.tls_policy);
    serve(listener, Arc::new(settings)).await?;
    Ok(())
}
