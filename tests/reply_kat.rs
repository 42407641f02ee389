//! Known answers for replies, enhanced status codes, SASL challenges and the reply builder,
//! grouped by RFC section (EHLO replies are in `ehlo_kat.rs`). Every accepted reply is parsed,
//! compared, re-encoded (same octets), re-parsed (same value) and fed one octet at a time
//! through `parse_prefix` (Incomplete until its last CRLF). Every rejected one must fail with
//! the stated kind at the stated offset, fed whole and fed one octet at a time (Dovecot's
//! "trickle stream"; see `common::kat`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::esc;
use common::kat::{accept_reply as accept, bad, refuse, reply, strict, syntax, utf8};
use smtp_wire::{
    BuildErrorKind, Encode, EnhancedCode, Limits, ParseErrorKind, ParseOptions, Reply, ReplyBuilder, ReplyCategory,
    ReplyClass, ReplyCode, SaslChallenge, Status,
};

fn texts<'a>(r: &'a Reply<'_>) -> Vec<&'a str> {
    r.texts().collect()
}

const TEXT: ParseErrorKind =
    ParseErrorKind::Syntax { expected: "reply text: HT, SP or printable US-ASCII (RFC 5321 §4.2)" };
const SEP: ParseErrorKind = ParseErrorKind::Syntax { expected: "SP, '-' or CRLF after the reply code" };

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.2: reply lines

#[test]
fn rfc5321_4_2_single_line_replies() {
    let r = reply(b"250 OK\r\n");
    assert_eq!(r.code(), ReplyCode::OK);
    assert_eq!(texts(&r), ["OK"]);
    assert!(!r.is_multiline());
    assert_eq!(r.line_count(), 1);
    let r = reply(b"354 End data with <CR><LF>.<CR><LF>\r\n");
    assert_eq!(r.code().as_u16(), 354);
    assert!(r.code().is_intermediate());
    // Tabs, runs of spaces, leading and trailing spaces are all text.
    let r = reply(b"250 \tspaced  out \r\n");
    assert_eq!(texts(&r), ["\tspaced  out "]);
    // Every printable octet.
    let all: Vec<u8> = b"250 ".iter().copied().chain(32..=126).chain(*b"\r\n").collect();
    assert_eq!(texts(&reply(&all))[0].len(), 95);
}

#[test]
fn rfc5321_4_2_bare_codes_are_replies() {
    // "the text is optional": a client MUST accept a bare code, with or without the space
    // (lettre rejects the first).
    for bytes in [&b"250\r\n"[..], b"250 \r\n", b"334\r\n", b"334 \r\n"] {
        let r = reply(bytes);
        assert_eq!(texts(&r), [""]);
        assert_eq!(r.enhanced_code(), None);
    }
    let r = reply(b"250-\r\n250-\r\n250\r\n");
    assert_eq!(texts(&r), ["", "", ""]);
}

#[test]
fn rfc5321_4_2_multi_line_replies() {
    let r = reply(b"250-first\r\n250-second\r\n250 last\r\n");
    assert!(r.is_multiline());
    assert_eq!(r.line_count(), 3);
    assert_eq!(texts(&r), ["first", "second", "last"]);
    let lasts: Vec<bool> = r.lines().map(|l| l.is_last()).collect();
    assert_eq!(lasts, [false, false, true]);
    assert_eq!(r.lines().nth(1).unwrap().as_str(), "250-second");
    // The last line may be bare.
    assert_eq!(texts(&reply(b"220-Greeting\r\n220\r\n")), ["Greeting", ""]);
    // Incomplete until the last line's CRLF, and only that reply is taken.
    let buf = b"250-a\r\n250-b\r\n250 c\r\n221 bye\r\n";
    assert_eq!(Reply::parse_prefix(&buf[..14]).unwrap(), Status::Incomplete);
    let Status::Complete { value, consumed } = Reply::parse_prefix(buf).unwrap() else { panic!() };
    assert_eq!((value.line_count(), consumed), (3, 21));
}

