//! Known answers for EHLO replies (RFC 5321 §4.1.1.1 and the extensions' capability
//! grammars), then replies and EHLO lists as Postfix, Exim, Sendmail, Microsoft and Google send
//! them (written from their documented formats), and the EHLO builder. Every accepted reply is
//! parsed, re-encoded, re-parsed and fed one octet at a time; every refused one fails with the
//! stated kind at the stated offset, whole and one octet at a time (see `common::kat`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::kat::{accept_reply as accept, bad_ehlo, ehlo, refuse, reply, strict, syntax, utf8};
use smtp_wire::{
    AuthMechanisms, BuildErrorKind, Capability, Domain, EhloReply, Encode, EnhancedCode, Extension, Host,
    ParseErrorKind, SaslChallenge, ServerLimits,
};

fn cap(keyword: &'static str) -> ParseErrorKind {
    ParseErrorKind::InvalidCapability { keyword }
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.1.1: EHLO replies

#[test]
fn rfc5321_4_1_1_1_ehlo_single_line_and_greeting() {
    let e = ehlo(b"250 mx.example.org\r\n");
    assert_eq!(e.host().to_string(), "mx.example.org");
    assert_eq!(e.greeting(), None);
    assert_eq!(e.capabilities().count(), 0);
    let e = ehlo(b"250 mx.example.org Hello client.example [192.0.2.1], pleased to meet you\r\n");
    assert_eq!(e.greeting(), Some("Hello client.example [192.0.2.1], pleased to meet you"));
    // A literal where a name is missing.
    let e = ehlo(b"250-[192.0.2.25]\r\n250 PIPELINING\r\n");
    let Host::Literal(l) = e.host() else { panic!() };
    assert_eq!(l.ip(), Some("192.0.2.25".parse().unwrap()));
    let e = ehlo(b"250 [IPv6:2001:db8::25] hi\r\n");
    assert_eq!(e.host().to_string(), "[IPv6:2001:db8::25]");
    // Through Reply: the same value.
    let r = reply(b"250-mx.example.org\r\n250 8BITMIME\r\n");
    let from_ref = EhloReply::try_from(&r).unwrap();
    assert_eq!(from_ref.capabilities().collect::<Vec<_>>(), [Capability::EightBitMime]);
    let from_value = EhloReply::try_from(r.clone()).unwrap();
    assert_eq!(from_value, from_ref);
    assert_eq!(from_value.reply(), &r);
}

#[test]
fn rfc5321_4_1_1_1_ehlo_first_line_errors() {
    bad_ehlo(b"550 5.7.1 go away\r\n", ParseErrorKind::UnexpectedReplyCode { expected: 250 }, 0);
    bad_ehlo(b"500-x\r\n500 y\r\n", ParseErrorKind::UnexpectedReplyCode { expected: 250 }, 0);
    bad_ehlo(b"250\r\n", syntax("SP and the server's domain"), 3);
    bad_ehlo(b"250 \r\n", syntax("domain label"), 4);
    bad_ehlo(b"250 -mx.example\r\n", syntax("letter or digit at the start of a label"), 4);
    bad_ehlo(b"250 mx.example.org, hi\r\n", syntax("SP or end of line after the domain"), 18);
    bad_ehlo(b"250 mx.example.org.\r\n", syntax("SP or end of line after the domain"), 18);
    bad_ehlo(b"250 mx.example.org \r\n", syntax("greeting after SP (no trailing space)"), 18);
    bad_ehlo(b"250 [300.0.0.1]\r\n", ParseErrorKind::InvalidAddressLiteral, 5);
    // Framing errors come first, whatever the EHLO grammar would say later.
    bad_ehlo(b"250-mx\r\n250 SIZE\n", ParseErrorKind::BareLf, 16);
    // U-labels only under SMTPUTF8.
    let bytes = "250 bücher.example\r\n".as_bytes();
    bad_ehlo(bytes, ParseErrorKind::NonAscii, 5);
    let e: EhloReply<'_> = accept(bytes, &utf8());
    assert_eq!(e.host().to_string(), "bücher.example");
}

#[test]
fn rfc5321_4_1_1_1_ehlo_capability_lines() {
    let e = ehlo(
        b"250-mx.example.org\r\n250-PIPELINING\r\n250-X-EXPS GSSAPI NTLM\r\n250-XCLIENT NAME ADDR PROTO HELO\r\n250 PRDR\r\n",
    );
    let caps: Vec<Capability<'_>> = e.capabilities().collect();
    assert_eq!(caps[0], Capability::Pipelining);
    let Capability::Other { keyword, params } = &caps[1] else { panic!() };
    assert_eq!((keyword.as_str(), params.as_ref().unwrap().as_str()), ("X-EXPS", "GSSAPI NTLM"));
    assert_eq!(params.as_ref().unwrap().iter().collect::<Vec<_>>(), ["GSSAPI", "NTLM"]);
    assert_eq!(caps[3].keyword(), "PRDR");
    assert_eq!(caps[3].extension(), None);
    assert!(e.supports_keyword("xclient"));
    assert!(!e.supports_keyword("XCLIENTS"));
    // Generic ehlo-line grammar.
    bad_ehlo(b"250-mx\r\n250\r\n", syntax("SP and an EHLO keyword"), 11);
    bad_ehlo(b"250-mx\r\n250 \r\n", syntax("EHLO keyword"), 12);
    bad_ehlo(b"250-mx\r\n250 -FOO\r\n", syntax("EHLO keyword"), 12);
    bad_ehlo(b"250-mx\r\n250 FOO  BAR\r\n", syntax("EHLO parameter"), 16);
    bad_ehlo(b"250-mx\r\n250 FOO BAR \r\n", syntax("EHLO parameter"), 20);
    bad_ehlo(b"250-mx\r\n250 FOO\tBAR\r\n", syntax("SP or end of line after the EHLO keyword"), 15);
    bad_ehlo(b"250-mx\r\n250 FOO=BAR\r\n", syntax("SP or end of line after the EHLO keyword"), 15);
    bad_ehlo(b"250-mx\r\n250 FOO B\tR\r\n", syntax("EHLO parameter (printable US-ASCII)"), 17);
    bad_ehlo(b"250-mx\r\n250 %1 crash\r\n", syntax("EHLO keyword"), 12);
    // Capability lines are ASCII even under SMTPUTF8 (ehlo-param is %d33-126).
    refuse::<EhloReply<'_>>("250-mx\r\n250 FOO bär\r\n".as_bytes(), &utf8(), ParseErrorKind::NonAscii, 17);
}

#[test]
fn ehlo_keywords_are_case_insensitive_and_kept_as_written() {
    // lettre misses lower-case keywords; go-smtp's lookup too.
    let bytes = b"250-mx\r\n250-starttls\r\n250-Size 1000\r\n250-auth plain login\r\n250 8bitmime\r\n";
    let e = ehlo(bytes);
    assert!(e.supports(Extension::StartTls));
    assert!(e.supports(Extension::EightBitMime));
    assert!(e.supports_keyword("STARTTLS"));
    assert_eq!(e.size_limit(), Some(1000));
    let mechs: Vec<String> = e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect();
    assert_eq!(mechs, ["plain", "login"]);
    assert_eq!(e.to_vec(), bytes);
    assert_eq!(Extension::from_keyword("mt-priority"), Some(Extension::MtPriority));
    assert_eq!(Extension::from_keyword("MT_PRIORITY"), None);
    for near in [
        "SIZ",
        "SIZES",
        "PIPELININX",
        "DELIVERBZ",
        "ENHANCEDSTATUSCODE",
        "8BITMIMEX",
        "",
        "NO-SOLICITINGS",
        "AUTH=",
        // Octets that fold onto a digit or '-' under the 0x20 bit are not that digit.
        "\x18BITMIME",
        "MT\x0dPRIORITY",
        "D\x13N",
    ] {
        assert_eq!(Extension::from_keyword(near), None, "{near}");
    }
    for ext in Extension::ALL {
        assert_eq!(Extension::from_keyword(ext.keyword()), Some(ext));
        assert_eq!(Extension::from_keyword(&ext.keyword().to_lowercase()), Some(ext));
    }
}

#[test]
fn rfc1870_size() {
    let e = ehlo(b"250-mx\r\n250 SIZE 10240000\r\n");
    assert_eq!(
        (e.size_limit(), e.capability(Extension::Size)),
        (Some(10240000), Some(Capability::Size(Some(10240000))))
    );
    // SIZE alone and SIZE 0: advertised, no fixed maximum.
    for bytes in [&b"250-mx\r\n250 SIZE\r\n"[..], b"250-mx\r\n250 SIZE 0\r\n"] {
        let e = ehlo(bytes);
        assert!(e.supports(Extension::Size));
        assert_eq!(e.size_limit(), None);
    }
    assert_eq!(ehlo(b"250 mx\r\n").size_limit(), None);
    // Twenty digits saturate; leading zeros are digits.
    let e = ehlo(b"250-mx\r\n250 SIZE 99999999999999999999\r\n");
    assert_eq!(e.size_limit(), Some(u64::MAX));
    assert_eq!(ehlo(b"250-mx\r\n250 SIZE 007\r\n").size_limit(), Some(7));
    bad_ehlo(b"250-mx\r\n250 SIZE 100000000000000000000\r\n", cap("SIZE"), 17);
    bad_ehlo(b"250-mx\r\n250 SIZE ten\r\n", cap("SIZE"), 17);
    bad_ehlo(b"250-mx\r\n250 SIZE 10M\r\n", cap("SIZE"), 17);
    bad_ehlo(b"250-mx\r\n250 SIZE 10 20\r\n", cap("SIZE"), 20);
}

#[test]
fn rfc4954_3_auth_and_the_legacy_spelling() {
    let e = ehlo(b"250-mx\r\n250 AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n");
    let Some(Capability::Auth { mechanisms, legacy: false }) = e.capability(Extension::Auth) else { panic!() };
    assert_eq!(mechanisms.iter().count(), 6);
    // Whole names: PLAIN-CLIENTTOKEN is not PLAIN, and neither is a prefix of the other.
    let m = AuthMechanisms::new("PLAIN-CLIENTTOKEN XOAUTH").unwrap();
    assert!(!m.contains("PLAIN") && !m.contains("XOAUTH2") && m.contains("xoauth"));
    // AUTH= (old Outlook/Netscape clients), beside or instead of AUTH.
    let e = ehlo(b"250-mx\r\n250-AUTH=LOGIN PLAIN\r\n250 HELP\r\n");
    assert!(e.supports(Extension::Auth));
    assert!(e.supports_keyword("AUTH"));
    let Some(Capability::Auth { mechanisms, legacy: true }) = e.capability(Extension::Auth) else { panic!() };
    assert_eq!(mechanisms.as_str(), "LOGIN PLAIN");
    assert_eq!(e.auth_mechanisms().count(), 2);
    // With both, the standard line answers and no duplicate is reported.
    let e = ehlo(b"250-mx\r\n250-AUTH=LOGIN\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n");
    assert_eq!(e.auth_mechanisms().count(), 3);
    assert_eq!(e.duplicates().count(), 0);
    // AUTH with no mechanisms is offered but lists none.
    let e = ehlo(b"250-mx\r\n250 AUTH\r\n");
    assert!(e.supports(Extension::Auth));
    assert_eq!(e.auth_mechanisms().count(), 0);
    assert_eq!(ehlo(b"250 mx\r\n").auth_mechanisms().count(), 0);
    bad_ehlo(b"250-mx\r\n250 AUTH PLAIN,LOGIN\r\n", cap("AUTH"), 22);
    bad_ehlo(b"250-mx\r\n250 AUTH=\r\n", cap("AUTH"), 17);
    bad_ehlo(b"250-mx\r\n250 AUTH=PLAIN  LOGIN\r\n", cap("AUTH"), 23);
    bad_ehlo(b"250-mx\r\n250 AUTH ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n", cap("AUTH"), 37);
}

#[test]
fn extensions_with_parameters() {
    let e = ehlo(
        b"250-mx\r\n250-DELIVERBY 1296000\r\n250-MT-PRIORITY MIXER\r\n250-FUTURERELEASE 604800 2026-12-31T23:59:59Z\r\n\
          250-BURL imap\r\n250-NO-SOLICITING net.example:ADV\r\n250-LIMITS MAILMAX=1000 RCPTMAX=50000 X_NEW\r\n250 RRVS\r\n",
    );
    let caps: Vec<Capability<'_>> = e.capabilities().collect();
    assert_eq!(caps[0], Capability::DeliverBy(Some(1296000)));
    let Capability::MtPriority(Some(p)) = &caps[1] else { panic!() };
    assert_eq!(p.as_str(), "MIXER");
    let Capability::FutureRelease { max_interval, max_datetime } = &caps[2] else { panic!() };
    assert_eq!((*max_interval, max_datetime.as_str()), (604800, "2026-12-31T23:59:59Z"));
    let Capability::Burl(Some(p)) = &caps[3] else { panic!() };
    assert_eq!(p.as_str(), "imap");
    let Capability::NoSoliciting(Some(p)) = &caps[4] else { panic!() };
    assert_eq!(p.as_str(), "net.example:ADV");
    let limits = e.limits().unwrap();
    assert_eq!((limits.mail_max(), limits.rcpt_max(), limits.rcpt_domain_max()), (Some(1000), Some(50000), None));
    assert_eq!(limits.iter().map(|l| l.name).collect::<Vec<_>>(), ["MAILMAX", "RCPTMAX", "X_NEW"]);
    assert_eq!(caps[6], Capability::Rrvs);
    for ext in [Extension::DeliverBy, Extension::MtPriority, Extension::FutureRelease, Extension::Limits] {
        assert!(e.supports(ext));
    }
    let e = ehlo(b"250-mx\r\n250-DELIVERBY\r\n250-MT-PRIORITY\r\n250-BURL\r\n250 NO-SOLICITING\r\n");
    let caps: Vec<Capability<'_>> = e.capabilities().collect();
    assert_eq!(
        caps,
        [
            Capability::DeliverBy(None),
            Capability::MtPriority(None),
            Capability::Burl(None),
            Capability::NoSoliciting(None)
        ]
    );
    // smtp-codec failed the whole reply on "DELIVERBY n"; these are the real errors.
    bad_ehlo(b"250-mx\r\n250 DELIVERBY 1234567890\r\n", cap("DELIVERBY"), 22);
    bad_ehlo(b"250-mx\r\n250 DELIVERBY -5\r\n", cap("DELIVERBY"), 22);
    bad_ehlo(b"250-mx\r\n250 MT-PRIORITY MIXER NSEP\r\n", cap("MT-PRIORITY"), 30);
    bad_ehlo(b"250-mx\r\n250 MT-PRIORITY MI.XER\r\n", cap("MT-PRIORITY"), 26);
    bad_ehlo(b"250-mx\r\n250 FUTURERELEASE 604800\r\n", cap("FUTURERELEASE"), 32);
    bad_ehlo(b"250-mx\r\n250 FUTURERELEASE 604800 tomorrow\r\n", cap("FUTURERELEASE"), 33);
    bad_ehlo(b"250-mx\r\n250 FUTURERELEASE x 2026-12-31T23:59:59Z\r\n", cap("FUTURERELEASE"), 26);
    bad_ehlo(b"250-mx\r\n250 LIMITS\r\n", cap("LIMITS"), 18);
    bad_ehlo(b"250-mx\r\n250 LIMITS RCPTMAX=\r\n", cap("LIMITS"), 27);
    bad_ehlo(b"250-mx\r\n250 LIMITS RCPTMAX=5;6\r\n", cap("LIMITS"), 28);
    bad_ehlo(b"250-mx\r\n250 LIMITS =5\r\n", cap("LIMITS"), 19);
}

#[test]
fn rfc9422_limits_values_that_cannot_be_used_are_ignored() {
    let l = ServerLimits::new("RCPTMAX=0 MAILMAX=1234567 RCPTDOMAINMAX=x rcptmax=9").unwrap();
    // The first RCPTMAX counts; zero, seven digits and non-digits are not usable limits.
    assert_eq!((l.rcpt_max(), l.mail_max(), l.rcpt_domain_max()), (None, None, None));
    assert_eq!(l.get("RCPTMAX"), Some(Some("0")));
    assert_eq!(ServerLimits::new("MAILMAX=999999").unwrap().mail_max(), Some(999999));
    assert!(ServerLimits::new("").is_err());
    assert!(ServerLimits::new("A  B").is_err());
}

#[test]
fn flags_take_no_parameters() {
    for kw in ["8BITMIME", "STARTTLS", "PIPELINING", "SMTPUTF8", "CHUNKING", "DSN", "HELP", "RRVS", "REQUIRETLS"] {
        let bytes = format!("250-mx\r\n250 {kw} yes\r\n");
        let keyword = Extension::from_keyword(kw).unwrap().keyword();
        bad_ehlo(bytes.as_bytes(), cap(keyword), 12 + kw.len());
    }
}

#[test]
fn duplicates_are_reported_not_merged() {
    let e = ehlo(
        b"250-mx\r\n250-SIZE 100\r\n250-PIPELINING\r\n250-size 200\r\n250-X-FOO a\r\n250-x-foo b\r\n250 PIPELINING\r\n",
    );
    let dups: Vec<String> = e.duplicates().map(|c| c.to_string()).collect();
    assert_eq!(dups, ["SIZE 200", "x-foo b", "PIPELINING"]);
    // Lookups read the first occurrence; all seven lines are still there.
    assert_eq!(e.size_limit(), Some(100));
    assert_eq!(e.capabilities().count(), 6);
    assert_eq!(ehlo(b"250-mx\r\n250-A\r\n250 B\r\n").duplicates().count(), 0);
}

#[test]
fn exim_pipe_connect_keyword_is_kept() {
    // Exim 4.95+ advertises PIPE_CONNECT by default: `_` is outside RFC 5321's ehlo-keyword.
    let e = ehlo(b"250-mx\r\n250-PIPE_CONNECT\r\n250 X_PIPE_CONNECT\r\n");
    let keywords: Vec<String> = e.capabilities().map(|c| c.keyword().to_owned()).collect();
    assert_eq!(keywords, ["PIPE_CONNECT", "X_PIPE_CONNECT"]);
    bad_ehlo(b"250-mx\r\n250 _X\r\n", syntax("EHLO keyword"), 12);
}

// ---------------------------------------------------------------------------------------------
// Servers as they are: Postfix, Exim, Sendmail, Microsoft, Google

#[test]
fn postfix() {
    // Greeting, EHLO and transaction replies of Postfix 3.x (smtpd(8) defaults).
    let e = ehlo(
        b"250-mx.postfix.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n\
          250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n\
          250-SMTPUTF8\r\n250 CHUNKING\r\n",
    );
    assert_eq!(e.host().to_string(), "mx.postfix.test");
    for ext in [Extension::Pipelining, Extension::Vrfy, Extension::Etrn, Extension::Dsn, Extension::Chunking] {
        assert!(e.supports(ext), "{ext}");
    }
    assert_eq!(e.duplicates().count(), 0);
    reply(b"220 mx.postfix.test ESMTP Postfix\r\n");
    let r = reply(b"250 2.0.0 Ok: queued as 2693CBA7AD\r\n");
    assert_eq!(r.lines().next().unwrap().message(), "Ok: queued as 2693CBA7AD");
    let r = reply(b"554 5.7.1 <bob@example.org>: Relay access denied\r\n");
    assert_eq!(r.enhanced_code().unwrap().description(), Some("Delivery not authorized, message refused"));
    reply(b"450 4.1.8 <a@b.invalid>: Sender address rejected: Domain not found\r\n");
    reply(b"504 5.5.2 <x>: Helo command rejected: need fully-qualified hostname\r\n");
    reply(b"500 5.5.2 Error: bad UTF-8 syntax\r\n");
    reply(b"421 4.7.0 mx.postfix.test Error: too many errors\r\n");
    reply(b"354 End data with <CR><LF>.<CR><LF>\r\n");
    reply(b"221 2.0.0 Bye\r\n");
}

#[test]
fn exim() {
    let r = reply(
        b"220-mail.example.com ESMTP Exim 4.96 Mon, 06 Feb 2023 08:00:59 -0700 \r\n\
          220-We do not authorize the use of this system to transport unsolicited, \r\n\
          220 and/or bulk e-mail.\r\n",
    );
    assert_eq!(r.line_count(), 3);
    let e = ehlo(
        b"250-mail.example.com Hello client.example [192.0.2.1]\r\n250-SIZE 52428800\r\n\
          250-LIMITS MAILMAX=1000 RCPTMAX=50000\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-PIPE_CONNECT\r\n\
          250-AUTH PLAIN LOGIN\r\n250-CHUNKING\r\n250-PRDR\r\n250 HELP\r\n",
    );
    assert_eq!(e.size_limit(), Some(52428800));
    assert_eq!(e.limits().unwrap().rcpt_max(), Some(50000));
    assert!(e.supports_keyword("PRDR") && e.supports_keyword("pipe_connect"));
    reply(b"250 OK id=1r0IT8-0007he-RC\r\n");
    reply(b"250 Accepted\r\n");
    reply(b"354 Enter message, ending with \".\" on a line by itself\r\n");
    reply(b"550 Unrouteable address\r\n");
    reply(b"451 Temporary local problem - please try later\r\n");
    reply(b"221 mail.example.com closing connection\r\n");
}

#[test]
fn sendmail() {
    reply(b"220 mail.example.com ESMTP Sendmail 8.17.1/8.17.1; Mon, 1 Jan 2024 00:00:00 GMT\r\n");
    let e = ehlo(
        b"250-mail.example.com Hello client.example [192.0.2.1], pleased to meet you\r\n\
          250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250-ETRN\r\n\
          250-AUTH DIGEST-MD5 CRAM-MD5\r\n250-DELIVERBY\r\n250 HELP\r\n",
    );
    assert!(e.supports(Extension::Size));
    assert_eq!(e.size_limit(), None);
    assert_eq!(e.capability(Extension::DeliverBy), Some(Capability::DeliverBy(None)));
    reply(b"250 2.1.0 <alice@example.org>... Sender ok\r\n");
    let r = reply(b"550 5.1.1 <nobody@example.com>... User unknown\r\n");
    assert_eq!(r.enhanced_code().unwrap().description(), Some("Bad destination mailbox address"));
    reply(b"214-2.0.0 This is sendmail\r\n214-2.0.0 Topics:\r\n214-2.0.0 \tHELO\tEHLO\tMAIL\tRCPT\tDATA\r\n214 2.0.0 End of HELP info\r\n");
}

#[test]
fn microsoft() {
    reply(
        b"220 BN8NAM12FT055.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Mon, 1 Jan 2024 00:00:00 +0000\r\n",
    );
    let e = ehlo(
        b"250-BN8NAM12FT055.mail.protection.outlook.com Hello [192.0.2.1]\r\n250-SIZE 157286400\r\n\
          250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n\
          250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    );
    assert!(e.supports(Extension::BinaryMime) && e.supports(Extension::SmtpUtf8));
    // Exchange on premises.
    let e = ehlo(
        b"250-exch.example.com Hello [192.0.2.1]\r\n250-SIZE 37748736\r\n250-PIPELINING\r\n250-DSN\r\n\
          250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-X-ANONYMOUSTLS\r\n250-AUTH NTLM\r\n250-X-EXPS GSSAPI NTLM\r\n\
          250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250-XRDST\r\n250 XEXCH50\r\n",
    );
    assert_eq!(e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect::<Vec<_>>(), ["NTLM"]);
    let r = reply(
        b"550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)\r\n",
    );
    assert_eq!(r.enhanced_code(), Some(EnhancedCode::new(5, 7, 520).unwrap()));
    reply(b"550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [BN8NAM12FT055.eop-nam12.prod.protection.outlook.com]\r\n");
    reply(b"451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719) [BN8NAM12FT055.eop-nam12.prod.protection.outlook.com]\r\n");
    reply(b"421 4.3.2 Service not available\r\n");
    reply(b"250 2.6.0 <id@example.com> [InternalId=123456789, Hostname=BN8PR12MB1234.namprd12.prod.outlook.com] 12345 bytes in 0.123, 96.123 KB/sec Queued mail for delivery\r\n");
}

#[test]
fn google() {
    reply(b"220 mx.google.com ESMTP d9443c01a7336-1f2b3c4d5e6si123456plb.123 - gsmtp\r\n");
    let e = ehlo(
        b"250-mx.google.com at your service, [192.0.2.1]\r\n250-SIZE 157286400\r\n250-8BITMIME\r\n\
          250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    );
    assert_eq!(e.greeting(), Some("at your service, [192.0.2.1]"));
    let r = reply(
        b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n\
          550-5.1.1 double-checking the recipient's email address for typos or\r\n\
          550-5.1.1 unnecessary spaces. For more information, go to\r\n\
          550 5.1.1  https://support.google.com/mail/?p=NoSuchUser d9443c01a7336-1f2b3c4d5e6si123456plb.123 - gsmtp\r\n",
    );
    assert!(r.lines().all(|l| l.enhanced_code() == Some(EnhancedCode::new(5, 1, 1).unwrap())));
    assert_eq!(r.lines().nth(3).unwrap().message().chars().next(), Some(' '));
    reply(
        b"421-4.7.0 [192.0.2.1      15] Our system has detected an unusual rate of\r\n\
          421-4.7.0 unsolicited mail originating from your IP address. To protect our\r\n\
          421 4.7.0 users from spam, mail sent from your IP address has been temporarily rate limited. - gsmtp\r\n",
    );
    reply(b"530 5.7.0 Must issue a STARTTLS command first. d9443c01a7336-1f2b3c4d5e6si123456plb.123 - gsmtp\r\n");
    reply(b"235 2.7.0 Accepted\r\n");
    let c: SaslChallenge<'_> = accept(b"334 VXNlcm5hbWU6\r\n", &strict());
    assert_eq!(c.decode(), b"Username:");
    let e = ehlo(
        b"250-smtp.gmail.com at your service, [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n\
          250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n250-ENHANCEDSTATUSCODES\r\n\
          250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    );
    assert!(e.auth_mechanisms().any(|m| m.eq_ignore_ascii_case("PLAIN-CLIENTTOKEN")));
}

// ---------------------------------------------------------------------------------------------
// Building EHLO replies

#[test]
fn ehlo_builder() {
    let host: Host<'_> = Domain::new("mx.example.org").unwrap().into();
    let caps = [
        Capability::Size(Some(0)),
        Capability::Size(None),
        Capability::Auth { mechanisms: AuthMechanisms::new("PLAIN").unwrap(), legacy: true },
        Capability::Auth { mechanisms: AuthMechanisms::new("").unwrap(), legacy: false },
        Capability::Limits(ServerLimits::new("RCPTMAX=10").unwrap()),
        Capability::Other {
            keyword: smtp_wire::EhloKeyword::new("X-Thing").unwrap(),
            params: Some(smtp_wire::EhloParams::new("a=b c").unwrap()),
        },
        Capability::SmtpUtf8,
    ];
    let e = EhloReply::new(&host, None, &caps).unwrap();
    assert_eq!(
        e.to_vec(),
        b"250-mx.example.org\r\n250-SIZE 0\r\n250-SIZE\r\n250-AUTH=PLAIN\r\n250-AUTH\r\n250-LIMITS RCPTMAX=10\r\n\
          250-X-Thing a=b c\r\n250 SMTPUTF8\r\n"
    );
    assert_eq!(e.capabilities().collect::<Vec<_>>(), caps);
    assert_eq!(EhloReply::new(&host, Some(""), &[]).unwrap().to_vec(), b"250 mx.example.org\r\n");
    // Refused: an Other that names a known keyword, AUTH= with no mechanism, a control
    // character in the greeting, a line over 512 octets.
    let other = Capability::Other { keyword: smtp_wire::EhloKeyword::new("size").unwrap(), params: None };
    assert!(EhloReply::new(&host, None, &[other]).is_err());
    let legacy = Capability::Auth { mechanisms: AuthMechanisms::new("").unwrap(), legacy: true };
    assert!(EhloReply::new(&host, None, &[legacy]).is_err());
    assert!(EhloReply::new(&host, Some("hi\r\n250 AUTH PLAIN"), &[]).is_err());
    let long = smtp_wire::EhloParams::new(&"x".repeat(600)).unwrap().into_owned();
    let big = Capability::Other { keyword: smtp_wire::EhloKeyword::new("X").unwrap(), params: Some(long) };
    assert_eq!(EhloReply::new(&host, None, &[big]).unwrap_err().kind(), BuildErrorKind::TooLong { limit: 512 });
    // Numbers past their grammar's nine digits, more lines than the limit, a host longer than
    // the domain limit: refused while writing.
    for cap in [Capability::DeliverBy(Some(1_000_000_000)), Capability::DeliverBy(Some(u32::MAX))] {
        let e = EhloReply::new(&host, None, &[Capability::Pipelining, cap]).unwrap_err();
        assert_eq!((e.kind(), e.index()), (BuildErrorKind::OutOfRange, Some(1)));
    }
    let max = smtp_wire::Timestamp::new("2026-12-31T23:59:59Z").unwrap();
    let fr = Capability::FutureRelease { max_interval: 1_000_000_000, max_datetime: max.clone() };
    assert_eq!(EhloReply::new(&host, None, &[fr]).unwrap_err().kind(), BuildErrorKind::OutOfRange);
    let fr = Capability::FutureRelease { max_interval: 999_999_999, max_datetime: max };
    assert!(EhloReply::new(&host, None, &[fr]).is_ok());
    let few = smtp_wire::Limits::default().with_reply_lines(3);
    let three = [Capability::Pipelining, Capability::Chunking, Capability::Dsn];
    let e = EhloReply::build(&host, None, &three, &few).unwrap_err();
    assert_eq!(e.kind(), BuildErrorKind::TooManyLines { limit: 3 });
    assert!(EhloReply::build(&host, None, &three[..2], &few).is_ok());
    let short = smtp_wire::Limits::default().with_domain(8);
    let e = EhloReply::build(&host, None, &[], &short).unwrap_err();
    assert_eq!(e.kind(), BuildErrorKind::TooLong { limit: 8 });
}
