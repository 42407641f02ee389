//! The allocation-free writers, [`Reply::write_to`] and [`EhloReply::write_to`], against the
//! builders they stand beside: for arbitrary parts the same octets or the same refusal
//! (what, index, offset), nothing left in the buffer on a refusal, what is written parses back
//! with the strict parser, known answers, and no allocation when the buffer has room.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{allocations, arb, esc};
use proptest::prelude::*;
use smtp_wire::{
    BuildErrorKind, Capability, Domain, EhloReply, Encode, EnhancedCode, Host, Limits, ParseOptions, Reply,
    ReplyBuilder, ReplyCode, Status,
};

fn strict(limits: Limits) -> ParseOptions {
    ParseOptions::STRICT.with_smtputf8(true).with_limits(limits)
}

/// The builder's answer for the same parts: the octets, or the refusal.
fn built(
    code: ReplyCode,
    esc: Option<EnhancedCode>,
    texts: &[&str],
    limits: Limits,
) -> Result<Vec<u8>, smtp_wire::BuildError> {
    let mut b = ReplyBuilder::new(code).limits(limits).lines(texts.iter().copied());
    if let Some(e) = esc {
        b = b.enhanced_code(e);
    }
    b.build().map(|r| r.to_vec())
}

/// Writes after `before` and checks the all-or-nothing contract; returns what was written.
fn written(
    before: &[u8],
    code: ReplyCode,
    esc: Option<EnhancedCode>,
    texts: &[&str],
    limits: Limits,
) -> Result<Vec<u8>, smtp_wire::BuildError> {
    let mut out = before.to_vec();
    let r = Reply::write_to_within(&mut out, code, esc, texts, &limits);
    assert_eq!(&out[..before.len()], before);
    match r {
        Ok(n) => {
            assert_eq!(n, out.len() - before.len());
            Ok(out[before.len()..].to_vec())
        }
        Err(e) => {
            assert_eq!(out, before, "nothing left behind after {e}");
            Err(e)
        }
    }
}

