//! Known answers, grouped by RFC section. Every accepted line is parsed, compared, re-encoded
//! (must give the same octets), re-parsed (must give the same value) and fed one octet at a
//! time through `parse_prefix`. Every rejected line must fail with the stated kind at the
//! stated offset, whole and fed one octet at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::kat::{self, syntax, utf8};
use smtp_wire::framing::{Line, LineFramer};
use smtp_wire::{
    AddressLiteral, AuthParam, AuthResponse, BodyType, By, ByMode, Command, CommandBody, Domain, Encode, ForwardPath,
    Host, InitialResponse, Limits, LiteralKind, Notify, Param, ParamIter, ParseErrorKind, ParseOptions, Ret,
    ReversePath, RrvsAction, Spelling, Status,
};

/// Parses `line`, checks the inverse and the trickle feed, returns the command.
fn ok_with<'a>(line: &'a [u8], opts: &ParseOptions) -> Command<'a> {
    kat::accept(line, opts, b"NOOP\r\n")
}

fn ok(line: &[u8]) -> Command<'_> {
    ok_with(line, &ParseOptions::default())
}

fn bad_with(line: &[u8], opts: &ParseOptions, kind: ParseErrorKind, offset: usize) {
    kat::refuse::<Command<'_>>(line, opts, kind, offset);
}

fn bad(line: &[u8], kind: ParseErrorKind, offset: usize) {
    bad_with(line, &ParseOptions::default(), kind, offset);
}