#[test]
fn rfc5321_4_2_1_codes_classes_and_categories() {
    for (code, class, category) in [
        (211, ReplyClass::PositiveCompletion, ReplyCategory::Information),
        (220, ReplyClass::PositiveCompletion, ReplyCategory::Connections),
        (250, ReplyClass::PositiveCompletion, ReplyCategory::MailSystem),
        (334, ReplyClass::PositiveIntermediate, ReplyCategory::Unspecified3),
        (354, ReplyClass::PositiveIntermediate, ReplyCategory::MailSystem),
        (421, ReplyClass::TransientNegative, ReplyCategory::Connections),
        (432, ReplyClass::TransientNegative, ReplyCategory::Unspecified3),
        (545, ReplyClass::PermanentNegative, ReplyCategory::Unspecified4),
        (500, ReplyClass::PermanentNegative, ReplyCategory::Syntax),
        (559, ReplyClass::PermanentNegative, ReplyCategory::MailSystem),
        (200, ReplyClass::PositiveCompletion, ReplyCategory::Syntax),
    ] {
        let c = ReplyCode::new(code).unwrap();
        assert_eq!((c.as_u16(), c.class(), c.category()), (code, class, category));
        assert_eq!(c.is_positive(), code < 400);
        assert_eq!(c.is_completion(), code < 300);
        assert_eq!(c.is_intermediate(), (300..400).contains(&code));
        assert_eq!(c.is_transient(), (400..500).contains(&code));
        assert_eq!(c.is_permanent(), code >= 500);
        assert_eq!(c.to_string(), code.to_string());
        let line = format!("{code} x\r\n");
        assert_eq!(Reply::parse(line.as_bytes()).unwrap().code(), c);
    }
    for code in [0, 199, 260, 299, 560, 600, 999, 1250] {
        assert!(ReplyCode::new(code).is_err(), "{code}");
        assert!(ReplyCode::try_from(code).is_err(), "{code}");
    }
    assert_eq!(ReplyCode::AUTH_CHALLENGE.as_u16(), 334);
    assert_eq!(ReplyCode::START_MAIL_INPUT.as_u16(), 354);
}

#[test]
fn rfc5321_4_2_codes_outside_the_grammar_are_refused() {
    // Dovecot test-smtp-reply-parser.c cases.
    bad(b"699 Nonsense\r\n", syntax("reply code: first digit 2-5 (RFC 5321 §4.2)"), 0);
    bad(b"100 Nonsense\r\n", syntax("reply code: first digit 2-5 (RFC 5321 §4.2)"), 0);
    bad(b"22X OK\r\n", syntax("reply code: third digit 0-9 (RFC 5321 §4.2)"), 2);
    bad(b"260 OK\r\n", syntax("reply code: second digit 0-5 (RFC 5321 §4.2)"), 1);
    bad(b"25\r\n", syntax("reply code: third digit 0-9 (RFC 5321 §4.2)"), 2);
    bad(b"2500 OK\r\n", SEP, 3);
    bad(b"220OK\r\n", SEP, 3);
    bad(b"250_OK\r\n", SEP, 3);
    bad(b"250\tOK\r\n", SEP, 3);
    bad(b" 250 OK\r\n", syntax("reply code: first digit 2-5 (RFC 5321 §4.2)"), 0);
    bad(b"\r\n", syntax("reply code: first digit 2-5 (RFC 5321 §4.2)"), 0);
}

#[test]
fn rfc5321_4_2_1_every_line_has_the_same_code() {
    // "the same reply code MUST be used on every line": smtp-proto keeps the first code.
    bad(b"200-Hello\r\n250 Bye\r\n", ParseErrorKind::ReplyCodeMismatch, 12);
    bad(b"250-Hello\r\n251 Bye\r\n", ParseErrorKind::ReplyCodeMismatch, 13);
    bad(b"250-Hello\r\n550 Bye\r\n", ParseErrorKind::ReplyCodeMismatch, 11);
    bad(b"250-a\r\n250-b\r\n25x c\r\n", syntax("reply code: third digit 0-9 (RFC 5321 §4.2)"), 16);
    bad(b"250-a\r\n250\t\r\n", SEP, 10);
}

#[test]
fn rfc5321_2_3_8_crlf_only() {
    bad(b"250 OK\n", ParseErrorKind::BareLf, 6);
    bad(b"250\n", ParseErrorKind::BareLf, 3);
    bad(b"250 O\rK\r\n", ParseErrorKind::BareCr, 5);
    bad(b"250\rX\r\n", ParseErrorKind::BareCr, 3);
    bad(b"250-a\n250 b\r\n", ParseErrorKind::BareLf, 5);
    // Dovecot: "400 Interrupted\r" never completes.
    bad(b"400 Interrupted\r", ParseErrorKind::MissingCrlf, 16);
    bad(b"250 OK", ParseErrorKind::MissingCrlf, 6);
    bad(b"", ParseErrorKind::MissingCrlf, 0);
    // A continuation line with no last line: Incomplete, and an error when a whole reply was
    // expected.
    bad(b"250-more to come\r\n", syntax("the last line of the reply (no '-')"), 18);
    assert_eq!(Reply::parse_prefix(b"250-more to come\r\n").unwrap(), Status::Incomplete);
    // A whole reply is exactly one reply.
    bad(b"250 a\r\n250 b\r\n", ParseErrorKind::TrailingData, 7);
    bad(b"250 a\r\n\r\n", ParseErrorKind::TrailingData, 7);
}

