//! An async SMTP client on tokio and tokio-rustls: the [`Client`] machine's call order as a
//! plain loop (see `smtp_wire::manual::client_policies`), with the STARTTLS hand-off, implicit
//! TLS, and the machine's reply deadline raced against the read. The same flags as
//! `blocking_client`:
//!
//! ```sh
//! cargo run --example tokio_client -- 127.0.0.1:2525 --tls required --ca cert.pem --name localhost \
//!     --from alice@example.org --to bob@example.net
//! ```
#![allow(clippy::indexing_slicing)]

pub(crate) mod common;

use std::io;
use std::time::Instant;

use common::{ClientSettings, Failure, Report, Tap, Tapped};
use smtp_wire::{Client, ClientEvent, ClientTlsPending, Envelope};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Writes what the machine queued.
async fn transmit<S: AsyncWrite + Unpin>(client: &mut Client, conn: &mut S, tap: Tap<'_>) -> io::Result<()> {
    let mut out = Vec::new();
    if client.poll_transmit(&mut out) {
        tap(Tapped::Sent(&out));
        conn.write_all(&out).await?;
    }
    Ok(())
}

/// Runs `client` on one stream until the session ends (`None`) or asks for TLS.
async fn run<S: AsyncRead + AsyncWrite + Unpin>(
    mut client: Client,
    conn: &mut S,
    mail: &mut Vec<Envelope>,
    report: &mut Report,
    tap: Tap<'_>,
    epoch: Instant,
) -> Result<Option<ClientTlsPending>, Failure> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        transmit(&mut client, conn, tap).await?;
        loop {
            let handled = match client.handle_input(&buf, epoch.elapsed()) {
                Ok(handled) => handled,
                Err(e) => {
                    transmit(&mut client, conn, tap).await?; // a QUIT, when allowed
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
                    // Nothing may be read before the handshake (the machine saw the whole buffer).
                    return client.into_tls().map(Some).map_err(|_| io::Error::other("not at the boundary").into());
                }
                Some(ClientEvent::Closed(_)) => return Ok(None),
                _ => {}
            }
            buf.drain(..consumed);
            if !more {
                break; // read more
            }
            if client.is_ready() {
                match mail.pop() {
                    Some(envelope) => client.submit(envelope)?,
                    None => client.quit()?,
                }
            }
        }
        transmit(&mut client, conn, tap).await?;
        let read = match client.poll_timeout() {
            Some(deadline) => {
                let wait = deadline.saturating_sub(epoch.elapsed());
                tokio::time::timeout(wait, conn.read(&mut chunk)).await.ok()
            }
            None => Some(conn.read(&mut chunk).await),
        };
        match read {
            Some(Ok(0)) => {
                client.peer_closed()?;
                return Ok(None);
            }
            Some(Ok(n)) => {
                tap(Tapped::Received(&chunk[..n]));
                buf.extend_from_slice(&chunk[..n]);
            }
            Some(Err(e)) => return Err(e.into()),
            None => client.handle_timeout(epoch.elapsed())?,
        }
    }
}

/// Delivers `mail` (sent in order) in one session.
pub(crate) async fn deliver(
    settings: &ClientSettings,
    mut mail: Vec<Envelope>,
    tap: Tap<'_>,
) -> Result<Report, Failure> {
    let epoch = Instant::now();
    mail.reverse();
    let mut report = Report::default();
    let mut tcp = TcpStream::connect(&settings.server).await?;
    let pending = if settings.mode == common::TlsMode::Implicit {
        ClientTlsPending::implicit(settings.smtp.clone())
    } else {
        let client = Client::new(settings.smtp.clone(), epoch.elapsed());
        match run(client, &mut tcp, &mut mail, &mut report, tap, epoch).await? {
            Some(pending) => pending,
            None => return Ok(report),
        }
    };
    let connector = TlsConnector::from(settings.tls.config.clone());
    let handshake = connector.connect(settings.name.clone(), tcp);
    let mut stream = match tokio::time::timeout(settings.smtp.timeouts.greeting, handshake).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(Failure::Io(io::Error::other(format!("{} ({e})", pending.failed().outcome)))),
        Err(_) => return Err(Failure::Io(io::Error::other(format!("{} (timed out)", pending.failed().outcome)))),
    };
    let conn = stream.get_ref().1;
    let info = common::tls_info(conn, settings.tls.verified(conn, &settings.name));
    tap(Tapped::Tls(&info));
    let client = pending.established(info, epoch.elapsed())?;
    run(client, &mut stream, &mut mail, &mut report, tap, epoch).await?;
    let _ = stream.shutdown().await; // close_notify
    Ok(report)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let result: Result<(), common::BoxError> = async {
        let (settings, envelope, verbose) = ClientSettings::from_args()?;
        let transcript = common::Transcript { colour: false, prefix: "" };
        let mut tap = |t: Tapped<'_>| {
            if verbose {
                transcript.show(t);
            }
        };
        let report = deliver(&settings, vec![envelope], &mut tap).await?;
        if let Some(outcome) = &report.outcome {
            println!("TLS: {outcome}");
        }
        for (accepted, reply) in &report.messages {
            println!("{}: {reply}", if *accepted { "accepted" } else { "refused" });
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
