//! The example drivers over real TLS (rustls) on loopback: each client (blocking, tokio) to
//! each server (blocking, tokio) in each TLS mode, every message compared byte for byte with
//! what was sent; AUTH over TLS; the demo's scenarios, each ending as the crate promises.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Each driver file is a complete example with its own `mod common`; including two of them
// loads that module twice, which costs a little compile time and nothing else.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/demo.rs"]
mod demo;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/probe.rs"]
mod probe;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/tokio_client.rs"]
mod tokio_client;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/tokio_server.rs"]
mod tokio_server;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use demo::{blocking_client, blocking_server};
use rustls::RootCertStore;
use smtp_wire::{Envelope, ForwardPath, ReversePath};

const BODY: &[u8] = b"From: <a@example.org>\r\nTo: <b@example.net>\r\nSubject: drivers\r\n\r\n\
.leading dot\r\n..two dots\r\n.\r\nthe line above is a lone dot\r\ncaf\xc3\xa9 (8-bit)\r\n";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Side {
    Blocking,
    Tokio,
}

const MODES: [&str; 4] = ["off", "starttls", "required", "implicit"];

/// Starts a server on a loopback port; returns its address, the messages it stores, and roots
/// that trust its certificate.
fn server(side: Side, mode: &str, auth: Option<(&str, &str)>) -> (SocketAddr, mpsc::Receiver<Vec<u8>>, RootCertStore) {
    let (tx, rx) = mpsc::channel();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    match side {
        Side::Blocking => {
            use blocking_server::common::{Identity, ServerSettings, Sink, TlsMode};
            let id = Identity::generate(&["mx.test"]).unwrap();
            let mode = TlsMode::parse(mode).unwrap();
            let mut settings = ServerSettings::new(mode, Some(&id), "mx.test", Sink::Channel(tx)).unwrap();
            if let Some((u, p)) = auth {
                settings = settings.with_auth(u, p);
            }
            settings.quiet = true;
            std::thread::spawn(move || blocking_server::serve(listener, Arc::new(settings)));
            (addr, rx, id.roots())
        }
        Side::Tokio => {
            use tokio_server::common::{Identity, ServerSettings, Sink, TlsMode};
            let id = Identity::generate(&["mx.test"]).unwrap();
            let mode = TlsMode::parse(mode).unwrap();
            let mut settings = ServerSettings::new(mode, Some(&id), "mx.test", Sink::Channel(tx)).unwrap();
            if let Some((u, p)) = auth {
                settings = settings.with_auth(u, p);
            }
            settings.quiet = true;
            listener.set_nonblocking(true).unwrap();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    tokio_server::serve(listener, Arc::new(settings)).await
                })
            });
            (addr, rx, id.roots())
        }
    }
}

fn envelope() -> Envelope {
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
    Envelope::new(from, BODY).with_recipient(to)
}

/// Sends one message; returns the TLS outcome as text and the server's final reply.
fn client(
    side: Side,
    addr: SocketAddr,
    mode: &str,
    roots: RootCertStore,
    auth: Option<(&str, &str)>,
) -> Result<(String, Vec<(bool, String)>), String> {
    let mut transcript = Vec::new();
    macro_rules! settings {
        ($common:path) => {{
            use $common as c;
            let mut s = c::ClientSettings::new(&addr.to_string(), c::TlsMode::parse(mode).unwrap(), roots).unwrap();
            s.name = rustls::pki_types::ServerName::try_from("mx.test").unwrap();
            s.with_smtp(|mut cfg| {
                if let Some((u, p)) = auth {
                    cfg.credentials = Some(smtp_wire::Credentials::new(u, p));
                }
                cfg
            })
        }};
    }
    let report = match side {
        Side::Blocking => {
            let s = settings!(blocking_client::common);
            let mut tap = |t: blocking_client::common::Tapped<'_>| {
                if let blocking_client::common::Tapped::Sent(o) = t {
                    transcript.extend_from_slice(o);
                }
            };
            blocking_client::deliver(&s, vec![envelope()], &mut tap)
                .map(|r| (r.outcome.map(|o| o.to_string()).unwrap_or_default(), r.messages))
                .map_err(|e| e.to_string())
        }
        Side::Tokio => {
            let s = settings!(tokio_client::common);
            let mut tap = |t: tokio_client::common::Tapped<'_>| {
                if let tokio_client::common::Tapped::Sent(o) = t {
                    transcript.extend_from_slice(o);
                }
            };
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(tokio_client::deliver(&s, vec![envelope()], &mut tap))
                .map(|r| (r.outcome.map(|o| o.to_string()).unwrap_or_default(), r.messages))
                .map_err(|e| e.to_string())
        }
    };
    report.map_err(|e| format!("{e}; sent: {}", String::from_utf8_lossy(&transcript)))
}