fn params<'a>(c: &'a Command<'_>) -> ParamIter<'a> {
    match c.body() {
        CommandBody::Mail { params, .. } | CommandBody::Rcpt { params, .. } => params.iter(),
        _ => panic!("no params"),
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §2.3.8 and §4.5.3.1: lines and their limits

#[test]
fn rfc5321_2_3_8_lines_end_with_crlf_only() {
    bad(b"QUIT\n", ParseErrorKind::BareLf, 4);
    bad(b"QUIT\r", ParseErrorKind::MissingCrlf, 5);
    bad(b"QUIT", ParseErrorKind::MissingCrlf, 4);
    bad(b"QU\rIT\r\n", ParseErrorKind::BareCr, 2);
    // Dovecot's case: a bare CR must not split one line into two commands.
    bad(b"RSET\rQUIT\r\n", ParseErrorKind::BareCr, 4);
    bad(b"RSET\nQUIT\r\n", ParseErrorKind::BareLf, 4);
    bad(b"QUIT\r\n\r\n", ParseErrorKind::TrailingData, 6);
    bad(b"\r\n", syntax("command verb"), 0);
    bad(b"NOOP \x00\r\n", syntax("atom or quoted string"), 5);
}

#[test]
fn rfc5321_4_5_3_1_4_command_line_is_512_octets_with_crlf() {
    let mut line = b"NOOP ".to_vec();
    line.resize(510, b'a');
    line.extend_from_slice(b"\r\n");
    assert_eq!(line.len(), 512);
    ok(&line);
    let mut long = line.clone();
    long.insert(6, b'a');
    bad(&long, ParseErrorKind::LineTooLong { limit: 512 }, 512);
    // A raised limit accepts it.
    let opts = ParseOptions::default().with_limits(Limits::default().with_command_line(1000));
    ok_with(&long, &opts);
}

#[test]
fn rfc4954_4_auth_lines_may_be_longer() {
    let mut line = b"AUTH PLAIN ".to_vec();
    line.extend(std::iter::repeat_n(b'A', 4000));
    line.extend_from_slice(b"\r\n");
    let cmd = ok(&line);
    assert!(matches!(cmd.body(), CommandBody::Auth { initial_response: Some(InitialResponse::Data(_)), .. }));
    let mut resp = vec![b'A'; 12284];
    resp.extend_from_slice(b"\r\n");
    assert!(AuthResponse::parse(&resp).is_ok());
    resp.splice(0..0, *b"AAAA");
    assert_eq!(AuthResponse::parse(&resp).unwrap_err().kind(), ParseErrorKind::LineTooLong { limit: 12288 });
    assert_eq!(AuthResponse::parse_prefix(&resp).unwrap_err().kind(), ParseErrorKind::LineTooLong { limit: 12288 });
    // A raised SASL limit holds for the prefix parse too.
    let raised = ParseOptions::default().with_limits(Limits::default().with_sasl_line(16384));
    let r = kat::accept::<AuthResponse<'_>>(&resp, &raised, b"*\r\n");
    assert!(matches!(r, AuthResponse::Data(_)));
    let small = ParseOptions::default().with_limits(Limits::default().with_sasl_line(8));
    kat::refuse::<AuthResponse<'_>>(b"AAAAAAAA\r\n", &small, ParseErrorKind::LineTooLong { limit: 8 }, 8);
}

#[test]
fn rfc5321_4_5_3_1_limits_on_parts() {
    let local64 = "a".repeat(64);
    let line = format!("MAIL FROM:<{local64}@example.org>\r\n");
    ok(line.as_bytes());
    let line = format!("MAIL FROM:<{local64}b@example.org>\r\n");
    bad(line.as_bytes(), ParseErrorKind::LocalPartTooLong { limit: 64 }, 11 + 64);
    // Domain: 255 octets is fine, 256 is not (labels of 63).
    let d255 = format!("{}.{}.{}.{}", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(63));
    assert_eq!(d255.len(), 255);
    assert!(Domain::parse(d255.as_bytes()).is_ok());
    let d256 = format!("{}.{}.{}.{}.x", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
    assert_eq!(d256.len(), 256);
    assert_eq!(Domain::parse(d256.as_bytes()).unwrap_err().kind(), ParseErrorKind::DomainTooLong { limit: 255 });
    // A label over 63 octets.
    let long_label = format!("{}.example", "a".repeat(64));
    assert_eq!(Domain::parse(long_label.as_bytes()).unwrap_err().offset(), 63);
    // Path: 256 octets with its brackets.
    let d = format!("{}.{}.{}", "a".repeat(63), "b".repeat(63), "c".repeat(52));
    let path = format!("<{}@{d}>", "u".repeat(64));
    assert_eq!(path.len(), 247);
    let opts = ParseOptions::default().with_limits(Limits::default().with_command_line(1000));
    ok_with(format!("MAIL FROM:{path}\r\n").as_bytes(), &opts);
    let long = format!("<{}@{d}.{}>", "u".repeat(64), "x".repeat(9));
    assert_eq!(long.len(), 257);
    bad_with(format!("MAIL FROM:{long}\r\n").as_bytes(), &opts, ParseErrorKind::PathTooLong { limit: 256 }, 10 + 256);
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.1.1 EHLO / HELO, RFC 2033 LHLO

#[test]
fn rfc5321_4_1_1_1_ehlo_helo() {
    for (line, host) in [
        (&b"EHLO client.example\r\n"[..], "client.example"),
        (b"ehlo Client.Example\r\n", "Client.Example"),
        (b"HELO x\r\n", "x"),
        (b"LHLO lmtp.example\r\n", "lmtp.example"),
        (b"EHLO 1.example\r\n", "1.example"),
        (b"EHLO xn--bcher-kva.example\r\n", "xn--bcher-kva.example"),
    ] {
        let c = ok(line);
        let (CommandBody::Ehlo { host: Host::Domain(d) }
        | CommandBody::Helo { host: Host::Domain(d) }
        | CommandBody::Lhlo { host: Host::Domain(d) }) = c.body()
        else {
            panic!("{c:?}")
        };
        assert_eq!(d.as_str(), host);
    }
    let c = ok(b"EHLO [192.0.2.1]\r\n");
    let CommandBody::Ehlo { host: Host::Literal(l) } = c.body() else { panic!() };
    assert_eq!(l.ip(), Some("192.0.2.1".parse().unwrap()));
    ok(b"EHLO [IPv6:2001:db8::1]\r\n");
    bad(b"EHLO\r\n", syntax("SP and a domain or address literal"), 4);
    bad(b"EHLO  x\r\n", syntax("domain label"), 5);
    bad(b"EHLO -x\r\n", syntax("letter or digit at the start of a label"), 5);
    bad(b"EHLO x-\r\n", syntax("letter or digit at the end of a label"), 6);
    bad(b"EHLO x \r\n", syntax("end of line (no trailing space)"), 6);
    bad(b"EHLO a..b\r\n", syntax("end of line"), 6);
    bad(b"EHLO a_b\r\n", syntax("end of line"), 6);
    bad(b"EHLO b\xc3\xbccher.example\r\n", ParseErrorKind::NonAscii, 6);
    ok_with("EHLO bücher.example\r\n".as_bytes(), &utf8());
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.2 and §4.1.1.2 MAIL

#[test]
fn rfc5321_4_1_1_2_mail() {
    let c = ok(b"MAIL FROM:<>\r\n");
    assert!(matches!(c.body(), CommandBody::Mail { reverse_path: ReversePath::Null, .. }));
    let c = ok(b"MAIL FROM:<alice@example.org>\r\n");
    let CommandBody::Mail { reverse_path, params } = c.body() else { panic!() };
    let m = reverse_path.mailbox().unwrap();
    assert_eq!((m.local_part().as_str(), m.host().to_string().as_str()), ("alice", "example.org"));
    assert!(params.is_empty());
    ok(b"mail from:<a@b>\r\n");
    ok(b"Mail From:<a.b.c@d.e>\r\n");
    // Quoted local parts are kept quoted (mail-send #42: never unquoted into a parameter).
    let c = ok(b"MAIL FROM:<\"a> ORCPT=x\"@y.example>\r\n");
    let CommandBody::Mail { reverse_path, params } = c.body() else { panic!() };
    assert!(params.is_empty());
    let lp = reverse_path.mailbox().unwrap().local_part();
    assert!(lp.is_quoted());
    assert_eq!(lp.value(), "a> ORCPT=x");
    ok(b"MAIL FROM:<\"john \\\"jr\\\" smith\"@example.org>\r\n");
    ok(b"MAIL FROM:<\"\"@example.org>\r\n");
    // Address literals (smtp-proto rejects these).
    ok(b"MAIL FROM:<u@[192.0.2.1]>\r\n");
    ok(b"MAIL FROM:<u@[IPv6:2001:db8::1]>\r\n");
    // Source routes are accepted and kept (§4.1.2, appendix C).
    let c = ok(b"MAIL FROM:<@a.example,@b.example:u@c.example>\r\n");
    let CommandBody::Mail { reverse_path: ReversePath::Path(p), .. } = c.body() else { panic!() };
    assert_eq!(p.source_route().unwrap().domains().collect::<Vec<_>>(), ["a.example", "b.example"]);

    bad(b"MAIL FROM: <a@b>\r\n", syntax("'<'"), 10);
    bad(b"MAIL FROM:a@b\r\n", syntax("'<'"), 10);
    bad(b"MAIL FROM<a@b>\r\n", syntax("FROM:"), 5);
    bad(b"MAIL TO:<a@b>\r\n", syntax("FROM:"), 5);
    bad(b"MAIL\r\n", syntax("SP FROM:"), 4);
    // Garbage after the path (smtp-proto #12).
    bad(b"MAIL FROM:<a@b>>\r\n", syntax("SP or end of line after the path"), 15);
    bad(b"MAIL FROM:<>>>>>\r\n", syntax("SP or end of line after the path"), 12);
    bad(b"MAIL FROM:<a@b\r\n", syntax("'>'"), 14);
    bad(b"MAIL FROM:<a b@c>\r\n", syntax("'@'"), 12);
    bad(b"MAIL FROM:<a..b@c>\r\n", syntax("atom"), 13);
    bad(b"MAIL FROM:<.a@c>\r\n", syntax("atom"), 11);
    bad(b"MAIL FROM:<a.@c>\r\n", syntax("atom"), 13);
    bad(b"MAIL FROM:<\"a\x01\"@c>\r\n", syntax("quoted-string text or '\"'"), 13);
    bad(b"MAIL FROM:<\"a@c>\r\n", syntax("'\"'"), 16);
    bad(b"MAIL FROM:<a@[1.2.3]>\r\n", ParseErrorKind::InvalidAddressLiteral, 14);
    bad(b"MAIL FROM:<a@>\r\n", syntax("domain label"), 13);
    bad(b"MAIL FROM:<@a:>\r\n", syntax("atom"), 14);
    // The space leniency is off by default, on by option, and kept for re-encoding.
    let lenient = ParseOptions::default().with_space_after_colon(true);
    let c = ok_with(b"MAIL FROM: <a@b>\r\n", &lenient);
    assert!(c.spelling().has_space_after_colon());
}

#[test]
fn rfc6531_3_3_utf8_only_with_smtputf8() {
    let line = "MAIL FROM:<jörg@bücher.example> SMTPUTF8\r\n".as_bytes();
    bad(line, ParseErrorKind::NonAscii, 12);
    let c = ok_with(line, &utf8());
    let CommandBody::Mail { reverse_path, params } = c.body() else { panic!() };
    assert!(!reverse_path.mailbox().unwrap().is_ascii());
    assert!(params.smtputf8());
    ok_with("RCPT TO:<\"日本 語\"@example.jp>\r\n".as_bytes(), &utf8());
    // Ill-formed UTF-8 is refused even then: overlong, surrogate, past U+10FFFF, truncated.
    for (bytes, at) in [
        (&b"MAIL FROM:<a\xc0\xafb@c>\r\n"[..], 12),
        (b"MAIL FROM:<a\xed\xa0\x80@c>\r\n", 12),
        (b"MAIL FROM:<a\xf4\x90\x80\x80@c>\r\n", 12),
        (b"MAIL FROM:<a\xe6\x97@c>\r\n", 12),
    ] {
        bad_with(bytes, &utf8(), ParseErrorKind::InvalidUtf8, at);
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.1.3 RCPT

#[test]
fn rfc5321_4_1_1_3_rcpt() {
    let c = ok(b"RCPT TO:<Postmaster>\r\n");
    assert!(matches!(c.body(), CommandBody::Rcpt { forward_path: ForwardPath::Postmaster(_), .. }));
    ok(b"RCPT TO:<postmaster>\r\n");
    ok(b"RCPT TO:<POSTMASTER>\r\n");
    let c = ok(b"RCPT TO:<Postmaster@example.org>\r\n");
    assert!(matches!(c.body(), CommandBody::Rcpt { forward_path: ForwardPath::Path(_), .. }));
    ok(b"rcpt to:<bob@example.org>\r\n");
    bad(b"RCPT TO:<>\r\n", syntax("atom"), 9);
    bad(b"RCPT TO:<Postmaster >\r\n", syntax("'@'"), 19);
    bad(b"RCPT FROM:<a@b>\r\n", syntax("TO:"), 5);
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.2 ESMTP parameters and the extensions that define them

#[test]
fn esmtp_parameters_typed() {
    let c = ok(b"MAIL FROM:<a@b> SIZE=1024 BODY=8BITMIME SMTPUTF8 REQUIRETLS RET=HDRS ENVID=QQ+2Bx AUTH=<> MT-PRIORITY=-3 HOLDFOR=60 BY=120;RT\r\n");
    let got: Vec<Param<'_>> = params(&c).collect();
    assert_eq!(got[0], Param::Size(1024));
    assert_eq!(got[1], Param::Body(BodyType::EightBitMime));
    assert_eq!(got[2], Param::SmtpUtf8);
    assert_eq!(got[3], Param::RequireTls);
    assert_eq!(got[4], Param::Ret(Ret::Headers));
    let Param::EnvId(x) = &got[5] else { panic!() };
    assert_eq!(x.decode(), b"QQ+x");
    assert_eq!(got[6], Param::Auth(AuthParam::Null));
    assert_eq!(got[7], Param::MtPriority(-3));
    assert_eq!(got[8], Param::HoldFor(60));
    assert_eq!(got[9], Param::By(By { time: 120, mode: ByMode::Return, trace: true }));
    let c = ok(b"RCPT TO:<a@b> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+40b RRVS=2026-11-29T10:00:00.5+01:00;C\r\n");
    let got: Vec<Param<'_>> = params(&c).collect();
    assert_eq!(got[0], Param::Notify(Notify::On { success: true, failure: false, delay: true }));
    let Param::Orcpt(o) = &got[1] else { panic!() };
    assert_eq!((o.addr_type.as_str(), o.addr.decode()), ("rfc822", b"a@b".to_vec()));
    let Param::Rrvs(r) = &got[2] else { panic!() };
    assert_eq!(r.action, Some(RrvsAction::Continue));
    // Case-insensitive keywords and values; unknown parameters kept verbatim.
    let c = ok(b"MAIL FROM:<a@b> size=7 body=7bit X-Custom=v? XFLAG\r\n");
    let got: Vec<Param<'_>> = params(&c).collect();
    assert_eq!(got[0], Param::Size(7));
    assert_eq!(got[1], Param::Body(BodyType::SevenBit));
    assert!(
        matches!(&got[2], Param::Other { keyword, value: Some(v) } if keyword.as_str() == "X-Custom" && v.as_str() == "v?")
    );
    bad(b"MAIL FROM:<a@b> X-Custom=v=?\r\n", syntax("SP or end of line"), 26);
    ok(b"MAIL FROM:<a@b> HOLDUNTIL=2026-12-24T18:00:00Z\r\n");
    ok(b"RCPT TO:<a@b> NOTIFY=NEVER\r\n");
}

#[test]
fn esmtp_parameters_rejected() {
    let p = |kw: &'static str| ParseErrorKind::InvalidParameterValue { keyword: kw };
    bad(b"MAIL FROM:<a@b> SIZE=x\r\n", p("SIZE"), 21);
    bad(b"MAIL FROM:<a@b> SIZE\r\n", p("SIZE"), 20);
    // 20 digits past u64::MAX, and 21 digits, are overflow, never a wrapped value (smtp-proto).
    bad(b"MAIL FROM:<a@b> SIZE=99999999999999999999\r\n", ParseErrorKind::NumberOverflow, 21);
    bad(b"MAIL FROM:<a@b> SIZE=123456789012345678901\r\n", ParseErrorKind::NumberOverflow, 21);
    ok(b"MAIL FROM:<a@b> SIZE=18446744073709551615\r\n");
    bad(b"MAIL FROM:<a@b> BODY=9BIT\r\n", p("BODY"), 21);
    bad(b"MAIL FROM:<a@b> SMTPUTF8=yes\r\n", p("SMTPUTF8"), 25);
    bad(b"MAIL FROM:<a@b> RET=ALL\r\n", p("RET"), 20);
    bad(b"MAIL FROM:<a@b> ENVID=a+zz\r\n", ParseErrorKind::InvalidXtext, 22);
    bad(b"MAIL FROM:<a@b> MT-PRIORITY=10\r\n", p("MT-PRIORITY"), 28);
    bad(b"MAIL FROM:<a@b> BY=10;X\r\n", p("BY"), 19);
    bad(b"MAIL FROM:<a@b> HOLDUNTIL=2026-13-01T00:00:00Z\r\n", p("HOLDUNTIL"), 26);
    bad(b"RCPT TO:<a@b> NOTIFY=NEVER,SUCCESS\r\n", p("NOTIFY"), 21);
    bad(b"RCPT TO:<a@b> NOTIFY=SUCCESS,SUCCESS\r\n", p("NOTIFY"), 21);
    bad(b"RCPT TO:<a@b> ORCPT=rfc822\r\n", p("ORCPT"), 20);
    bad(b"MAIL FROM:<a@b> SIZE=1 SIZE=2\r\n", ParseErrorKind::DuplicateParameter, 23);
    bad(b"MAIL FROM:<a@b> X-A=1 x-a=2\r\n", ParseErrorKind::DuplicateParameter, 22);
    bad(b"MAIL FROM:<a@b> NOTIFY=NEVER\r\n", ParseErrorKind::ParameterNotAllowed, 16);
    bad(b"RCPT TO:<a@b> SIZE=1\r\n", ParseErrorKind::ParameterNotAllowed, 14);
    bad(b"MAIL FROM:<a@b> SIZE=1 \r\n", syntax("parameter after space"), 23);
    bad(b"MAIL FROM:<a@b>  SIZE=1\r\n", syntax("keyword"), 16);
    bad(b"MAIL FROM:<a@b> =1\r\n", syntax("keyword"), 16);
    bad(b"MAIL FROM:<a@b> X=\r\n", syntax("parameter value"), 18);
    bad(b"MAIL FROM:<a@b> X=\xc3\xbc\r\n", ParseErrorKind::NonAscii, 18);
    // At most 256 parameters (bounds the duplicate check under a raised line limit).
    let opts = ParseOptions::default().with_limits(Limits::default().with_command_line(1 << 16));
    let params = |n: usize| (0..n).map(|k| format!("X{k}")).collect::<Vec<_>>().join(" ");
    ok_with(format!("MAIL FROM:<a@b> {}\r\n", params(256)).as_bytes(), &opts);
    let line = format!("MAIL FROM:<a@b> {}\r\n", params(257));
    let at = line.rfind(" X256").unwrap() + 1;
    bad_with(line.as_bytes(), &opts, syntax("at most 256 ESMTP parameters"), at);
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.3 address literals

#[test]
fn rfc5321_4_1_3_address_literals() {
    for (text, ip) in [
        ("[192.0.2.1]", "192.0.2.1"),
        ("[0.0.0.0]", "0.0.0.0"),
        ("[255.255.255.255]", "255.255.255.255"),
        ("[001.02.3.4]", "1.2.3.4"),
        ("[IPv6:2001:db8:0:0:0:0:0:1]", "2001:db8::1"),
        ("[IPv6:2001:DB8::1]", "2001:db8::1"),
        ("[ipv6:2001:db8::1]", "2001:db8::1"),
        ("[IPv6:::]", "::"),
        ("[IPv6:::1]", "::1"),
        ("[IPv6:1::]", "1::"),
        ("[IPv6:1:2:3:4:5:6::]", "1:2:3:4:5:6::"),
        ("[IPv6:1:2:3:4:5:6:192.0.2.1]", "1:2:3:4:5:6:c000:201"),
        ("[IPv6:::ffff:192.0.2.1]", "::ffff:192.0.2.1"),
        ("[IPv6:1::2:192.0.2.1]", "1::2:c000:201"),
        ("[IPv6:::192.0.2.1]", "::c000:201"),
    ] {
        let l = AddressLiteral::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(l.ip(), Some(ip.parse().unwrap()), "{text}");
        assert_eq!(l.to_vec(), text.as_bytes());
    }
    let g = AddressLiteral::parse(b"[X-tag:some-content]").unwrap();
    assert!(matches!(g.kind(), LiteralKind::General { .. }));
    assert_eq!(g.general_parts(), Some(("X-tag", "some-content")));
    for text in [
        "[]",
        "[1.2.3]",
        "[1.2.3.4.5]",
        "[256.1.1.1]",
        "[1.2.3.0004]",
        "[IPv6:1:2:3:4:5:6:7]",
        "[IPv6:1:2:3:4:5:6:7:8:9]",
        "[IPv6:1::2::3]",
        "[IPv6:1:2:3:4:5:6:7::]",
        "[IPv6:12345::]",
        "[IPv6:g::]",
        "[IPv6:1:2:3:4:5:192.0.2.1]",
        "[IPv6:1:2:3:4:5::192.0.2.1]",
        "[IPv6:1.2.3.4]",
        "[tag:]",
        "[tag-:x]",
    ] {
        let e = AddressLiteral::parse(text.as_bytes()).expect_err(text);
        assert_eq!(e.kind(), ParseErrorKind::InvalidAddressLiteral, "{text}");
    }
    assert_eq!(AddressLiteral::parse(b"[1.2.3.4").unwrap_err().kind(), syntax("']'"));
    assert_eq!(AddressLiteral::parse(b"[1.2.3.4\\]").unwrap_err().offset(), 8);
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.1.1.4–4.1.1.10, RFC 3030, RFC 3207, RFC 4954, RFC 1985; unknown verbs

#[test]
fn rfc5321_commands_without_paths() {
    assert_eq!(ok(b"DATA\r\n").body(), &CommandBody::Data);
    assert_eq!(ok(b"data\r\n").body(), &CommandBody::Data);
    assert_eq!(ok(b"RSET\r\n").body(), &CommandBody::Rset);
    assert_eq!(ok(b"QUIT\r\n").body(), &CommandBody::Quit);
    assert_eq!(ok(b"NOOP\r\n").body(), &CommandBody::Noop { arg: None });
    ok(b"NOOP hello\r\n");
    ok(b"HELP\r\n");
    ok(b"HELP MAIL\r\n");
    let c = ok(b"VRFY \"John Smith\"\r\n");
    let CommandBody::Vrfy { arg } = c.body() else { panic!() };
    assert_eq!(arg.value(), "John Smith");
    ok(b"EXPN staff\r\n");
    bad(b"DATA x\r\n", ParseErrorKind::UnexpectedArgument, 4);
    bad(b"DATA \r\n", ParseErrorKind::UnexpectedArgument, 4);
    bad(b"QUIT now\r\n", ParseErrorKind::UnexpectedArgument, 4);
    bad(b"RSET x\r\n", ParseErrorKind::UnexpectedArgument, 4);
    bad(b"VRFY\r\n", syntax("SP and a string"), 4);
    bad(b"VRFY John Smith\r\n", syntax("end of line"), 9);
    bad(b"NOOP \r\n", syntax("atom or quoted string"), 5);
}

#[test]
fn rfc3207_4_starttls_takes_no_argument() {
    assert_eq!(ok(b"STARTTLS\r\n").body(), &CommandBody::StartTls);
    ok(b"starttls\r\n");
    // go-smtp and nodemailer accepted `STARTTLS junk`; Postfix answers 501.
    bad(b"STARTTLS junk\r\n", ParseErrorKind::UnexpectedArgument, 8);
    bad(b"STARTTLS\r\nEHLO x\r\n", ParseErrorKind::TrailingData, 10);
}

#[test]
fn rfc3030_2_bdat() {
    assert_eq!(ok(b"BDAT 100\r\n").body(), &CommandBody::Bdat { size: 100, last: false });
    assert_eq!(ok(b"BDAT 0 LAST\r\n").body(), &CommandBody::Bdat { size: 0, last: true });
    let c = ok(b"bdat 007 last\r\n");
    assert_eq!(c.body(), &CommandBody::Bdat { size: 7, last: true });
    assert_eq!(c.spelling().leading_zeros(), 2);
    ok(b"BDAT 18446744073709551615\r\n");
    bad(b"BDAT 18446744073709551616\r\n", ParseErrorKind::NumberOverflow, 5);
    bad(b"BDAT 123456789012345678901234567890\r\n", ParseErrorKind::NumberOverflow, 5);
    bad(b"BDAT\r\n", syntax("SP and a chunk size"), 4);
    bad(b"BDAT x\r\n", syntax("chunk size"), 5);
    bad(b"BDAT -1\r\n", syntax("chunk size"), 5);
    bad(b"BDAT 1 FIRST\r\n", syntax("LAST"), 7);
    bad(b"BDAT 1 LAST x\r\n", syntax("end of line"), 11);
    bad(b"BDAT 1  LAST\r\n", syntax("LAST"), 7);
}

#[test]
fn rfc4954_4_auth() {
    let c = ok(b"AUTH PLAIN\r\n");
    assert!(matches!(c.body(), CommandBody::Auth { initial_response: None, .. }));
    let c = ok(b"AUTH PLAIN =\r\n");
    assert!(matches!(c.body(), CommandBody::Auth { initial_response: Some(InitialResponse::Empty), .. }));
    let c = ok(b"AUTH PLAIN AHVzZXIAcGFzcw==\r\n");
    let CommandBody::Auth { mechanism, initial_response: Some(InitialResponse::Data(d)) } = c.body() else { panic!() };
    assert!(mechanism.eq_ignore_ascii_case("plain"));
    assert_eq!(d.decode(), b"\0user\0pass");
    // Credentials never show in Debug output.
    assert!(!format!("{c:?}").contains("AHVzZXIAcGFzcw"));
    ok(b"AUTH XOAUTH2\r\n");
    ok(b"auth login\r\n");
    bad(b"AUTH\r\n", syntax("SP and a SASL mechanism"), 4);
    bad(b"AUTH PLAIN \r\n", syntax("initial response"), 11);
    bad(b"AUTH PLAIN AHVzZXIAcGFzcw=\r\n", ParseErrorKind::InvalidBase64, 26);
    bad(b"AUTH PLAIN =AAA\r\n", ParseErrorKind::InvalidBase64, 11);
    bad(b"AUTH PLAIN AA=A\r\n", ParseErrorKind::InvalidBase64, 13);
    bad(b"AUTH PLAIN QR==\r\n", ParseErrorKind::InvalidBase64, 12);
    bad(b"AUTH ABCDEFGHIJKLMNOPQRSTU\r\n", syntax("SASL mechanism name of at most 20 characters"), 25);
    bad(b"AUTH PLAIN AAAA BBBB\r\n", ParseErrorKind::InvalidBase64, 15);
    assert_eq!(AuthResponse::parse(b"\r\n").unwrap(), AuthResponse::Data(smtp_wire::Base64::new("").unwrap()));
    assert_eq!(AuthResponse::parse(b"**\r\n").unwrap_err().kind(), ParseErrorKind::InvalidBase64);
}

#[test]
fn rfc1985_etrn_and_unknown_verbs() {
    for line in [&b"ETRN example.org\r\n"[..], b"ETRN @example.org\r\n", b"ETRN #queue-1\r\n"] {
        let c = ok(line);
        assert!(matches!(c.body(), CommandBody::Etrn { .. }));
    }
    bad(b"ETRN\r\n", syntax("SP and a node or queue"), 4);
    bad(b"ETRN #\r\n", syntax("queue name"), 6);
    let c = ok(b"XCLIENT NAME=spike.porcupine.org ADDR=168.100.189.2\r\n");
    let CommandBody::Other { verb, args } = c.body() else { panic!() };
    assert_eq!(verb.as_str(), "XCLIENT");
    assert_eq!(args.as_ref().unwrap().as_str(), "NAME=spike.porcupine.org ADDR=168.100.189.2");
    assert_eq!(c.verb(), "XCLIENT");
    ok(b"SEND FROM:<a@b>\r\n");
    ok(b"TURN\r\n");
    bad(b"X-FOO\targs\r\n", syntax("command verb (letters, digits, '-')"), 5);
    bad(b"X\xc3\xbc\r\n", ParseErrorKind::NonAscii, 1);
    bad(b"XFOO \r\n", syntax("text"), 5);
}

// ---------------------------------------------------------------------------------------------
// Construction: nothing that can be built encodes to octets a strict peer reads differently

#[test]
fn spelling_is_kept_and_can_be_normalized() {
    let c = ok(b"rCpT tO:<a@b>\r\n");
    let canon = c.clone().with_spelling(Spelling::CANONICAL);
    assert_eq!(canon.to_vec(), b"RCPT TO:<a@b>\r\n");
    assert_eq!(canon.body(), c.body());
    assert_ne!(canon, c);
    // Spelling bits that do not apply to a command are dropped, so equal text is equal.
    let q = Command::new(CommandBody::Quit)
        .unwrap()
        .with_spelling(Spelling::CANONICAL.with_keyword_case(0xf).with_space_after_colon(true));
    assert_eq!(q, Command::parse(b"QUIT\r\n").unwrap());
}

// ---------------------------------------------------------------------------------------------
// The line framer: over-long lines are skipped to their CRLF, never re-parsed

#[test]
fn line_framer_skips_long_lines_whole() {
    let mut f = LineFramer::new(10);
    let input = b"MAIL FROM:<very-long@example.org>\r\nQUIT\r\n";
    let Status::Complete { value, consumed } = f.next_line(input).unwrap() else { panic!() };
    assert_eq!(value, Line::TooLong { len: 35 });
    let Status::Complete { value, .. } = f.next_line(&input[consumed..]).unwrap() else { panic!() };
    assert_eq!(value, Line::Complete(b"QUIT\r\n"));

    // The same stream one octet at a time: the tail of the long line is never a line.
    let mut f = LineFramer::new(10);
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    for &b in input.iter() {
        buf.push(b);
        while let Status::Complete { value, consumed } = f.next_line(&buf).unwrap() {
            match value {
                Line::Complete(l) => lines.push(l.to_vec()),
                Line::TooLong { len } => lines.push(format!("<{len}>").into_bytes()),
                _ => {}
            }
            buf.drain(..consumed);
            if consumed == 0 {
                break;
            }
        }
    }
    assert_eq!(lines, [b"<35>".to_vec(), b"QUIT\r\n".to_vec()]);

    // A bare CR or LF inside a skipped line does not end it; only CRLF does.
    let mut f = LineFramer::new(4);
    let Status::Complete { value, .. } = f.next_line(b"abcdef\nghi\rjk\r\nQUIT").unwrap() else { panic!() };
    assert_eq!(value, Line::TooLong { len: 15 });
    // A CR at the limit: the next octet decides between a bare CR and a too-long line, so
    // the framer waits for it (found by the line_framer fuzz target: a split-dependent answer).
    let opts = ParseOptions::default().with_limits(Limits::default().with_command_line(5));
    assert_eq!(Command::parse_prefix_with(b"NOOP\r", &opts).unwrap(), Status::Incomplete);
    assert_eq!(Command::parse_prefix_with(b"NOOP\rX", &opts).unwrap_err().kind(), ParseErrorKind::BareCr);
    assert_eq!(
        Command::parse_prefix_with(b"NOOP\r\n", &opts).unwrap_err().kind(),
        ParseErrorKind::LineTooLong { limit: 5 }
    );
    // Bare line ends in a normal line are errors at their offset.
    let mut f = LineFramer::new(512);
    assert_eq!(f.next_line(b"QUIT\n").unwrap_err().kind(), ParseErrorKind::BareLf);
}

// ---------------------------------------------------------------------------------------------
// Leniencies that real clients need (each off by default)

#[test]
fn exact_parameter_repeats_only_when_asked_and_only_exact() {
    let lenient = ParseOptions::default().with_exact_parameter_repeats(true);
    // Python's smtplib adds SMTPUTF8 and BODY=8BITMIME to options that may hold BODY already.
    let smtplib = "MAIL FROM:<jörg@example.org> size=42 BODY=8BITMIME SMTPUTF8 BODY=8BITMIME\r\n".as_bytes();
    bad_with(smtplib, &utf8(), ParseErrorKind::DuplicateParameter, 61);
    let cmd = ok_with(smtplib, &lenient.with_smtputf8(true));
    let all: Vec<Param<'_>> = params(&cmd).collect();
    assert_eq!(
        all,
        [Param::Size(42), Param::Body(BodyType::EightBitMime), Param::SmtpUtf8, Param::Body(BodyType::EightBitMime)]
    );
    // Keywords compare case-insensitively; values must be the same octets.
    ok_with(b"MAIL FROM:<a@b> body=8BITMIME BODY=8BITMIME\r\n", &lenient);
    ok_with(b"MAIL FROM:<a@b> X-A=1 SMTPUTF8 x-a=1\r\n", &lenient);
    ok_with(b"MAIL FROM:<a@b> REQUIRETLS REQUIRETLS\r\n", &lenient);
    bad_with(b"MAIL FROM:<a@b> BODY=7BIT BODY=8BITMIME\r\n", &lenient, ParseErrorKind::DuplicateParameter, 26);
    bad_with(b"MAIL FROM:<a@b> BODY=8BITMIME BODY=8bitmime\r\n", &lenient, ParseErrorKind::DuplicateParameter, 30);
    bad_with(b"MAIL FROM:<a@b> X-A=1 X-A=2\r\n", &lenient, ParseErrorKind::DuplicateParameter, 22);
    bad_with(b"MAIL FROM:<a@b> X-A X-A=\r\n", &lenient, syntax("parameter value"), 24);
    bad_with(b"MAIL FROM:<a@b> X-A X-A=1\r\n", &lenient, ParseErrorKind::DuplicateParameter, 20);
    // Every earlier occurrence must match, and the command check still applies.
    bad_with(b"RCPT TO:<a@b> NOTIFY=NEVER NOTIFY=NEVER SIZE=1\r\n", &lenient, ParseErrorKind::ParameterNotAllowed, 40);
}

#[test]
fn utf8_envelope_only_in_paths() {
    let lenient = ParseOptions::default().with_utf8_envelope(true);
    // swaks, msmtp and OpenSMTPD's smtp(1) send a UTF-8 recipient without SMTPUTF8 on MAIL.
    let rcpt = "RCPT TO:<jörg@bücher.example>\r\n".as_bytes();
    bad(rcpt, ParseErrorKind::NonAscii, 10);
    let cmd = ok_with(rcpt, &lenient);
    let CommandBody::Rcpt { forward_path, .. } = cmd.body() else { panic!() };
    assert!(!forward_path.is_ascii());
    let mail = ok_with("MAIL FROM:<ünïcödé@example.org>\r\n".as_bytes(), &lenient);
    let CommandBody::Mail { reverse_path, .. } = mail.body() else { panic!() };
    assert!(!reverse_path.is_ascii());
    // Parameters, EHLO and VRFY still need SMTPUTF8; malformed UTF-8 is still refused.
    bad_with("MAIL FROM:<a@b> X-A=é\r\n".as_bytes(), &lenient, ParseErrorKind::NonAscii, 20);
    bad_with("EHLO bücher.example\r\n".as_bytes(), &lenient, ParseErrorKind::NonAscii, 6);
    bad_with("VRFY jörg\r\n".as_bytes(), &lenient, ParseErrorKind::NonAscii, 6);
    bad_with(b"RCPT TO:<j\xc3@example.org>\r\n", &lenient, ParseErrorKind::InvalidUtf8, 10);
}
