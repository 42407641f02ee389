//! Oracle 2 for replies: any constructible `Reply` and `SaslChallenge` → encode → parse gives
//! it back, and `parse_prefix` takes it whole. And `ReplyBuilder` fed fuzzer-chosen code,
//! enhanced code and text either refuses (a control character, an enhanced code of another
//! class, too many lines) or writes lines within the limit that parse back to the same
//! reply, each opened by the enhanced code when one was asked, carrying the text unchanged
//! when it fitted on one line. Every constructed reply reads back the same under loose reply
//! text, and is UTF-8 (so its `str` views are all of it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::{BuildErrorKind, EnhancedCode, ParseOptions, Reply, ReplyBuilder, ReplyCode, SaslChallenge};
use smtp_wire_fuzz::roundtrip_framed;

type Input = (Reply<'static>, ReplyCode, Option<EnhancedCode>, Vec<String>, SaslChallenge<'static>);

fuzz_target!(|input: Input| {
    let (reply, code, enhanced, texts, challenge) = input;
    let opts = ParseOptions::default().with_smtputf8(true);
    roundtrip_framed::<Reply>(&reply, &opts);
    let loose = ParseOptions::default().with_smtputf8(true).with_loose_reply_text(true);
    roundtrip_framed::<Reply>(&reply, &loose);
    assert!(reply.is_utf8());
    assert!(reply.lines().all(|l| l.text().as_bytes() == l.text_bytes()));
    roundtrip_framed::<SaslChallenge>(&challenge, &ParseOptions::STRICT);

    let mut builder = ReplyBuilder::new(code).lines(texts.iter().map(String::as_str));
    if let Some(e) = enhanced {
        builder = builder.enhanced_code(e);
    }
    match builder.build() {
        Ok(built) => {
            let bytes = roundtrip_framed::<Reply>(&built, &opts);
            assert_eq!(built.as_str().as_bytes(), bytes);
            assert_eq!(built.code(), code);
            let limit = if code.as_u16() == 334 { 12288 } else { 512 };
            assert!(built.lines().all(|l| l.as_str().len() + 2 <= limit));
            if let Some(e) = enhanced {
                assert!(built.lines().all(|l| l.enhanced_code() == Some(e)), "{}", bytes.escape_ascii());
            }
            if built.line_count() == texts.len() {
                for (line, text) in built.lines().zip(&texts) {
                    let carried = if enhanced.is_some() { line.message() } else { line.text() };
                    assert_eq!(carried, text);
                }
            }
        }
        Err(e) => match e.kind() {
            BuildErrorKind::ControlCharacter => {
                let (k, at) = (e.index().unwrap_or(usize::MAX), e.offset().unwrap_or(usize::MAX));
                let c = texts.get(k).and_then(|t| t.get(at..)).and_then(|t| t.chars().next());
                assert!(c.is_some_and(|c| c != '\t' && c.is_control()), "{e} of {texts:?}");
            }
            BuildErrorKind::ClassMismatch => {
                assert_ne!(enhanced.map(|e| u16::from(e.class())), Some(code.as_u16() / 100));
            }
            BuildErrorKind::TooManyLines { limit } => assert_eq!(limit, 100),
            other => panic!("unexpected refusal {other:?} of {texts:?}"),
        },
    }
});
