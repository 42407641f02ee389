//! Client rules that are not transcripts: verbs refused before anything is written,
//! determinism, the one-line TLS outcome.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use smtp_wire::{
    Client, ClientConfig, ClientError, ClientEvent, Domain, Envelope, Extension, ForwardPath, ParseOptions,
    PlaintextReason, ReversePath, TlsInfo, TlsOutcome, TlsPolicy, Transport,
};

const T0: Duration = Duration::ZERO;

fn ready(ehlo: &[u8], policy: TlsPolicy) -> Client {
    let cfg = ClientConfig::new(Domain::new("client.test").unwrap()).with_tls_policy(policy);
    to_ready(Client::new(Arc::new(cfg), T0), ehlo)
}

/// Feeds the greeting and `ehlo` until `Ready`; drops what the client wrote.
fn to_ready(mut c: Client, ehlo: &[u8]) -> Client {
    let mut input = b"220 mx.test\r\n".to_vec();
    input.extend_from_slice(ehlo);
    let mut buf = &input[..];
    loop {
        let h = c.handle_input(buf, T0).unwrap();
        buf = &buf[h.consumed..];
        match h.event {
            Some(ClientEvent::Ready(_)) => break,
            Some(_) => {}
            None => panic!("not ready"),
        }
    }
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    c
}

fn env(to: &str, body: &[u8]) -> Envelope {
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    let opts = ParseOptions::default().with_smtputf8(true);
    Envelope::new(from, body).with_recipient(ForwardPath::parse_with(to.as_bytes(), &opts).unwrap().into_owned())
}

#[test]
fn refused_body_writes_nothing() {
    let mut c = ready(b"250-mx.test\r\n250 PIPELINING\r\n", TlsPolicy::Disabled);
    let before = c.clone();
    let err = c.submit(env("<b@example.net>", b"bare\nLF\r\n")).unwrap_err();
    assert!(matches!(err, ClientError::Body(_)));
    assert_eq!(c, before, "a refused submit changes nothing");
    let mut out = Vec::new();
    assert!(!c.poll_transmit(&mut out));
}

#[test]
fn smtputf8_needed_and_missing() {
    let mut c = ready(b"250 mx.test\r\n", TlsPolicy::Disabled);
    let err = c.submit(env("<j\u{f6}rg@example.net>", b"hi\r\n")).unwrap_err();
    assert_eq!(err, ClientError::ExtensionMissing(Extension::SmtpUtf8));
}

#[test]
fn smtputf8_and_8bitmime_declared_when_needed() {
    let mut c = ready(b"250-mx.test\r\n250-SMTPUTF8\r\n250 8BITMIME\r\n", TlsPolicy::Disabled);
    c.submit(env("<j\u{f6}rg@example.net>", "caf\u{e9}\r\n".as_bytes())).unwrap();
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    assert_eq!(out, b"MAIL FROM:<a@example.org> BODY=8BITMIME SMTPUTF8\r\n");
    let mut c = ready(b"250-mx.test\r\n250-SMTPUTF8\r\n250 8BITMIME\r\n", TlsPolicy::Disabled);
    c.submit(env("<b@example.net>", b"plain\r\n")).unwrap();
    out.clear();
    c.poll_transmit(&mut out);
    assert_eq!(out, b"MAIL FROM:<a@example.org>\r\n", "nothing declared that is not needed");
}

#[test]
fn submit_before_ready_and_without_recipients() {
    let cfg = ClientConfig::new(Domain::new("client.test").unwrap());
    let mut c = Client::new(Arc::new(cfg), T0);
    assert_eq!(c.submit(env("<b@example.net>", b"x\r\n")), Err(ClientError::NotReady));
    let mut c = ready(b"250 mx.test\r\n", TlsPolicy::Disabled);
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    assert_eq!(c.submit(Envelope::new(from, &b"x\r\n"[..])), Err(ClientError::NoRecipients));
}

#[test]
fn deterministic_clone_eq_hash() {
    let a = ready(b"250-mx.test\r\n250 PIPELINING\r\n", TlsPolicy::Opportunistic);
    let b = ready(b"250-mx.test\r\n250 PIPELINING\r\n", TlsPolicy::Opportunistic);
    assert_eq!(a, b);
    let hash = |c: &Client| {
        let mut h = DefaultHasher::new();
        c.hash(&mut h);
        h.finish()
    };
    assert_eq!(hash(&a), hash(&b));
    assert_eq!(a.tls_outcome(), TlsOutcome::Plaintext(PlaintextReason::NotOffered));
}

