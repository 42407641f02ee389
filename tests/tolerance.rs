//! Strict framing, tolerant content (issue 9): every reply and EHLO list that real servers
//! send and the strict grammar refuses is checked both ways. Strictly it fails with the stated
//! kind at the stated offset (whole and one octet at a time, see `common::kat`); under the
//! tolerant switch it is accepted, re-encodes to the same octets, parses back equal and is
//! Incomplete for every proper prefix. What the switches must not loosen (the framing) fails
//! the same way under both.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::kat::{accept_reply, bad, bad_ehlo, ehlo, refuse, strict, syntax, utf8};
use smtp_wire::{
    BuildErrorKind, Capability, Client, ClientConfig, ClientEvent, Domain, EhloReply, Encode, Extension, Limits,
    ParseErrorKind, ParseOptions, Reply, TlsPolicy,
};

fn cap(keyword: &'static str) -> ParseErrorKind {
    ParseErrorKind::InvalidCapability { keyword }
}

/// Malformed capabilities kept.
fn caps() -> ParseOptions {
    ParseOptions::default().with_malformed_capabilities(true)
}

/// Loose reply text.
fn loose() -> ParseOptions {
    ParseOptions::default().with_loose_reply_text(true)
}

/// Every switch of this issue, as the client's defaults have them.
fn tolerant() -> ParseOptions {
    caps().with_loose_reply_text(true)
}

/// Refused strictly at `offset` with `kind`; accepted (and round-tripped) under `opts`.
fn both_ways<'a>(bytes: &'a [u8], kind: ParseErrorKind, offset: usize, opts: &ParseOptions) -> EhloReply<'a> {
    bad_ehlo(bytes, kind, offset);
    let e: EhloReply<'a> = accept_reply(bytes, opts);
    // The same through an already parsed reply.
    let r = Reply::parse_with(bytes, opts).unwrap();
    assert_eq!(EhloReply::from_reply_with(&r, opts).as_ref(), Ok(&e));
    assert!(EhloReply::try_from(&r).is_err() || !opts.malformed_capabilities());
    e
}