#[test]
fn rfc5321_4_2_text_is_ht_sp_and_printable() {
    bad(b"250 a\x00b\r\n", TEXT, 5);
    bad(b"250 \x03\r\n", TEXT, 4);
    bad(b"250 a\x7fb\r\n", TEXT, 5);
    bad(b"250-\x1b[31m\r\n250 x\r\n", TEXT, 4);
    bad(b"250-ok\r\n250 \x0c\r\n", TEXT, 12);
    // The first offending octet wins, whatever follows it.
    bad(b"250 a\x01\rb\r\n", TEXT, 5);
    bad(b"250 a\rb\x01\r\n", ParseErrorKind::BareCr, 5);
}

#[test]
fn rfc6531_3_7_4_utf8_text_only_with_smtputf8() {
    let bytes = "250 Grüße, 世界\r\n".as_bytes();
    bad(bytes, ParseErrorKind::NonAscii, 6);
    let r: Reply<'_> = accept(bytes, &utf8());
    assert_eq!(texts(&r), ["Grüße, 世界"]);
    assert!(!r.is_ascii());
    // Ill-formed UTF-8 is refused even then, at the start of the bad sequence: overlong,
    // surrogate, past U+10FFFF, truncated, a lone continuation octet.
    for (bytes, at) in [
        (&b"250 a\xc0\xafb\r\n"[..], 5),
        (b"250 a\xed\xa0\x80\r\n", 5),
        (b"250 \xf4\x90\x80\x80\r\n", 4),
        (b"250 ab\xe6\x97\r\n", 6),
        (b"250 \x80\r\n", 4),
        (b"250-ok\r\n250 x\xe6\x97\x01\r\n", 13),
        (b"250 \xc3\x28 more\r\n", 4),
    ] {
        refuse::<Reply<'_>>(bytes, &utf8(), ParseErrorKind::InvalidUtf8, at);
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 5321 §4.5.3.1.5 and the line count bound

#[test]
fn rfc5321_4_5_3_1_5_reply_line_is_512_octets() {
    let mut line = b"250 ".to_vec();
    line.resize(510, b'x');
    line.extend_from_slice(b"\r\n");
    assert_eq!(line.len(), 512);
    reply(&line);
    let mut long = line.clone();
    long.insert(6, b'x');
    bad(&long, ParseErrorKind::LineTooLong { limit: 512 }, 512);
    // A CR as octet 512 cannot be followed by its LF within the limit.
    let mut cr_at_end = line.clone();
    cr_at_end.insert(500, b'x');
    bad(&cr_at_end, ParseErrorKind::LineTooLong { limit: 512 }, 512);
    // On the second line, counted from the line's start.
    let mut two = b"250-first\r\n".to_vec();
    two.extend_from_slice(&long);
    bad(&two, ParseErrorKind::LineTooLong { limit: 512 }, 11 + 512);
    // A raised limit takes it.
    let opts = ParseOptions::default().with_limits(Limits::default().with_reply_line(1000));
    accept::<Reply<'_>>(&long, &opts);
}

#[test]
fn rfc4954_4_challenge_lines_may_be_as_long_as_a_sasl_line() {
    let mut line = b"334 ".to_vec();
    line.extend(std::iter::repeat_n(b'A', 4000));
    line.extend_from_slice(b"\r\n");
    let c: SaslChallenge<'_> = accept(&line, &strict());
    assert_eq!(c.decode().len(), 3000);
    let r = reply(&line);
    assert_eq!(r.code(), ReplyCode::AUTH_CHALLENGE);
    // Other codes keep the reply limit.
    line[..3].copy_from_slice(b"250");
    bad(&line, ParseErrorKind::LineTooLong { limit: 512 }, 512);
}

#[test]
fn reply_line_count_is_bounded() {
    let mut hundred: Vec<u8> = Vec::new();
    for _ in 0..99 {
        hundred.extend_from_slice(b"250-x\r\n");
    }
    hundred.extend_from_slice(b"250 x\r\n");
    assert_eq!(Reply::parse(&hundred).unwrap().line_count(), 100);
    // A hundredth line that still says "more": refused at its '-', never waiting for more.
    let mut endless: Vec<u8> = Vec::new();
    for _ in 0..100 {
        endless.extend_from_slice(b"250-x\r\n");
    }
    bad(&endless, ParseErrorKind::TooManyReplyLines { limit: 100 }, 99 * 7 + 3);
    assert_eq!(
        Reply::parse_prefix(&endless[..99 * 7 + 3]).unwrap(),
        Status::Incomplete,
        "not an error before the '-' arrives"
    );
    let opts = ParseOptions::default().with_limits(Limits::default().with_reply_lines(2));
    refuse::<Reply<'_>>(b"250-a\r\n250-b\r\n250 c\r\n", &opts, ParseErrorKind::TooManyReplyLines { limit: 2 }, 10);
    accept::<Reply<'_>>(b"250-a\r\n250 b\r\n", &opts);
}

// ---------------------------------------------------------------------------------------------
// RFC 3463 and RFC 2034: enhanced status codes

#[test]
fn rfc3463_2_enhanced_codes() {
    for (text, class, subject, detail) in
        [("2.0.0", 2, 0, 0), ("5.7.520", 5, 7, 520), ("4.999.999", 4, 999, 999), ("5.10.1", 5, 10, 1)]
    {
        let c = EnhancedCode::parse(text.as_bytes()).unwrap();
        assert_eq!((c.class(), c.subject(), c.detail()), (class, subject, detail));
        assert_eq!(c.to_string(), text);
        assert_eq!(EnhancedCode::new(class, subject, detail).unwrap(), c);
    }
    for text in ["3.0.0", "5.01.1", "5.1.01", "5.1000.1", "5.1.1000", "5..1", "5.1.", "5.1", "x.1.1", "5.1.1 "] {
        assert!(EnhancedCode::parse(text.as_bytes()).is_err(), "{text}");
    }
    assert!(EnhancedCode::new(2, 1000, 0).is_err());
    assert!(EnhancedCode::new(1, 0, 0).is_err());
    let c = EnhancedCode::new(4, 2, 2).unwrap();
    assert!(c.is_transient() && !c.is_permanent() && !c.is_success());
    assert_eq!(c.class_description(), "Persistent Transient Failure");
    assert_eq!(c.subject_description(), Some("Mailbox Status"));
    assert_eq!(c.description(), Some("Mailbox full"));
    assert_eq!(EnhancedCode::new(5, 7, 30).unwrap().description(), Some("REQUIRETLS support required"));
    assert_eq!(EnhancedCode::new(5, 5, 6).unwrap().description(), Some("Authentication Exchange line is too long"));
    assert_eq!(EnhancedCode::new(5, 7, 520).unwrap().description(), None);
    assert_eq!(EnhancedCode::new(2, 9, 0).unwrap().subject_description(), None);
}

#[test]
fn rfc2034_3_enhanced_codes_in_replies() {
    let r = reply(b"250 2.1.5 Ok\r\n");
    assert_eq!(r.enhanced_code(), Some(EnhancedCode::new(2, 1, 5).unwrap()));
    assert_eq!(r.lines().next().unwrap().message(), "Ok");
    // Three-digit detail kept (smtp-proto saturates it to 255).
    let r = reply(b"550 5.7.520 Access denied, Your organization does not allow external forwarding.\r\n");
    assert_eq!(r.enhanced_code().unwrap().detail(), 520);
    // A code alone, or followed by more spaces.
    assert_eq!(reply(b"250 2.0.0\r\n").lines().next().unwrap().message(), "");
    assert_eq!(reply(b"250 2.0.0  two\r\n").lines().next().unwrap().message(), " two");
    // Not an enhanced code, so ordinary text: no space after it, a class that is not the
    // reply's, a leading zero, four digits, a missing part.
    for bytes in [
        &b"250 2.1.0Ok\r\n"[..],
        b"250 5.1.1 text\r\n",
        b"550 2.0.0 text\r\n",
        b"250 2.01.0 text\r\n",
        b"250 2.1.1000 text\r\n",
        b"250 2.1 text\r\n",
        b"250  2.1.0 text\r\n",
        b"354 3.0.0 go ahead\r\n",
    ] {
        let r = reply(bytes);
        assert_eq!(r.enhanced_code(), None, "{}", esc(bytes));
        assert_eq!(r.lines().next().unwrap().message(), r.lines().next().unwrap().text());
    }
    // Per line in a multi-line reply.
    let r = reply(b"550-5.1.1 one\r\n550-plain\r\n550 5.7.1 two\r\n");
    let codes: Vec<Option<String>> = r.lines().map(|l| l.enhanced_code().map(|c| c.to_string())).collect();
    assert_eq!(codes, [Some("5.1.1".into()), None, Some("5.7.1".into())]);
    let messages: Vec<&str> = r.lines().map(|l| l.message()).collect();
    assert_eq!(messages, ["one", "plain", "two"]);
}

// ---------------------------------------------------------------------------------------------
// RFC 4954 §4: SASL challenges

#[test]
fn rfc4954_4_sasl_challenges() {
    let c: SaslChallenge<'_> = accept(b"334 VXNlcm5hbWU6\r\n", &strict());
    assert_eq!(c.decode(), b"Username:");
    assert_eq!(c.reply().code(), ReplyCode::AUTH_CHALLENGE);
    // Empty: with the space (RFC 4954) and without (yandex; enough_mail #284).
    for bytes in [&b"334 \r\n"[..], b"334\r\n"] {
        let c: SaslChallenge<'_> = accept(bytes, &strict());
        assert!(c.decode().is_empty());
    }
    assert!(!format!("{c:?}").contains("VXNl"), "challenge data is redacted in Debug");
    let bad = |bytes: &[u8], kind, at| refuse::<SaslChallenge<'_>>(bytes, &strict(), kind, at);
    bad(b"334 Username:\r\n", ParseErrorKind::InvalidBase64, 12);
    bad(b"334 abc\r\n", ParseErrorKind::InvalidBase64, 7);
    bad(b"334 =AAA\r\n", ParseErrorKind::InvalidBase64, 4);
    bad(b"334  VXNl\r\n", ParseErrorKind::InvalidBase64, 4);
    bad(b"334-VXNl\r\n334 \r\n", syntax("one-line 334 challenge (RFC 4954 §4)"), 3);
    bad(b"235 2.7.0 Authentication successful\r\n", ParseErrorKind::UnexpectedReplyCode { expected: 334 }, 0);
    bad(b"334 VXNl\n", ParseErrorKind::BareLf, 8);
    // Through Reply.
    let r = reply(b"334 UGFzc3dvcmQ6\r\n");
    assert_eq!(SaslChallenge::try_from(&r).unwrap().decode(), b"Password:");
    assert_eq!(SaslChallenge::try_from(r.clone()).unwrap().into_reply(), r);
    assert!(SaslChallenge::try_from(&reply(b"250 ok\r\n")).is_err());
    // Built.
    assert_eq!(SaslChallenge::from_bytes(b"").to_vec(), b"334 \r\n");
    let c = SaslChallenge::from_bytes(&[0u8, 255, 7]);
    assert_eq!(SaslChallenge::parse(&c.to_vec()).unwrap().decode(), [0, 255, 7]);
}

// ---------------------------------------------------------------------------------------------
// Building replies

#[test]
fn reply_builder_writes_exact_lines() {
    let r = Reply::new(ReplyCode::OK, "Ok").unwrap();
    assert_eq!(r.to_vec(), b"250 Ok\r\n");
    assert_eq!(Reply::new(ReplyCode::OK, "").unwrap().to_vec(), b"250\r\n");
    assert_eq!(ReplyBuilder::new(ReplyCode::SERVICE_READY).build().unwrap().to_vec(), b"220\r\n");
    let r = Reply::builder(ReplyCode::OK).lines(["mx.example.org", "", "SIZE 100"]).build().unwrap();
    assert_eq!(r.to_vec(), b"250-mx.example.org\r\n250-\r\n250 SIZE 100\r\n");
    let esc = EnhancedCode::new(2, 0, 0).unwrap();
    let r = Reply::builder(ReplyCode::CLOSING).enhanced_code(esc).line("Bye").build().unwrap();
    assert_eq!(r.to_vec(), b"221 2.0.0 Bye\r\n");
    let r = Reply::builder(ReplyCode::CLOSING).enhanced_code(esc).line("").build().unwrap();
    assert_eq!(r.to_vec(), b"221 2.0.0\r\n");
    assert_eq!(r.enhanced_code(), Some(esc));
    let r = Reply::builder(ReplyCode::OK).enhanced_code(esc).lines(["", "x"]).build().unwrap();
    assert_eq!(r.to_vec(), b"250-2.0.0\r\n250 2.0.0 x\r\n");
    // Text that starts with an enhanced code reads back as one: the builder writes text as
    // given (found by fuzzing: `459-4.14.4` then lines without a code).
    let r = Reply::builder(ReplyCode::new(459).unwrap()).lines(["4.14.4", "more"]).build().unwrap();
    assert_eq!(r.enhanced_code(), Some(EnhancedCode::new(4, 14, 4).unwrap()));
    assert_eq!(r.lines().nth(1).unwrap().enhanced_code(), None);
    // Tabs are text; UTF-8 too (the reply then needs SMTPUTF8).
    let r = Reply::new(ReplyCode::OK, "a\tb ü").unwrap();
    assert!(!r.is_ascii());
    assert!(Reply::parse(r.as_str().as_bytes()).is_err());
    assert_eq!(Reply::parse_with(r.as_str().as_bytes(), &utf8()).unwrap(), r);
}

#[test]
fn reply_builder_refuses_what_a_client_would_misread() {
    for (text, at) in [("a\r\nb", 1), ("a\nb", 1), ("a\rb", 1), ("\0", 0), ("ok\u{7f}", 2), ("x\x1b[31m", 1)] {
        let e = Reply::new(ReplyCode::OK, text).unwrap_err();
        assert_eq!(
            (e.kind(), e.what(), e.offset()),
            (BuildErrorKind::ControlCharacter, "reply text", Some(at)),
            "{text:?}"
        );
    }
    let e = Reply::builder(ReplyCode::OK).enhanced_code(EnhancedCode::new(5, 1, 1).unwrap()).build().unwrap_err();
    assert_eq!(e.kind(), BuildErrorKind::ClassMismatch);
    // Injection attempt through a line: never a second reply line with another code.
    assert!(Reply::new(ReplyCode::OK, "fine\r\n550 5.7.1 denied").is_err());
}

#[test]
fn reply_builder_splits_long_text() {
    let words: Vec<String> = (0..200).map(|k| format!("word{k}")).collect();
    let text = words.join(" ");
    let esc = EnhancedCode::new(5, 7, 1).unwrap();
    let r = Reply::builder(ReplyCode::MAILBOX_UNAVAILABLE).enhanced_code(esc).line(&text).build().unwrap();
    assert!(r.line_count() > 1);
    for l in r.lines() {
        assert!(l.as_str().len() + 2 <= 512, "{}", l.as_str().len());
        assert_eq!(l.enhanced_code(), Some(esc));
        assert!(!l.message().starts_with(' ') && !l.message().ends_with(' '));
    }
    // Breaking at spaces loses only the spaces broken at.
    let joined: Vec<&str> = r.lines().map(|l| l.message()).collect();
    assert_eq!(joined.join(" "), text);
    // A word longer than a line is cut, at a character boundary.
    let long = "ü".repeat(600);
    let r = Reply::new(ReplyCode::OK, &long).unwrap();
    assert_eq!(r.texts().collect::<String>(), long);
    assert!(r.lines().all(|l| l.as_str().len() + 2 <= 512));
    // Small limits.
    let limits = Limits::default().with_reply_line(12);
    let r = Reply::builder(ReplyCode::OK).limits(limits).line("abc defgh ijklmnop").build().unwrap();
    assert_eq!(r.to_vec(), b"250-abc\r\n250-defgh\r\n250-ijklmn\r\n250 op\r\n");
    let e = Reply::builder(ReplyCode::OK).limits(limits).enhanced_code(EnhancedCode::new(2, 0, 0).unwrap()).line("x");
    assert!(e.build().is_err());
    let few = Limits::default().with_reply_line(12).with_reply_lines(2);
    let e = Reply::builder(ReplyCode::OK).limits(few).line("abc defgh ijklmnop").build().unwrap_err();
    assert_eq!(e.kind(), BuildErrorKind::TooManyLines { limit: 2 });
    // A 334 line may be as long as a SASL line.
    let data = "A".repeat(4000);
    assert_eq!(Reply::new(ReplyCode::AUTH_CHALLENGE, &data).unwrap().line_count(), 1);
}
