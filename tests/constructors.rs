//! One control-character rule for every constructor and builder: C0 (HT excepted where the
//! value is text), DEL and C1 (U+0080 to U+009F, such as U+0085 NEL, which receivers and logs
//! read as a line break) are refused with `BuildErrorKind::ControlCharacter` at the octet
//! offset of the character, whatever the value's own grammar would say.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use smtp_wire::{
    AddressLiteral, AuthMechanisms, Base64, BodyType, BuildError, BuildErrorKind, By, ByMode, Command, CommandBody,
    Domain, EhloKeyword, EhloParams, EhloReply, Encode, EsmtpValue, ForwardPath, Host, InitialResponse, Keyword,
    LocalPart, Mailbox, Mechanism, Notify, Param, Params, ParseErrorKind, Path, Reply, ReplyCode, ReversePath,
    ServerLimits, SmtpString, Text, Timestamp, XText,
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

#[test]
fn constructors_refuse_line_breaks_and_smuggled_parameters() {
    assert!(LocalPart::new("a\r\nDATA").is_err());
    assert!(LocalPart::new("a\nb").is_err());
    assert!(Domain::new("example.org\r\nRSET").is_err());
    assert!(Domain::new("exa mple.org").is_err());
    assert!(Text::new("x\r\nQUIT").is_err());
    assert!(SmtpString::from_value("x\r\nDATA").is_err());
    assert!(XText::new("a b").is_err());
    assert!(EsmtpValue::new("a b").is_err());
    assert!(Keyword::new("SIZE=1").is_err());
    // C1 controls (U+0085 NEL reads as a line break in some receivers and logs) are refused
    // by every constructor, although RFC 6531 UTF-8 would carry them.
    for s in ["\u{85}x", "a\u{9b}b"] {
        assert!(LocalPart::new(s).is_err(), "{s:?}");
        assert!(SmtpString::from_value(s).is_err(), "{s:?}");
        assert!(Domain::new(s).is_err(), "{s:?}");
        assert!(Text::new(s).is_err(), "{s:?}");
        assert!(EsmtpValue::new(s).is_err(), "{s:?}");
        assert!(Reply::new(ReplyCode::new(250).unwrap(), s).is_err(), "{s:?}");
    }

    // A hostile local part is quoted, and the command still carries exactly one path and no
    // parameters when a strict parser reads it back.
    let lp = LocalPart::new("foo@x.example> ORCPT=admin@admin.example").unwrap();
    let path = Path::new(Mailbox::new(lp, Domain::new("test.example").unwrap()));
    let cmd = Command::new(CommandBody::Rcpt { forward_path: ForwardPath::Path(path), params: Params::EMPTY }).unwrap();
    let wire = cmd.to_vec();
    assert_eq!(wire, b"RCPT TO:<\"foo@x.example> ORCPT=admin@admin.example\"@test.example>\r\n");
    let back = Command::parse(&wire).unwrap();
    let CommandBody::Rcpt { params, .. } = back.body() else { panic!() };
    assert!(params.is_empty());

    // Parameters are checked against their command.
    let rcpt_only = Params::rcpt(&[Param::Notify(Notify::Never)]).unwrap();
    let mail = CommandBody::Mail { reverse_path: ReversePath::Null, params: rcpt_only };
    assert_eq!(Command::new(mail).unwrap_err().kind(), BuildErrorKind::Grammar(ParseErrorKind::ParameterNotAllowed));
    assert!(Params::mail(&[Param::Size(1), Param::Size(2)]).is_err());
    assert!(Params::mail(&[Param::MtPriority(12)]).is_err());
    assert!(Params::rcpt(&[Param::Notify(Notify::On { success: false, failure: false, delay: false })]).is_err());
    let other_size = Param::Other { keyword: Keyword::new("SIZE").unwrap(), value: None };
    assert!(Params::mail(&[other_size]).is_err());
    let known_verb = CommandBody::Other { verb: Keyword::new("DATA").unwrap(), args: None };
    assert!(Command::new(known_verb).is_err());

    // Built parameters encode canonically and type back.
    let p = Params::mail(&[
        Param::Size(10),
        Param::Body(BodyType::BinaryMime),
        Param::By(By { time: -5, mode: ByMode::Notify, trace: false }),
    ])
    .unwrap();
    assert_eq!(p.as_str(), "SIZE=10 BODY=BINARYMIME BY=-5;N");
    assert_eq!(p.iter().count(), 3);
}

#[test]
fn constructors_encode_canonically_and_parse_back() {
    let d = || Domain::new("client.example").unwrap();
    let mb = Mailbox::new(LocalPart::new("a b").unwrap(), d());
    let cases: Vec<(Command<'_>, &[u8])> = vec![
        (Command::ehlo(d()), b"EHLO client.example\r\n"),
        (Command::helo(AddressLiteral::from_ip("192.0.2.1".parse().unwrap())), b"HELO [192.0.2.1]\r\n"),
        (Command::lhlo(d()), b"LHLO client.example\r\n"),
        (
            Command::mail(ReversePath::Path(Path::new(mb.clone())), Params::mail(&[Param::Size(5)]).unwrap()).unwrap(),
            b"MAIL FROM:<\"a b\"@client.example> SIZE=5\r\n",
        ),
        (Command::rcpt(ForwardPath::Path(mb.into()), Params::EMPTY).unwrap(), b"RCPT TO:<\"a b\"@client.example>\r\n"),
        (Command::data(), b"DATA\r\n"),
        (Command::bdat(7, true), b"BDAT 7 LAST\r\n"),
        (Command::rset(), b"RSET\r\n"),
        (Command::noop(), b"NOOP\r\n"),
        (Command::quit(), b"QUIT\r\n"),
        (Command::starttls(), b"STARTTLS\r\n"),
        (Command::auth(Mechanism::new("PLAIN").unwrap(), Some(InitialResponse::Empty)).unwrap(), b"AUTH PLAIN =\r\n"),
    ];
    for (cmd, wire) in cases {
        assert_eq!(cmd.to_vec(), wire);
        assert_eq!(Command::parse(wire).unwrap(), cmd);
    }
}