#[test]
fn every_client_to_every_server_in_every_tls_mode() {
    for server_side in [Side::Blocking, Side::Tokio] {
        for client_side in [Side::Blocking, Side::Tokio] {
            for mode in MODES {
                let what = format!("{client_side:?} client → {server_side:?} server, --tls {mode}");
                let (addr, inbox, roots) = server(server_side, mode, None);
                let (outcome, messages) =
                    client(client_side, addr, mode, roots, None).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(messages.len(), 1, "{what}");
                assert!(messages[0].0, "{what}: {messages:?}");
                let stored = inbox.recv_timeout(Duration::from_secs(10)).unwrap();
                let (trace, message) = blocking_server::common::split_received(&stored);
                assert_eq!(message, BODY, "{what}");
                let trace = String::from_utf8_lossy(trace);
                if mode == "off" {
                    assert_eq!(outcome, "plaintext (TLS disabled by policy)", "{what}");
                    assert!(trace.contains("with ESMTP for <b@example.net>\r\n\t(plaintext: "), "{what}: {trace}");
                } else {
                    let how = if mode == "implicit" { "implicit TLS" } else { "STARTTLS" };
                    assert!(outcome.starts_with(&format!("encrypted ({how}, TLSv1.3, TLS_")), "{what}: {outcome}");
                    assert!(outcome.ends_with(", verified)"), "{what}: {outcome}");
                    assert!(trace.contains("with ESMTPS for <b@example.net>\r\n\ttls TLS_"), "{what}: {trace}");
                    assert!(trace.contains("(TLSv1.3);"), "{what}: {trace}");
                }
            }
        }
    }
}

#[test]
fn auth_over_tls_is_recorded_as_esmtpsa() {
    for side in [Side::Blocking, Side::Tokio] {
        let (addr, inbox, roots) = server(side, "required", Some(("me", "secret")));
        let (_, messages) = client(side, addr, "required", roots.clone(), Some(("me", "secret"))).unwrap();
        assert!(messages[0].0);
        let stored = inbox.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(String::from_utf8_lossy(&stored).contains("with ESMTPSA"));
        // A wrong password: refused, nothing stored.
        let err = client(side, addr, "required", roots, Some(("me", "wrong"))).unwrap_err();
        assert!(err.contains("authentication failed with 535"), "{err}");
        assert!(inbox.recv_timeout(Duration::from_millis(200)).is_err());
    }
}

#[test]
fn an_untrusted_certificate_is_refused_under_required_and_reported_under_opportunistic() {
    let (addr, inbox, _) = server(Side::Blocking, "starttls", None);
    // Roots that trust some other certificate.
    let other = || blocking_server::common::Identity::generate(&["mx.test"]).unwrap().roots();
    let err = client(Side::Blocking, addr, "required", other(), None).unwrap_err();
    assert!(err.starts_with("SMTP: TLS required and the peer was not verified"), "{err}");
    let (outcome, _) = client(Side::Tokio, addr, "starttls", other(), None).unwrap();
    assert!(outcome.ends_with(", unverified)"), "{outcome}");
    assert!(inbox.recv_timeout(Duration::from_secs(10)).is_ok());
}

#[test]
fn the_demo_ends_as_promised() {
    assert!(demo::run());
}

#[test]
fn the_probe_reads_the_example_servers() {
    // STARTTLS, certificate trusted through the roots given.
    let (addr, _, roots) = server(Side::Blocking, "starttls", None);
    let f = probe::probe(&addr.to_string(), "mx.test", false, roots).unwrap();
    let table = probe::table(&addr.to_string(), &f);
    assert_eq!(f.greeting, "220 mx.test ESMTP", "{table}");
    assert!(f.ehlo_before.iter().any(|c| c == "STARTTLS"), "{table}");
    assert!(!f.ehlo_after.is_empty() && !f.ehlo_after.iter().any(|c| c == "STARTTLS"), "{table}");
    assert!(f.tls.as_deref().is_some_and(|t| t.starts_with("TLSv1.3, TLS_")), "{table}");
    assert_eq!(f.verified, Some(true), "{table}");
    assert_eq!(f.pipelining, "refused: 421 4.7.0 Pipelined data after STARTTLS, closing (safe)", "{table}");
    assert!(table.contains("command pipelined after STARTTLS  refused: 421"), "{table}");
    // Implicit TLS, certificate not trusted by the public roots.
    let (addr, _, _) = server(Side::Tokio, "implicit", None);
    let f = probe::probe(&addr.to_string(), "mx.test", true, blocking_server::common::public_roots()).unwrap();
    assert_eq!(f.greeting, "220 mx.test ESMTP");
    assert!(f.ehlo_before.is_empty() && !f.ehlo_after.is_empty());
    assert_eq!(f.verified, Some(false));
    assert!(f.outcome.starts_with("encrypted (implicit TLS, TLSv1.3"), "{}", f.outcome);
}
