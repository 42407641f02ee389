//! One control-character rule for every constructor and builder: C0 (HT excepted where the
//! value is text), DEL and C1 (U+0080 to U+009F, such as U+0085 NEL, which receivers and logs
//! read as a line break) are refused with `BuildErrorKind::ControlCharacter` at the octet
//! offset of the character, whatever the value's own grammar would say.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use smtp_wire::{
    AddressLiteral, AuthMechanisms, Base64, BuildError, BuildErrorKind, Domain, EhloKeyword, EhloParams, EhloReply,
    EsmtpValue, Host, Keyword, LocalPart, Mechanism, Reply, ReplyCode, ServerLimits, SmtpString, Text, Timestamp,
    XText,
};

/// A constructor under test: its name, whether HT is text for it, and the constructor.
type Ctor = (&'static str, bool, fn(&str) -> Result<(), BuildError>);

fn host() -> Host<'static> {
    Domain::new("mx.example.org").unwrap().into_owned().into()
}

const CTORS: &[Ctor] = &[
    ("Keyword::new", false, |s| Keyword::new(s).map(drop)),
    ("EsmtpValue::new", false, |s| EsmtpValue::new(s).map(drop)),
    ("XText::new", false, |s| XText::new(s).map(drop)),
    ("Base64::new", false, |s| Base64::new(s).map(drop)),
    ("SmtpString::new", false, |s| SmtpString::new(s).map(drop)),
    ("SmtpString::from_value", false, |s| SmtpString::from_value(s).map(drop)),
    ("Text::new", true, |s| Text::new(s).map(drop)),
    ("Mechanism::new", false, |s| Mechanism::new(s).map(drop)),
    ("Timestamp::new", false, |s| Timestamp::new(s).map(drop)),
    ("Domain::new", false, |s| Domain::new(s).map(drop)),
    ("AddressLiteral::general (tag)", false, |s| AddressLiteral::general(s, "x").map(drop)),
    ("AddressLiteral::general (content)", false, |s| AddressLiteral::general("tag", s).map(drop)),
    ("LocalPart::new", false, |s| LocalPart::new(s).map(drop)),
    ("EhloKeyword::new", false, |s| EhloKeyword::new(s).map(drop)),
    ("EhloParams::new", false, |s| EhloParams::new(s).map(drop)),
    ("AuthMechanisms::new", false, |s| AuthMechanisms::new(s).map(drop)),
    ("ServerLimits::new", false, |s| ServerLimits::new(s).map(drop)),
    ("Reply::new", true, |s| Reply::new(ReplyCode::OK, s).map(drop)),
    ("ReplyBuilder::line", true, |s| Reply::builder(ReplyCode::OK).line("first").line(s).build().map(drop)),
    ("EhloReply::new (greeting)", true, |s| EhloReply::new(&host(), Some(s), &[]).map(drop)),
];

/// C0 (all 32, HT included), DEL, and C1 (all 32).
fn controls() -> impl Iterator<Item = char> {
    (0u32..0x20).chain([0x7f]).chain(0x80..0xa0).map(|c| char::from_u32(c).unwrap())
}

#[test]
fn every_constructor_refuses_c0_del_and_c1() {
    for &(name, tab_is_text, ctor) in CTORS {
        for c in controls() {
            let value = format!("ab{c}cd");
            let r = ctor(&value);
            if tab_is_text && c == '\t' {
                assert!(r.is_ok(), "{name} refused HT: {r:?}");
                continue;
            }
            let e = r.expect_err(&format!("{name} accepted U+{:04X}", u32::from(c)));
            assert_eq!(
                (e.kind(), e.offset()),
                (BuildErrorKind::ControlCharacter, Some(2)),
                "{name} U+{:04X}: {e}",
                u32::from(c)
            );
            assert!(!e.what().is_empty());
        }
    }
}

#[test]
fn the_list_index_is_reported() {
    let e = Reply::builder(ReplyCode::OK).line("fine").line("a\u{85}b").build().unwrap_err();
    assert_eq!((e.index(), e.offset(), e.kind()), (Some(1), Some(1), BuildErrorKind::ControlCharacter));
    let e = Reply::builder(ReplyCode::OK).lines(["x", "y", "\u{7f}"]).build().unwrap_err();
    assert_eq!((e.index(), e.offset()), (Some(2), Some(0)));
    assert_eq!(e.to_string(), "invalid reply text: control character (item 2) at byte 0");
}

#[test]
fn printable_non_ascii_is_not_a_control() {
    // U+00A0 (NBSP) and U+00E9 are the first code points after C1: values that allow UTF-8
    // take them (they need SMTPUTF8 on the wire).
    for s in ["ab\u{a0}cd", "ab\u{e9}cd"] {
        assert!(LocalPart::new(s).is_ok(), "{s:?}");
        assert!(EsmtpValue::new(s).is_ok(), "{s:?}");
        assert!(Text::new(s).is_ok(), "{s:?}");
        assert!(Reply::new(ReplyCode::OK, s).is_ok(), "{s:?}");
        assert!(EhloReply::new(&host(), Some(s), &[]).is_ok(), "{s:?}");
    }
}