/// The malformed capability of `extension` in `e`, with what follows its keyword.
fn malformed(e: &EhloReply<'_>, extension: Extension) -> String {
    match e.capability(extension) {
        Some(Capability::Malformed { extension: Some(x), params, .. }) if x == extension => params.as_str().to_owned(),
        other => panic!("{extension}: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Malformed capabilities: present, value unusable

#[test]
fn size_with_a_unit_a_sign_or_too_many_digits() {
    // "250-mx\r\n" is 8 octets, "250 SIZE " 9 more: the value starts at 17.
    for (bytes, rest) in [
        (&b"250-mx\r\n250 SIZE 10M\r\n"[..], " 10M"),
        (b"250-mx\r\n250 SIZE -1\r\n", " -1"),
        (b"250-mx\r\n250 SIZE 99999999999999999999999\r\n", " 99999999999999999999999"),
        (b"250-mx\r\n250 SIZE 52428800 bytes\r\n", " 52428800 bytes"),
    ] {
        let e = both_ways(bytes, cap("SIZE"), if rest.contains("bytes") { 26 } else { 17 }, &caps());
        assert!(e.supports(Extension::Size));
        assert!(e.supports_keyword("size"));
        assert_eq!(e.size_limit(), None);
        assert_eq!(malformed(&e, Extension::Size), rest);
        // The capability writes back exactly as read, and is not a value a builder writes.
        let c = e.capabilities().next().unwrap();
        assert_eq!(c.to_string(), std::str::from_utf8(&bytes[12..bytes.len() - 2]).unwrap());
        assert_eq!((c.extension(), c.keyword()), (Some(Extension::Size), "SIZE"));
        let err = EhloReply::new(&e.host(), None, &[c]).unwrap_err();
        assert_eq!(err.kind(), BuildErrorKind::Grammar(cap("SIZE")));
    }
}

#[test]
fn known_keywords_with_parameters_they_do_not_take() {
    let bytes = b"250-mx.example.org\r\n250-STARTTLS now\r\n250-PIPELINING x\r\n250 SIZE=1000\r\n";
    // "250-mx.example.org\r\n" is 20 octets; "250-STARTTLS" ends at 32.
    let e = both_ways(bytes, cap("STARTTLS"), 32, &caps());
    assert!(e.supports(Extension::StartTls) && e.supports(Extension::Pipelining) && e.supports(Extension::Size));
    assert_eq!(malformed(&e, Extension::StartTls), " now");
    assert_eq!(malformed(&e, Extension::Pipelining), " x");
    assert_eq!(malformed(&e, Extension::Size), "=1000");
    // `SIZE=1000` alone: the keyword ends at `=`.
    let e = both_ways(b"250-mx\r\n250 SIZE=1000\r\n", syntax("SP or end of line after the EHLO keyword"), 16, &caps());
    assert_eq!(e.size_limit(), None);
    // A tab after the keyword.
    let e = both_ways(b"250-mx\r\n250 SIZE\t1000\r\n", syntax("SP or end of line after the EHLO keyword"), 16, &caps());
    assert_eq!(malformed(&e, Extension::Size), "\t1000");
    // LIMITS and FUTURERELEASE whose values break RFC 9422 §3 and RFC 4865 §3.
    let e = both_ways(b"250-mx\r\n250-LIMITS RCPTMAX=1;2\r\n250 FUTURERELEASE 604800\r\n", cap("LIMITS"), 28, &caps());
    assert_eq!(e.limits(), None);
    assert!(e.supports(Extension::Limits) && e.supports(Extension::FutureRelease));
    assert_eq!(malformed(&e, Extension::FutureRelease), " 604800");
}

#[test]
fn trailing_spaces_on_keyword_lines() {
    // "250-PIPELINING " leaves an empty parameter after its SP, at 12 + 11.
    let bytes = b"250-mx\r\n250-PIPELINING \r\n250-SIZE 1000  \r\n250-AUTH PLAIN LOGIN \r\n250 8BITMIME\t\r\n";
    let e = both_ways(bytes, syntax("EHLO parameter"), 23, &caps());
    // Typed as if the spaces were not there: the values are usable.
    let got: Vec<Capability<'_>> = e.capabilities().collect();
    assert_eq!(got[0], Capability::Pipelining);
    assert_eq!(got[1], Capability::Size(Some(1000)));
    assert_eq!(got[3], Capability::EightBitMime);
    assert_eq!(e.size_limit(), Some(1000));
    assert_eq!(e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect::<Vec<_>>(), ["PLAIN", "LOGIN"]);
    // The reply keeps its spaces; the typed values rebuild the canonical reply.
    assert_eq!(e.to_vec(), bytes);
    let rebuilt = EhloReply::new(&e.host(), e.greeting(), &got).unwrap();
    assert_eq!(
        rebuilt.to_vec(),
        b"250-mx\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
    );
    // A space after the server's name with no greeting.
    let e = both_ways(
        b"250-mx.example.org \r\n250 SIZE 10\r\n",
        syntax("greeting after SP (no trailing space)"),
        18,
        &caps(),
    );
    assert_eq!((e.greeting(), e.host().to_string()), (None, "mx.example.org".to_owned()));
}

#[test]
fn unknown_keywords_with_malformed_parameters() {
    let e = both_ways(b"250-mx\r\n250-X-FOO a  b\r\n250 PRDR\r\n", syntax("EHLO parameter"), 20, &caps());
    let c = e.capabilities().next().unwrap();
    let Capability::Malformed { extension: None, keyword, params } = &c else { panic!("{c:?}") };
    assert_eq!((keyword.as_str(), params.as_str()), ("X-FOO", " a  b"));
    assert_eq!((c.keyword(), c.extension()), ("X-FOO", None));
    assert!(e.supports_keyword("x-foo") && e.supports_keyword("PRDR"));
    let err = EhloReply::new(&e.host(), None, &[c]).unwrap_err();
    assert_eq!(err.kind(), BuildErrorKind::Grammar(cap("EHLO")));
}

#[test]
fn malformed_and_duplicate() {
    let e = both_ways(b"250-mx\r\n250-SIZE 10M\r\n250 size 100\r\n", cap("SIZE"), 17, &caps());
    // The first line is the one the lookups read; the repeat is reported.
    assert_eq!(e.size_limit(), None);
    assert_eq!(e.duplicates().collect::<Vec<_>>(), [Capability::Size(Some(100))]);
}

#[test]
fn what_stays_refused_with_malformed_capabilities() {
    let opts = tolerant();
    // A line without a keyword, an empty line, a keyword glued to another octet.
    refuse::<EhloReply<'_>>(b"250-mx\r\n250  SIZE\r\n", &opts, syntax("EHLO keyword"), 12);
    refuse::<EhloReply<'_>>(b"250-mx\r\n250-\r\n250 X\r\n", &opts, syntax("EHLO keyword"), 12);
    refuse::<EhloReply<'_>>(b"250-mx\r\n250\r\n", &opts, syntax("SP and an EHLO keyword"), 11);
    let kind = syntax("SP, HT, '=' or end of line after the EHLO keyword");
    refuse::<EhloReply<'_>>(b"250-mx\r\n250 SIZE.5\r\n", &opts, kind, 16);
    refuse::<EhloReply<'_>>(b"250-mx\r\n250 SIZE\x015\r\n", &opts, kind, 16);
    // The framing and the first line: refused under every switch.
    let mut long = b"250-mx\r\n250 SIZE ".to_vec();
    long.extend(std::iter::repeat_n(b'M', 600));
    long.extend_from_slice(b"\r\n");
    let last = syntax("the last line of the reply (no '-')");
    for (bytes, kind, at) in [
        (&b"250-mx\r\n251 SIZE 10M\r\n"[..], ParseErrorKind::ReplyCodeMismatch, 10),
        (b"250-mx\r\n250-SIZE 10M\n250 X\r\n", ParseErrorKind::BareLf, 20),
        (b"250-mx\r\n250 SIZE a\rb\r\n", ParseErrorKind::BareCr, 18),
        (b"250-mx\r\n250-SIZE 10M\r\n250 X", ParseErrorKind::MissingCrlf, 27),
        (b"250-mx\r\n250-SIZE 10M\r\n250 X\r\n250 Y\r\n", ParseErrorKind::TrailingData, 29),
        (b"250-mx\r\n250-SIZE 10M\r\n", last, 22),
        (b"250-mx\r\n250SIZE 10M\r\n", syntax("SP, '-' or CRLF after the reply code"), 11),
        (b"250-\x01mx\r\n250 SIZE 10M\r\n", syntax("domain label"), 4),
        (b"220-mx\r\n220 SIZE 10M\r\n", ParseErrorKind::UnexpectedReplyCode { expected: 250 }, 0),
        (b"250-mx\r\n250 SIZE a\x00b\r\n", syntax("reply text: any octet but NUL, CR and LF"), 18),
        (&long, ParseErrorKind::LineTooLong { limit: 512 }, 520),
    ] {
        refuse::<EhloReply<'_>>(bytes, &opts, kind, at);
    }
    let small = opts.with_limits(Limits::default().with_reply_lines(2));
    let kind = ParseErrorKind::TooManyReplyLines { limit: 2 };
    refuse::<EhloReply<'_>>(b"250-mx\r\n250-SIZE 10M\r\n250 X\r\n", &small, kind, 11);
}

// ---------------------------------------------------------------------------------------------
// AUTH on several lines

#[test]
fn auth_mechanisms_from_every_auth_line() {
    // One mechanism per line (Exchange-style), the legacy spelling beside the standard one.
    let e = ehlo(b"250-mx\r\n250-AUTH LOGIN\r\n250-AUTH NTLM\r\n250-SIZE 100\r\n250-AUTH=LOGIN PLAIN\r\n250 auth gssapi login\r\n");
    let names: Vec<String> = e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect();
    assert_eq!(names, ["LOGIN", "NTLM", "PLAIN", "gssapi"]);
    // The typed capability is still the first line's.
    let Some(Capability::Auth { mechanisms, legacy: false }) = e.capability(Extension::Auth) else { panic!() };
    assert_eq!(mechanisms.as_str(), "LOGIN");
    // A malformed AUTH line lists nothing; the others still count.
    let bytes = b"250-mx\r\n250-AUTH PLAIN,LOGIN\r\n250 AUTH=CRAM-MD5\r\n";
    let e = both_ways(bytes, cap("AUTH"), 22, &caps());
    assert_eq!(e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect::<Vec<_>>(), ["CRAM-MD5"]);
    assert!(matches!(e.capability(Extension::Auth), Some(Capability::Malformed { .. })));
}

#[test]
fn auth_repeats_are_skipped_within_a_bounded_look_back() {
    // 70 distinct names on one line, then all of them again: the first 64 are known.
    let names: Vec<String> = (0..70).map(|k| format!("M{k}")).collect();
    let line = names.join(" ");
    let bytes = format!("250-mx\r\n250-AUTH {line}\r\n250 AUTH {line}\r\n");
    let e = EhloReply::parse(bytes.as_bytes()).unwrap();
    let got: Vec<String> = e.auth_mechanisms().map(|m| m.as_str().to_owned()).collect();
    assert_eq!(got.len(), 70 + 6);
    assert_eq!(&got[..70], &names[..]);
    assert_eq!(&got[70..], &names[64..]);
}

// ---------------------------------------------------------------------------------------------
// Loose reply text

#[test]
fn control_characters_echoed_in_reply_text() {
    let text = syntax("reply text: HT, SP or printable US-ASCII (RFC 5321 §4.2)");
    // aiosmtpd and smtpd.py echo the unrecognized command as they received it.
    for (bytes, at) in [
        (&b"500 Error: command \"\x01\x02\" not recognized\r\n"[..], 20),
        (b"500 Error: command \"\x16\x03\x01\" not recognized\r\n", 20),
        (b"550 \x1b[31mrefused\x1b[0m\r\n", 4),
        (b"250-first\r\n250 a\x7fb\x08c\r\n", 16),
    ] {
        bad(bytes, text, at);
        let r: Reply<'_> = accept_reply(bytes, &loose());
        assert_eq!(r.to_vec(), bytes);
        assert!(r.code().as_u16() == 500 || r.code().as_u16() == 550 || r.code().as_u16() == 250);
    }
}

#[test]
fn utf8_without_smtputf8() {
    let bytes = "550 5.1.1 Empfänger unbekannt\r\n".as_bytes();
    bad(bytes, ParseErrorKind::NonAscii, 14);
    let r: Reply<'_> = accept_reply(bytes, &loose());
    assert_eq!(r.lines().next().unwrap().message(), "Empfänger unbekannt");
    // Under SMTPUTF8 that was never an error.
    let _: Reply<'_> = accept_reply(bytes, &utf8());
}

#[test]
fn what_stays_refused_with_loose_text() {
    let opts = loose();
    let nul = syntax("reply text: any octet but NUL, CR and LF");
    refuse::<Reply<'_>>(b"500 a\x00b\r\n", &opts, nul, 5);
    refuse::<Reply<'_>>(b"250-ok\r\n250 \x00\r\n", &opts, nul, 12);
    // (Octets that are not UTF-8 were refused here as InvalidUtf8 while a Reply's text was a
    // str; they are loose text now: see `octets_that_are_not_utf8`.)
    // Strictly the control is the first offence; loosely the bare LF after it.
    refuse::<Reply<'_>>(
        b"500 a\x01b\n",
        &strict(),
        syntax("reply text: HT, SP or printable US-ASCII (RFC 5321 §4.2)"),
        5,
    );
    refuse::<Reply<'_>>(b"500 a\x01b\n", &opts, ParseErrorKind::BareLf, 7);
    let mut long = b"500 \x01".to_vec();
    long.extend(std::iter::repeat_n(b'x', 600));
    long.extend_from_slice(b"\r\n");
    for (bytes, kind, at) in [
        (&b"500 a\rb\r\n"[..], ParseErrorKind::BareCr, 5),
        (b"500 a\nb\r\n", ParseErrorKind::BareLf, 5),
        (b"500-a\x01\r\n501 b\r\n", ParseErrorKind::ReplyCodeMismatch, 10),
        (b"500\x01a\r\n", syntax("SP, '-' or CRLF after the reply code"), 3),
        (b"600 a\x01\r\n", syntax("reply code: first digit 2-5 (RFC 5321 §4.2)"), 0),
        (b"500-a\x01\r\n", syntax("the last line of the reply (no '-')"), 8),
        (&long, ParseErrorKind::LineTooLong { limit: 512 }, 512),
    ] {
        refuse::<Reply<'_>>(bytes, &opts, kind, at);
    }
}

/// Octets that are not UTF-8: aiosmtpd's echo of a binary command, a Latin-1 greeting.
/// Strictly refused where they were (NonAscii, or InvalidUtf8 under SMTPUTF8); loosely kept
/// as octets, exact in the byte views, empty in the `str` views, escaped when shown.
#[test]
fn octets_that_are_not_utf8() {
    let echo = b"500 Error: command \"\xff\xfe\" not recognized\r\n";
    let latin1 = b"220-mx.example.org ESMTP Gr\xfc\xdf Gott\r\n220 Willkommen \xe0 bord\r\n";
    bad(echo, ParseErrorKind::NonAscii, 20);
    bad(latin1, ParseErrorKind::NonAscii, 27);
    refuse::<Reply<'_>>(echo, &utf8(), ParseErrorKind::InvalidUtf8, 20);
    refuse::<Reply<'_>>(latin1, &utf8(), ParseErrorKind::InvalidUtf8, 27);

    let r: Reply<'_> = accept_reply(echo, &loose());
    assert_eq!((r.code().as_u16(), r.as_bytes(), r.to_vec()), (500, &echo[..], echo.to_vec()));
    let line = r.lines().next().unwrap();
    assert_eq!(line.text_bytes(), b"Error: command \"\xff\xfe\" not recognized");
    assert_eq!(line.message_bytes(), line.text_bytes());
    assert_eq!(line.as_bytes(), &echo[..echo.len() - 2]);
    assert_eq!((line.text(), line.message(), line.as_str(), r.as_str()), ("", "", "", ""));
    assert_eq!((line.to_str(), r.to_str(), r.is_utf8(), r.is_ascii()), (None, None, false, false));
    assert_eq!(line.text_lossy(), "Error: command \"\u{fffd}\u{fffd}\" not recognized");
    assert_eq!(r.to_string(), r#"500 Error: command "\xff\xfe" not recognized"#);
    assert_eq!(
        format!("{r:?}"),
        r#"Reply { code: ReplyCode(500), wire: "500 Error: command \"\xff\xfe\" not recognized\r\n" }"#
    );

    let r: Reply<'_> = accept_reply(latin1, &tolerant());
    assert_eq!(r.line_count(), 2);
    let texts: Vec<&[u8]> = r.lines().map(|l| l.text_bytes()).collect();
    assert_eq!(texts, [&b"mx.example.org ESMTP Gr\xfc\xdf Gott"[..], b"Willkommen \xe0 bord"]);
    assert_eq!(r.to_string(), "220-mx.example.org ESMTP Gr\\xfc\\xdf Gott\n220 Willkommen \\xe0 bord");
    assert_eq!(r.clone().into_owned(), r);

    // An enhanced code is read before text that is not UTF-8; a control in it is still shown
    // escaped.
    let r: Reply<'_> = accept_reply(b"550 5.1.1 <j\xf6rg@example.org>\x1b[0m unknown\r\n", &loose());
    let line = r.lines().next().unwrap();
    assert_eq!(r.enhanced_code().map(|c| c.to_string()), Some("5.1.1".to_owned()));
    assert_eq!(line.message_bytes(), b"<j\xf6rg@example.org>\x1b[0m unknown");
    assert_eq!(line.to_string(), r"550 5.1.1 <j\xf6rg@example.org>\x1b[0m unknown");

    // What stays refused: NUL after such octets, and the framing.
    refuse::<Reply<'_>>(b"500 \xff\x00\r\n", &loose(), syntax("reply text: any octet but NUL, CR and LF"), 5);
    refuse::<Reply<'_>>(b"500 \xff\nb\r\n", &loose(), ParseErrorKind::BareLf, 5);
    refuse::<Reply<'_>>(b"500-\xff\r\n501 \xfe\r\n", &loose(), ParseErrorKind::ReplyCodeMismatch, 9);

    // EHLO: a Latin-1 greeting is kept; a capability line with such octets after its keyword
    // is Malformed (under the other switch) and keeps them.
    let bytes = b"250-mx.example.org Gr\xfc\xdf dich\r\n250-X-FOO caf\xe9\r\n250 SIZE 1000\r\n";
    bad_ehlo(bytes, ParseErrorKind::NonAscii, 21);
    refuse::<EhloReply<'_>>(bytes, &loose(), ParseErrorKind::NonAscii, 43);
    let e = both_ways(bytes, ParseErrorKind::NonAscii, 21, &tolerant());
    assert_eq!((e.greeting(), e.greeting_bytes()), (None, Some(&b"Gr\xfc\xdf dich"[..])));
    assert_eq!(e.greeting_lossy().as_deref(), Some("Gr\u{fffd}\u{fffd} dich"));
    assert_eq!((e.host().to_string(), e.size_limit()), ("mx.example.org".to_owned(), Some(1000)));
    let Some(Capability::Malformed { extension: None, keyword, params }) = e.capabilities().next() else { panic!() };
    assert_eq!((keyword.as_str(), params.as_bytes(), params.as_str()), ("X-FOO", &b" caf\xe9"[..], ""));
    assert_eq!(e.capabilities().next().unwrap().to_string(), r"X-FOO caf\xe9");
    assert!(e.supports_keyword("x-foo"));
}

#[test]
fn ehlo_greeting_with_the_controls_ehlo_greet_allows() {
    // RFC 5321 §4.1.1.1: ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127).
    let bytes = b"250-mx.example.org Hello\x07 there\x7f\r\n250 8BITMIME\r\n";
    bad_ehlo(bytes, syntax("reply text: HT, SP or printable US-ASCII (RFC 5321 §4.2)"), 24);
    let e: EhloReply<'_> = accept_reply(bytes, &loose());
    assert_eq!(e.greeting(), Some("Hello\x07 there\x7f"));
    assert!(e.supports(Extension::EightBitMime));
    // A control in a capability line needs the other switch too.
    let bytes = b"250-mx\r\n250 X-FOO a\x01b\r\n";
    refuse::<EhloReply<'_>>(bytes, &loose(), syntax("EHLO parameter (printable US-ASCII)"), 19);
    let e: EhloReply<'_> = accept_reply(bytes, &tolerant());
    assert!(matches!(e.capabilities().next(), Some(Capability::Malformed { extension: None, .. })));
    let e: EhloReply<'_> = accept_reply("250-mx Grüß Gott\r\n250 SIZE 1 Mio\r\n".as_bytes(), &tolerant());
    assert_eq!((e.greeting(), e.size_limit()), (Some("Grüß Gott"), None));
}

// ---------------------------------------------------------------------------------------------
// The client's defaults

const T0: Duration = Duration::ZERO;

/// Feeds the server's octets to a client until it is ready or fails.
fn client_session(cfg: ClientConfig, server: &[u8]) -> Result<(), String> {
    let mut c = Client::new(Arc::new(cfg), T0);
    let mut buf = server;
    loop {
        let h = c.handle_input(buf, T0).map_err(|e| format!("{e:?}"))?;
        buf = &buf[h.consumed..];
        let mut out = Vec::new();
        c.poll_transmit(&mut out);
        match h.event {
            Some(ClientEvent::Ready(_)) => return Ok(()),
            Some(_) => {}
            None if buf.is_empty() => return Err("not ready".into()),
            None => {}
        }
    }
}

#[test]
fn client_defaults_read_loose_text() {
    let cfg = || ClientConfig::new(Domain::new("client.test").unwrap()).with_tls_policy(TlsPolicy::Disabled);
    assert!(cfg().parse_options.malformed_capabilities() && cfg().parse_options.loose_reply_text());
    let server = "220 mx.test ESMTP prêt \x1b[1m\r\n250-mx.test Hallo\x07\r\n250 PIPELINING\r\n".as_bytes();
    assert_eq!(client_session(cfg(), server), Ok(()));
    assert!(client_session(cfg().with_parse_options(ParseOptions::default()), server).is_err());
}