#[test]
fn outcome_prints_in_one_line() {
    let info = TlsInfo::new("TLSv1.3", "TLS_AES_256_GCM_SHA384").with_peer_verified(true);
    let o = TlsOutcome::Encrypted { transport: Transport::StartTls, info };
    assert_eq!(o.to_string(), "encrypted (STARTTLS, TLSv1.3, TLS_AES_256_GCM_SHA384, verified)");
    assert_eq!(
        TlsOutcome::Plaintext(PlaintextReason::Refused).to_string(),
        "plaintext (STARTTLS refused by the server)"
    );
}

#[test]
fn into_tls_only_at_the_boundary() {
    let c = ready(b"250 mx.test\r\n", TlsPolicy::Disabled);
    assert!(c.into_tls().is_err());
}

#[test]
fn timeouts_follow_the_awaited_reply() {
    let cfg = ClientConfig::new(Domain::new("client.test").unwrap());
    let mut c = Client::new(Arc::new(cfg), T0);
    assert_eq!(c.poll_timeout(), Some(Duration::from_secs(300)));
    c.handle_timeout(Duration::from_secs(299)).unwrap();
    assert!(matches!(c.handle_timeout(Duration::from_secs(300)), Err(ClientError::Timeout(_))));
}

#[test]
fn credentials_never_in_debug() {
    let cfg = ClientConfig::new(Domain::new("client.test").unwrap())
        .with_tls_policy(TlsPolicy::Disabled)
        .with_auth_plaintext(true)
        .with_credentials(smtp_wire::Credentials::new("user", "hunter2"));
    let mut c = Client::new(Arc::new(cfg), T0);
    let mut input: &[u8] = b"220 mx\r\n250-mx\r\n250 AUTH PLAIN\r\n";
    while let Ok(h) = c.handle_input(input, T0) {
        input = &input[h.consumed..];
        if h.event.is_none() {
            break;
        }
    }
    let shown = format!("{c:?}");
    assert!(!shown.contains("hunter2") && !shown.contains("AHVzZXIAaHVudGVyMg"), "{shown}");
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    assert!(out.ends_with(b"AUTH PLAIN AHVzZXIAaHVudGVyMg==\r\n"));
}

fn ready_implicit(ehlo: &[u8], verified: bool) -> Client {
    let cfg = ClientConfig::new(Domain::new("client.test").unwrap()).with_accept_unverified(true);
    let info = TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256").with_peer_verified(verified);
    to_ready(smtp_wire::ClientTlsPending::implicit(Arc::new(cfg)).established(info, T0).unwrap(), ehlo)
}

#[test]
fn requiretls_only_over_verified_tls_to_a_server_offering_it() {
    let mut c = ready(b"250-mx.test\r\n250 REQUIRETLS\r\n", TlsPolicy::Opportunistic);
    assert_eq!(c.submit(env("<b@example.net>", b"x\r\n").with_require_tls()), Err(ClientError::RequireTlsUnverified));
    let mut c = ready_implicit(b"250-mx.test\r\n250 REQUIRETLS\r\n", false);
    assert_eq!(c.submit(env("<b@example.net>", b"x\r\n").with_require_tls()), Err(ClientError::RequireTlsUnverified));
    let mut c = ready_implicit(b"250 mx.test\r\n", true);
    assert_eq!(
        c.submit(env("<b@example.net>", b"x\r\n").with_require_tls()),
        Err(ClientError::ExtensionMissing(Extension::RequireTls))
    );
    let mut c = ready_implicit(b"250-mx.test\r\n250 REQUIRETLS\r\n", true);
    c.submit(env("<b@example.net>", b"x\r\n").with_require_tls()).unwrap();
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    assert_eq!(out, b"MAIL FROM:<a@example.org> REQUIRETLS\r\n");
}

fn ehlo_with(exts: &str) -> Vec<u8> {
    let mut e = b"250-mx.test\r\n".to_vec();
    for x in exts.split(' ') {
        e.extend_from_slice(format!("250-{x}\r\n").as_bytes());
    }
    e.extend_from_slice(b"250 PIPELINING\r\n");
    e
}

