//! The client's policy table: for each TLS policy and each thing the network does, what the
//! client writes in plaintext and the outcome (or error) it reports. The table below is the
//! one in `manual::client_policies`; every cell is checked through the in-memory `Pair` with
//! a man in the middle playing the network.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::pair::{Dir, Handshake, Pair, Sent};
use smtp_wire::{ClientConfig, Domain, Envelope, ForwardPath, ReversePath, ServerConfig, TlsPolicy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Network {
    /// Offers STARTTLS; the handshake succeeds and the certificate verifies.
    Honest,
    /// Offers STARTTLS; the certificate does not verify.
    Unverified,
    /// Removes STARTTLS from the EHLO reply.
    Strip,
    /// Answers STARTTLS with 454 in the server's place.
    Refuse454,
    /// Lets STARTTLS through; the handshake fails.
    HandshakeFails,
    /// Puts a forged reply behind the server's 220 to STARTTLS.
    InjectAfter220,
}

/// What one session came to: whether any envelope, AUTH or body octet crossed in plaintext,
/// whether the message was delivered, and the outcome or error, as one line.
fn run(policy: TlsPolicy, network: Network) -> (bool, bool, String) {
    let mut server = ServerConfig::new(Domain::new("mx.test").unwrap());
    server.tls_policy = TlsPolicy::Opportunistic;
    let client = ClientConfig::new(Domain::new("client.test").unwrap()).with_tls_policy(policy);
    let mut p = Pair::new(server, client);
    p.handshake = match network {
        Network::Unverified => Handshake::Unverified,
        Network::HandshakeFails => Handshake::Fails,
        _ => Handshake::Verified,
    };
    let plaintext = Rc::new(RefCell::new(Vec::new()));
    let seen = plaintext.clone();
    p.mitm = Some(Box::new(move |dir, encrypted, octets: &mut Vec<u8>| {
        if encrypted {
            return;
        }
        match dir {
            Dir::ToServer => seen.borrow_mut().extend_from_slice(octets),
            Dir::ToClient => match network {
                Network::Strip => {
                    if let Some(at) = octets.windows(8).position(|w| w == b"STARTTLS") {
                        octets[at..at + 8].copy_from_slice(b"XSTRIPPD");
                    }
                }
                Network::Refuse454 if octets.starts_with(b"220 2.0.0") => {
                    *octets = b"454 4.7.0 TLS not available\r\n".to_vec();
                }
                Network::InjectAfter220 if octets.starts_with(b"220 2.0.0") => {
                    octets.extend_from_slice(b"250 forged\r\n");
                }
                _ => {}
            },
        }
    }));
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
    p.send(Envelope::new(from, &b"Subject: t\r\n\r\nsecret body\r\n"[..]).with_recipient(to));
    p.drive();
    let wrote = plaintext.borrow();
    let leaked =
        [&b"MAIL "[..], b"RCPT ", b"AUTH ", b"secret body"].iter().any(|w| wrote.windows(w.len()).any(|x| x == *w));
    let delivered = !p.received.is_empty();
    let verdict = match (&p.client_error, p.sent.first(), &p.tls_failed) {
        (_, _, Some(f)) => format!("{}; retry in plaintext: {}", f.outcome, f.retry_in_plaintext),
        (Some(e), _, _) => format!("error: {e}"),
        (None, Some(Sent::Accepted(_, o)), _) => o.to_string(),
        (None, other, _) => format!("{other:?}"),
    };
    (leaked, delivered, verdict)
}

#[test]
fn policy_table() {
    use Network::*;
    use TlsPolicy::*;
    // (policy, network, plaintext envelope/body written, delivered, verdict starts with)
    let table = [
        (Disabled, Honest, true, true, "plaintext (TLS disabled by policy)"),
        (Disabled, Strip, true, true, "plaintext (TLS disabled by policy)"),
        (Opportunistic, Honest, false, true, "encrypted (STARTTLS, TLSv1.3, TLS_AES_128_GCM_SHA256, verified)"),
        (Opportunistic, Unverified, false, true, "encrypted (STARTTLS, TLSv1.3, TLS_AES_128_GCM_SHA256, unverified)"),
        (Opportunistic, Strip, true, true, "plaintext (STARTTLS not offered)"),
        // The client goes on in plaintext and says why; the real server waits for a
        // handshake, so nothing is delivered on this connection.
        (Opportunistic, Refuse454, true, false, "error: the server closed the connection"),
        // A failed handshake never continues in cleartext on the same connection; the
        // documented next step under Opportunistic is a new connection without TLS.
        (Opportunistic, HandshakeFails, false, false, "plaintext (TLS handshake failed); retry in plaintext: true"),
        (Opportunistic, InjectAfter220, false, false, "error: octets after the 220 reply to STARTTLS"),
        (Required, Honest, false, true, "encrypted (STARTTLS, TLSv1.3, TLS_AES_128_GCM_SHA256, verified)"),
        (Required, Unverified, false, false, "error: TLS required and the peer was not verified"),
        (Required, Strip, false, false, "error: TLS required and STARTTLS not offered"),
        (Required, Refuse454, false, false, "error: TLS required and STARTTLS refused with 454"),
        (Required, HandshakeFails, false, false, "plaintext (TLS handshake failed); retry in plaintext: false"),
        (Required, InjectAfter220, false, false, "error: octets after the 220 reply to STARTTLS"),
    ];
    let mut failures = Vec::new();
    for (policy, network, leaked, delivered, verdict) in table {
        let got = run(policy, network);
        if got.0 != leaked || got.1 != delivered || !got.2.starts_with(verdict) {
            failures.push(format!("{policy:?} × {network:?}: got {got:?}, want ({leaked}, {delivered}, {verdict:?})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
