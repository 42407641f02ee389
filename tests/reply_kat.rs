//! Known answers for replies, EHLO replies and SASL challenges, grouped by RFC section, then
//! replies as Postfix, Exim, Sendmail, Microsoft and Google send them (written from their
//! documented formats). Every accepted reply is parsed, compared, re-encoded (same octets),
//! re-parsed (same value) and fed one octet at a time through `parse_prefix` (Incomplete until
//! its last CRLF). Every rejected one must fail with the stated kind at the stated offset, fed
//! whole and fed one octet at a time (Dovecot's "trickle stream").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::esc;
use smtp_wire::{
    AuthMechanisms, BuildErrorKind, Capability, Domain, EhloReply, Encode, EnhancedCode, Extension, Host, Limits,
    ParseError, ParseErrorKind, ParseOptions, Reply, ReplyBuilder, ReplyCategory, ReplyClass, ReplyCode, SaslChallenge,
    ServerLimits, Status,
};

/// The three parsers under test, behind one interface.
trait Parse<'a>: Sized + Clone + PartialEq + core::fmt::Debug + Encode {
    fn whole(b: &'a [u8], o: &ParseOptions) -> Result<Self, ParseError>;
    fn prefix(b: &'a [u8], o: &ParseOptions) -> Result<Status<Self>, ParseError>;
}

impl<'a> Parse<'a> for Reply<'a> {
    fn whole(b: &'a [u8], o: &ParseOptions) -> Result<Self, ParseError> {
        Reply::parse_with(b, o)
    }
    fn prefix(b: &'a [u8], o: &ParseOptions) -> Result<Status<Self>, ParseError> {
        Reply::parse_prefix_with(b, o)
    }
}

impl<'a> Parse<'a> for EhloReply<'a> {
    fn whole(b: &'a [u8], o: &ParseOptions) -> Result<Self, ParseError> {
        EhloReply::parse_with(b, o)
    }
    fn prefix(b: &'a [u8], o: &ParseOptions) -> Result<Status<Self>, ParseError> {
        EhloReply::parse_prefix_with(b, o)
    }
}

impl<'a> Parse<'a> for SaslChallenge<'a> {
    fn whole(b: &'a [u8], o: &ParseOptions) -> Result<Self, ParseError> {
        SaslChallenge::parse_with(b, o)
    }
    fn prefix(b: &'a [u8], o: &ParseOptions) -> Result<Status<Self>, ParseError> {
        SaslChallenge::parse_prefix_with(b, o)
    }
}

fn strict() -> ParseOptions {
    ParseOptions::default()
}

fn utf8() -> ParseOptions {
    ParseOptions::default().with_smtputf8(true)
}

/// Parses `bytes` whole, checks the inverse, the trickle feed and a longer buffer.
fn accept<'a, T: Parse<'a>>(bytes: &'a [u8], opts: &ParseOptions) -> T {
    let v = T::whole(bytes, opts).unwrap_or_else(|e| panic!("{e}: {}", esc(bytes)));
    assert_eq!(v.to_vec(), bytes, "re-encoding of {}", esc(bytes));
    assert_eq!(v.encoded_len(), bytes.len());
    // (Leaked so that the re-parse has the same lifetime parameter; a few octets per test.)
    let again: &'a [u8] = v.to_vec().leak();
    assert_eq!(T::whole(again, opts).unwrap(), v, "re-parse of {}", esc(bytes));
    for k in 0..bytes.len() {
        assert_eq!(T::prefix(&bytes[..k], opts).unwrap(), Status::Incomplete, "{} at {k}", esc(bytes));
    }
    assert_eq!(T::prefix(bytes, opts).unwrap(), Status::Complete { value: v.clone(), consumed: bytes.len() });
    let mut longer = bytes.to_vec();
    longer.extend_from_slice(b"250 next\r\n");
    let longer: &'a [u8] = longer.leak();
    match T::prefix(longer, opts).unwrap() {
        Status::Complete { value, consumed } => {
            assert_eq!(consumed, bytes.len());
            assert_eq!(value.to_vec(), bytes);
        }
        Status::Incomplete => panic!("{} incomplete in a longer buffer", esc(bytes)),
    }
    v
}

fn reply(bytes: &[u8]) -> Reply<'_> {
    accept(bytes, &strict())
}

fn ehlo(bytes: &[u8]) -> EhloReply<'_> {
    accept(bytes, &strict())
}

/// `bytes` fails with `kind` at `offset`, whole and fed one octet at a time.
fn refuse<'a, T: Parse<'a>>(bytes: &'a [u8], opts: &ParseOptions, kind: ParseErrorKind, offset: usize) {
    let e = T::whole(bytes, opts).expect_err(&esc(bytes));
    assert_eq!((e.kind(), e.offset()), (kind, offset), "{}: {e}", esc(bytes));
    let incomplete_kind = matches!(kind, ParseErrorKind::MissingCrlf | ParseErrorKind::TrailingData)
        || kind == ParseErrorKind::Syntax { expected: "the last line of the reply (no '-')" };
    let mut first = None;
    for k in 0..=bytes.len() {
        match T::prefix(&bytes[..k], opts) {
            Ok(Status::Incomplete) => {}
            Ok(Status::Complete { consumed, .. }) => {
                assert!(kind == ParseErrorKind::TrailingData, "{} accepted {consumed} octets", esc(bytes));
                return;
            }
            Err(err) => {
                first = Some(err);
                break;
            }
        }
    }
    if incomplete_kind {
        assert_eq!(first, None, "trickle feed of {}", esc(bytes));
    } else {
        assert_eq!(first, Some(e), "trickle feed of {}", esc(bytes));
    }
}

fn bad(bytes: &[u8], kind: ParseErrorKind, offset: usize) {
    refuse::<Reply<'_>>(bytes, &strict(), kind, offset);
}

fn bad_ehlo(bytes: &[u8], kind: ParseErrorKind, offset: usize) {
    refuse::<EhloReply<'_>>(bytes, &strict(), kind, offset);
}

fn syntax(expected: &'static str) -> ParseErrorKind {
    ParseErrorKind::Syntax { expected }
}

fn cap(keyword: &'static str) -> ParseErrorKind {
    ParseErrorKind::InvalidCapability { keyword }
}

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
    for near in
        ["SIZ", "SIZES", "PIPELININX", "DELIVERBZ", "ENHANCEDSTATUSCODE", "8BITMIMEX", "", "NO-SOLICITINGS", "AUTH="]
    {
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
}