/// Every known parameter needs its extension offered; nothing is written when it is not.
#[test]
fn parameters_need_their_extension() {
    use smtp_wire::{BodyType, Notify, Param, Ret};
    let notify = Param::Notify(Notify::On { success: true, failure: false, delay: false });
    let cases: Vec<(Vec<Param<'static>>, Vec<Param<'static>>, &str, Extension)> = vec![
        (vec![Param::Ret(Ret::Headers)], vec![], "8BITMIME", Extension::Dsn),
        (vec![], vec![notify.clone()], "8BITMIME", Extension::Dsn),
        (vec![Param::Body(BodyType::BinaryMime)], vec![], "CHUNKING", Extension::BinaryMime),
        (vec![Param::Body(BodyType::BinaryMime)], vec![], "BINARYMIME", Extension::Chunking),
        (vec![Param::MtPriority(3)], vec![], "DSN", Extension::MtPriority),
        (vec![Param::HoldFor(60)], vec![], "DSN", Extension::FutureRelease),
        (vec![Param::Size(10)], vec![], "DSN", Extension::Size),
    ];
    for (mail, rcpt, offered, missing) in cases {
        let mut c = ready(&ehlo_with(offered), TlsPolicy::Disabled);
        let before = c.clone();
        let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
        let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
        let mut env = Envelope::new(from, &b"hi\r\n"[..]).with_recipient_params(to, rcpt);
        for p in mail {
            env = env.with_mail_param(p);
        }
        assert_eq!(c.submit(env).unwrap_err(), ClientError::ExtensionMissing(missing), "{offered}");
        assert_eq!(c, before);
    }
    // All offered: written as given, the client's own additions after them.
    let mut c = ready(&ehlo_with("DSN SIZE 8BITMIME"), TlsPolicy::Disabled);
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
    let env = Envelope::new(from, &b"caf\xc3\xa9\r\n"[..])
        .with_mail_param(Param::Ret(Ret::Headers))
        .with_recipient_params(to, vec![notify]);
    c.submit(env).unwrap();
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    assert_eq!(
        out,
        b"MAIL FROM:<a@example.org> RET=HDRS BODY=8BITMIME SIZE=7\r\nRCPT TO:<b@example.net> NOTIFY=SUCCESS\r\nDATA\r\n"
    );
}

#[test]
fn no_credential_kind_in_debug() {
    use smtp_wire::Credentials;
    for creds in [
        Credentials::new("user", "hunter2"),
        Credentials::xoauth2("user", "ya29.hunter2"),
        Credentials::sasl(smtp_wire::Mechanism::new("X-TOKEN").unwrap(), Some(b"hunter2")),
    ] {
        let cfg = ClientConfig::new(Domain::new("client.test").unwrap()).with_credentials(creds);
        let shown = format!("{cfg:?} {:?}", Client::new(Arc::new(cfg.clone()), T0));
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

/// Found by review: 8-bit octets under an explicit `BODY=7BIT`, and REQUIRETLS given as a raw
/// parameter in plaintext, were sent.
#[test]
fn declared_seven_bit_and_raw_requiretls_are_checked() {
    use smtp_wire::{BodyType, Param};
    let mut c = ready(&ehlo_with("8BITMIME REQUIRETLS"), TlsPolicy::Disabled);
    let before = c.clone();
    let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
    let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
    let env = Envelope::new(from.clone(), &b"ok\r\ncaf\xc3\xa9\r\n"[..])
        .with_mail_param(Param::Body(BodyType::SevenBit))
        .with_recipient(to.clone());
    assert_eq!(c.submit(env).unwrap_err(), ClientError::EightBitUndeclared { offset: 7 });
    let env = Envelope::new(from, &b"hi\r\n"[..]).with_mail_param(Param::RequireTls).with_recipient(to);
    assert_eq!(c.submit(env).unwrap_err(), ClientError::RequireTlsUnverified);
    assert_eq!(c, before);
}

/// RFC 4954 §4: an initial response that would take AUTH past 512 octets goes after an empty
/// 334 instead (real XOAUTH2 tokens are that long).
#[test]
fn long_initial_response_waits_for_the_334() {
    let token = "t".repeat(1200);
    let cfg = ClientConfig::new(Domain::new("client.test").unwrap())
        .with_tls_policy(TlsPolicy::Disabled)
        .with_auth_plaintext(true)
        .with_credentials(smtp_wire::Credentials::xoauth2("user@example.com", &token));
    let mut c = Client::new(Arc::new(cfg), T0);
    let mut input: &[u8] = b"220 mx\r\n250-mx\r\n250 AUTH XOAUTH2\r\n";
    while !input.is_empty() {
        let h = c.handle_input(input, T0).unwrap();
        input = &input[h.consumed..];
    }
    let mut out = Vec::new();
    c.poll_transmit(&mut out);
    assert!(out.ends_with(b"\r\nAUTH XOAUTH2\r\n"), "{}", String::from_utf8_lossy(&out));
    out.clear();
    let _ = c.handle_input(b"334 \r\n", T0).unwrap();
    c.poll_transmit(&mut out);
    assert!(out.len() > 1600 && out.ends_with(b"\r\n") && !out.starts_with(b"AUTH"));
    assert!(out.iter().take(out.len() - 2).all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)));
    let h = c.handle_input(b"235 2.7.0 ok\r\n", T0).unwrap();
    assert!(matches!(h.event, Some(ClientEvent::Ready(_))));
}
