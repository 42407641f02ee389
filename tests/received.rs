//! The `Received` trace field: keywords, the TLS clause, folding, and names that could break
//! the field.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use common::arb;
use proptest::prelude::*;
use smtp_wire::Encode;

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

proptest! {
    /// Any names the codec can hold give one field: CRLF only before a folding TAB and at the
    /// end, every part where it belongs, a client name that could break the field left out,
    /// and an RFC 5322 date at the end.
    #[test]
    fn any_parts_give_one_well_formed_field(
        by in arb::<Domain<'static>>(),
        host in arb::<Host<'static>>(),
        rcpt in arb::<ForwardPath<'static>>(),
        ip in any::<u32>(),
        date in 0u64..1 << 40,
        tls in any::<bool>(),
    ) {
        let outcome = if tls {
            TlsOutcome::Encrypted { transport: Transport::StartTls, info: TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256") }
        } else {
            TlsOutcome::Plaintext(PlaintextReason::NotOffered)
        };
        let ip = IpAddr::V4(Ipv4Addr::from(ip));
        let field = Received::new(&by, ReceivedWith::Esmtp, &outcome, date)
            .from(&host, Some(ip))
            .recipient(&rcpt)
            .to_vec()
            .unwrap();
        prop_assert!(field.ends_with(b"\r\n"));
        let body = &field[..field.len() - 2];
        for (i, w) in body.windows(3).enumerate() {
            if w[0] == b'\r' {
                prop_assert_eq!(&w[1..], b"\n\t", "CR not folding at {}", i);
            }
        }
        prop_assert_eq!(body.iter().filter(|&&b| b == b'\r').count(), body.iter().filter(|&&b| b == b'\n').count());
        let text = String::from_utf8(field.clone()).unwrap();
        let unfolded = text.replace("\r\n\t", " ");
        let name = String::from_utf8(host.to_vec()).unwrap();
        let breaks = name.contains([';', '(', ')', '\\', '"']);
        prop_assert_eq!(unfolded.contains(&format!("from {name} ([{ip}])")), !breaks, "{}", text);
        prop_assert!(unfolded.contains(&format!("by {} with ESMTP", by.as_str())), "{}", text);
        let rcpt_text = String::from_utf8(rcpt.to_vec()).unwrap();
        prop_assert!(unfolded.contains(&format!("for {rcpt_text}")), "{}", text);
        prop_assert_eq!(unfolded.contains(" tls TLS_AES_128_GCM_SHA256 (TLSv1.3);"), tls);
        let stamp = unfolded.rsplit("; ").next().unwrap().trim_end();
        prop_assert!(stamp.ends_with(" +0000") && stamp.split(' ').count() == 6, "{}", stamp);
    }
}