fn limits_of(line: usize, lines: usize) -> Limits {
    Limits::default().with_reply_line(line).with_reply_lines(lines)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Same octets or same refusal as `ReplyBuilder`, for texts with controls, UTF-8, long
    /// words, codes of every class and limits small enough to split, refuse and overflow.
    #[test]
    fn reply_writer_matches_builder(
        code in arb::<ReplyCode>(),
        esc in proptest::option::of(arb::<EnhancedCode>()),
        texts in proptest::collection::vec(r"[ -~\t\x{e9}\x{1F600}]{0,80}|[0-9. ]{0,12}|[ -~]{400,700}|(?s).{0,20}|[a-z ]{0,40}", 0..6),
        line in prop_oneof![Just(512usize), 0usize..40],
        lines in prop_oneof![Just(100usize), 0usize..6],
        before in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let limits = limits_of(line, lines);
        let ours = written(&before, code, esc, &texts, limits);
        prop_assert_eq!(&ours, &built(code, esc, &texts, limits));
        if let Ok(bytes) = &ours {
            let back = Reply::parse_with(bytes, &strict(limits)).unwrap();
            prop_assert_eq!(back.as_bytes(), &bytes[..], "{}", esc_str(bytes));
            prop_assert_eq!(back.code(), code);
            // When every text took one line: the reply written out by hand.
            if back.line_count() == texts.len() {
                let mut by_hand = String::new();
                for (k, t) in texts.iter().enumerate() {
                    let sep = if k + 1 == texts.len() { " " } else { "-" };
                    let esc = esc.map(|e| e.to_string());
                    let head = [Some(code.as_u16().to_string()), esc, Some(t.to_string()).filter(|t| !t.is_empty())];
                    let line = head.into_iter().flatten().collect::<Vec<_>>().join(" ");
                    let line = if line.len() == 3 { line + if sep == "-" { "-" } else { "" } } else { line.replacen(' ', sep, 1) };
                    by_hand.push_str(&line);
                    by_hand.push_str("\r\n");
                }
                prop_assert_eq!(esc_str(bytes), esc_str(by_hand.as_bytes()));
            }
        }
    }

    /// The same for the classes that match (every enhanced code taken).
    #[test]
    fn reply_writer_matches_builder_with_matching_class(
        code in arb::<ReplyCode>(),
        esc in arb::<EnhancedCode>(),
        texts in proptest::collection::vec(r"[ -~]{0,120}", 0..4),
        line in 0usize..64,
    ) {
        let Ok(esc) = EnhancedCode::new((code.as_u16() / 100) as u8, esc.subject(), esc.detail()) else { return Ok(()) };
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let limits = limits_of(line, 100);
        prop_assert_eq!(written(b"x", code, Some(esc), &texts, limits), built(code, Some(esc), &texts, limits));
    }

    /// Same octets or same refusal as `EhloReply::build`, for arbitrary capabilities (known,
    /// other, malformed), greetings and small limits; what is written parses back.
    #[test]
    fn ehlo_writer_matches_builder(
        host in arb::<Host<'static>>(),
        greeting in proptest::option::of(r"[ -~\t\x{e9}]{0,60}|(?s).{0,10}"),
        caps in proptest::collection::vec(arb::<Capability<'static>>(), 0..8),
        line in prop_oneof![Just(512usize), 8usize..64],
        lines in prop_oneof![Just(100usize), 0usize..8],
        before in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let limits = limits_of(line, lines);
        let greeting = greeting.as_deref();
        let reference = EhloReply::build(&host, greeting, &caps, &limits).map(|e| e.to_vec());
        let mut out = before.clone();
        let ours = EhloReply::write_to_within(&mut out, &host, greeting, &caps, &limits);
        match (&reference, ours) {
            (Ok(bytes), Ok(n)) => {
                prop_assert_eq!(n, bytes.len());
                prop_assert_eq!(&out[before.len()..], &bytes[..]);
                let back = EhloReply::parse_with(bytes, &strict(limits)).unwrap();
                prop_assert_eq!(back.capabilities().collect::<Vec<_>>(), caps);
            }
            (Err(a), Err(b)) => {
                prop_assert_eq!(a, &b);
                prop_assert_eq!(&out, &before);
            }
            (a, b) => prop_assert!(false, "builder {a:?}, writer {b:?}"),
        }
    }
}

fn esc_str(b: &[u8]) -> String {
    esc(b)
}

fn e(class: u8, subject: u16, detail: u16) -> Option<EnhancedCode> {
    Some(EnhancedCode::new(class, subject, detail).unwrap())
}

#[test]
fn reply_known_answers() {
    let ok = |code: u16, esc, texts: &[&str]| {
        let mut out = Vec::new();
        Reply::write_to(&mut out, ReplyCode::new(code).unwrap(), esc, texts).unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(ok(250, None, &["Ok"]), "250 Ok\r\n");
    assert_eq!(ok(250, e(2, 1, 5), &["Ok"]), "250 2.1.5 Ok\r\n");
    assert_eq!(ok(550, e(5, 7, 520), &["Access denied"]), "550 5.7.520 Access denied\r\n");
    assert_eq!(ok(250, None, &[]), "250\r\n");
    assert_eq!(ok(250, None, &[""]), "250\r\n");
    assert_eq!(ok(250, e(2, 0, 0), &[]), "250 2.0.0\r\n");
    assert_eq!(ok(250, e(2, 0, 0), &["", ""]), "250-2.0.0\r\n250 2.0.0\r\n");
    assert_eq!(ok(250, None, &["", ""]), "250-\r\n250\r\n");
    assert_eq!(ok(220, None, &["mx ESMTP", "Grüße"]), "220-mx ESMTP\r\n220 Grüße\r\n");
    assert_eq!(ok(334, None, &["VXNlcm5hbWU6"]), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(ok(250, None, &["a\tb"]), "250 a\tb\r\n");
    // Split at the last space that fits in 512 octets with the code, the enhanced code and CRLF.
    let long = format!("{} {}", "a".repeat(400), "b".repeat(200));
    assert_eq!(
        ok(550, e(5, 1, 1), &[&long]),
        format!("550-5.1.1 {}\r\n550 5.1.1 {}\r\n", "a".repeat(400), "b".repeat(200))
    );
    let word = "c".repeat(600);
    assert_eq!(ok(250, None, &[&word]), format!("250-{}\r\n250 {}\r\n", "c".repeat(506), "c".repeat(94)));
}

#[test]
fn reply_refusals() {
    let err = |code: u16, esc, texts: &[&str], limits: Limits| {
        let mut out = b"kept".to_vec();
        let e = Reply::write_to_within(&mut out, ReplyCode::new(code).unwrap(), esc, texts, &limits).unwrap_err();
        assert_eq!(out, b"kept");
        (e.what(), e.kind(), e.index(), e.offset())
    };
    let rfc = Limits::RFC5321;
    let control = BuildErrorKind::ControlCharacter;
    assert_eq!(err(250, None, &["Ok", "a\r\n250 b"], rfc), ("reply text", control, Some(1), Some(1)));
    assert_eq!(err(250, None, &["a\0"], rfc), ("reply text", control, Some(0), Some(1)));
    assert_eq!(err(250, None, &["x\u{85}"], rfc), ("reply text", control, Some(0), Some(1)));
    assert_eq!(err(250, None, &["\x7f"], rfc), ("reply text", control, Some(0), Some(0)));
    assert_eq!(
        err(250, e(5, 0, 0), &["a\0"], rfc),
        ("enhanced status code", BuildErrorKind::ClassMismatch, None, None)
    );
    // A control character in a later text is refused before a text that does not fit.
    let tiny = limits_of(6, 100);
    assert_eq!(err(250, None, &["toolong", "\x01"], tiny), ("reply text", control, Some(1), Some(0)));
    let too_long = BuildErrorKind::TooLong { limit: 6 };
    let what = "reply line limit (too small for the text)";
    assert_eq!(err(250, e(2, 0, 0), &["x"], tiny), (what, too_long, Some(0), None));
    assert_eq!(err(250, None, &["ok", "é"], tiny), (what, too_long, Some(0), None));
    let seven = BuildErrorKind::TooLong { limit: 7 };
    assert_eq!(err(250, None, &["ok", "é"], limits_of(7, 100)), (what, seven, Some(1), Some(0)));
    // A line with no text must fit the limit too: `250 2.0.0` CRLF and `250-` CRLF do not fit 5.
    let five = BuildErrorKind::TooLong { limit: 5 };
    assert_eq!(err(250, e(2, 0, 0), &[], limits_of(5, 100)), (what, five, None, None));
    assert_eq!(err(250, e(2, 0, 0), &[""], limits_of(5, 100)), (what, five, Some(0), None));
    assert_eq!(err(250, None, &["", ""], limits_of(5, 100)), (what, five, Some(0), None));
    let two = limits_of(512, 2);
    assert_eq!(err(250, None, &["a", "b", "c"], two), ("reply", BuildErrorKind::TooManyLines { limit: 2 }, None, None));
}

#[test]
fn ehlo_known_answers() {
    let host: Host<'_> = Domain::new("mx.example.org").unwrap().into();
    let mut out = Vec::new();
    EhloReply::write_to(&mut out, &host, None, &[]).unwrap();
    assert_eq!(out, b"250 mx.example.org\r\n");
    out.clear();
    let caps = [Capability::Size(None), Capability::DeliverBy(Some(300)), Capability::EightBitMime];
    EhloReply::write_to(&mut out, &host, Some("at your service"), &caps).unwrap();
    assert_eq!(out, b"250-mx.example.org at your service\r\n250-SIZE\r\n250-DELIVERBY 300\r\n250 8BITMIME\r\n");
    let literal = EhloReply::parse(b"250 [192.0.2.1]\r\n").unwrap().host().into_owned();
    out.clear();
    EhloReply::write_to(&mut out, &literal, Some(""), &[Capability::Help]).unwrap();
    assert_eq!(out, b"250-[192.0.2.1]\r\n250 HELP\r\n");
    // A greeting with a line break is refused, nothing left behind.
    let err = EhloReply::write_to(&mut out, &host, Some("hi\r\n250 X"), &[]).unwrap_err();
    assert_eq!((err.what(), err.kind(), err.offset()), ("EHLO greeting", BuildErrorKind::ControlCharacter, Some(2)));
    assert_eq!(out, b"250-[192.0.2.1]\r\n250 HELP\r\n");
}

/// Every reply and EHLO reply of the corpus, written from its parts: the same octets as the
/// builders write, and no allocation once the buffer has room.
#[test]
fn corpus_parts_written_without_allocating() {
    let mut replies = Vec::new();
    for (_, data) in common::corpus("s2c") {
        let mut rest = &data[..];
        while let Ok(Status::Complete { value, consumed }) = Reply::parse_prefix(rest) {
            replies.push(value.into_owned());
            rest = &rest[consumed..];
        }
    }
    assert!(replies.len() > 20);
    let parts: Vec<(ReplyCode, Option<EnhancedCode>, Vec<String>)> = replies
        .iter()
        .map(|r| {
            let esc = r.enhanced_code();
            let texts = r.lines().map(|l| if esc.is_some() { l.message() } else { l.text() }.to_owned()).collect();
            (r.code(), esc, texts)
        })
        .collect();
    let ehlos: Vec<EhloReply<'static>> =
        replies.iter().filter_map(|r| EhloReply::parse(r.as_bytes()).ok()).map(EhloReply::into_owned).collect();
    assert!(!ehlos.is_empty());
    let ehlo_parts: Vec<_> = ehlos
        .iter()
        .map(|e| {
            (
                e.host().into_owned(),
                e.greeting().map(str::to_owned),
                e.capabilities().map(Capability::into_owned).collect::<Vec<_>>(),
            )
        })
        .collect();
    let texts: Vec<Vec<&str>> = parts.iter().map(|(_, _, t)| t.iter().map(String::as_str).collect()).collect();

    let mut expected = Vec::new();
    for (code, esc, t) in &parts {
        expected
            .extend(built(*code, *esc, &t.iter().map(String::as_str).collect::<Vec<_>>(), Limits::RFC5321).unwrap());
    }
    for (host, greeting, caps) in &ehlo_parts {
        EhloReply::new(host, greeting.as_deref(), caps).unwrap().encode(&mut expected);
    }
    let mut out = Vec::with_capacity(expected.len() + 1024);
    let (count, ()) = allocations(|| {
        for ((code, esc, _), t) in parts.iter().zip(&texts) {
            Reply::write_to(&mut out, *code, *esc, t).unwrap();
        }
        for (host, greeting, caps) in &ehlo_parts {
            EhloReply::write_to(&mut out, host, greeting.as_deref(), caps).unwrap();
        }
    });
    assert_eq!(esc(&out), esc(&expected));
    assert_eq!(count, 0, "allocations while writing into a buffer with room");
    // A refusal allocates nothing either.
    let (count, _) = allocations(|| Reply::write_to(&mut out, ReplyCode::OK, None, &["a\nb"]).unwrap_err());
    assert_eq!(count, 0);
}
