//! The `Received` trace field: keywords, the TLS clause, folding, and names that could break
//! the field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use smtp_wire::{Domain, ForwardPath, Host, PlaintextReason, Received, ReceivedWith, TlsInfo, TlsOutcome, Transport};

fn text(field: Vec<u8>) -> String {
    String::from_utf8(field).unwrap()
}

#[test]
fn a_hello_that_could_break_the_field_is_left_out() {
    let by = Domain::new("mx.example").unwrap();
    let tls = TlsOutcome::Plaintext(PlaintextReason::NotRequested);
    let host = Host::parse(b"[x-y:a;b(c]").unwrap();
    let ip = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)));
    let t = text(Received::new(&by, ReceivedWith::Esmtp, &tls, 0).from(&host, ip).to_vec().unwrap());
    assert!(t.starts_with("Received: from [192.0.2.7]\r\n\tby mx.example with ESMTP"), "{t}");
    assert!(!t.contains("x-y"));
    let t = text(Received::new(&by, ReceivedWith::Esmtp, &tls, 0).from(&host, None).to_vec().unwrap());
    assert!(t.starts_with("Received: by mx.example"), "{t}");
    assert!(Received::new(&by, ReceivedWith::Esmtp, &tls, 0).id("a b").to_vec().is_err());
}

#[test]
fn every_clause_folded_and_plaintext_reason_recorded() {
    let by = Domain::new("mx.example.org").unwrap();
    let host = Host::parse(b"[IPv6:2001:db8::1]").unwrap();
    let rcpt = ForwardPath::parse(b"<bob@example.org>").unwrap();
    let ip = Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)));
    let tls = TlsOutcome::Plaintext(PlaintextReason::NotRequested);
    let t = text(
        Received::new(&by, ReceivedWith::Lmtp, &tls, 1_796_083_200)
            .from(&host, ip)
            .authenticated(true)
            .smtputf8(true)
            .id("Q1a2")
            .recipient(&rcpt)
            .to_vec()
            .unwrap(),
    );
    assert_eq!(
        t,
        "Received: from [IPv6:2001:db8::1] ([IPv6:2001:db8::1])\r\n\
         \tby mx.example.org with UTF8LMTPA id Q1a2 for <bob@example.org>\r\n\
         \t(plaintext: TLS offered, not requested);\r\n\
         \tTue, 1 Dec 2026 00:00:00 +0000\r\n"
    );
    for line in t.split("\r\n") {
        assert!(line.len() <= 78, "{line}");
    }
    // A cipher name that is not an atom (from a TLS library) is refused, not written.
    let odd = TlsOutcome::Encrypted { transport: Transport::Implicit, info: TlsInfo::new("TLSv1.3", "AES;x") };
    assert!(Received::new(&by, ReceivedWith::Esmtp, &odd, 0).to_vec().is_err());
}
