//! The known-answer checks every parser is held to, over the `Parse` and `ParsePrefix` traits.
//!
//! An accepted input is parsed, re-encoded (the same octets), re-parsed (an equal value) and
//! fed one octet at a time through `parse_prefix` (Incomplete until its last octet). A refused
//! one fails with the stated kind at the stated offset, fed whole and fed one octet at a time
//! (Dovecot's "trickle stream": the first answer that is not Incomplete is the same error).

use core::fmt::Debug;

use smtp_wire::{EhloReply, Encode, Parse, ParseError, ParseErrorKind, ParseOptions, ParsePrefix, Reply, Status};

use super::esc;

/// Strict default options.
pub fn strict() -> ParseOptions {
    ParseOptions::default()
}

/// Strict options in an SMTPUTF8 session.
pub fn utf8() -> ParseOptions {
    ParseOptions::default().with_smtputf8(true)
}

/// A syntax error that expected `expected`.
pub fn syntax(expected: &'static str) -> ParseErrorKind {
    ParseErrorKind::Syntax { expected }
}

/// Parses exactly `bytes` under `opts`: the value re-encodes to the same octets, its length
/// estimate agrees, and the re-encoding parses back to an equal value.
pub fn accept_value<'a, T>(bytes: &'a [u8], opts: &ParseOptions) -> T
where
    T: Parse<'a> + Encode + PartialEq + Debug,
{
    let v = T::parse_with(bytes, opts).unwrap_or_else(|e| panic!("{e}: {}", esc(bytes)));
    assert_eq!(v.to_vec(), bytes, "re-encoding of {}", esc(bytes));
    assert_eq!(v.encoded_len(), bytes.len());
    // (Leaked so that the re-parse has the same lifetime parameter; a few octets per test.)
    let again: &'a [u8] = v.to_vec().leak();
    assert_eq!(T::parse_with(again, opts).unwrap(), v, "re-parse of {}", esc(bytes));
    v
}

/// [`accept_value`], and fed through `parse_prefix`: Incomplete for every proper prefix,
/// Complete for the whole, and the same value with the same length when `next` follows.
pub fn accept<'a, T>(bytes: &'a [u8], opts: &ParseOptions, next: &[u8]) -> T
where
    T: ParsePrefix<'a> + Encode + Clone + PartialEq + Debug,
{
    let v: T = accept_value(bytes, opts);
    for k in 0..bytes.len() {
        assert_eq!(T::parse_prefix_with(&bytes[..k], opts).unwrap(), Status::Incomplete, "{} at {k}", esc(bytes));
    }
    assert_eq!(
        T::parse_prefix_with(bytes, opts).unwrap(),
        Status::Complete { value: v.clone(), consumed: bytes.len() }
    );
    let mut longer = bytes.to_vec();
    longer.extend_from_slice(next);
    let longer: &'a [u8] = longer.leak();
    match T::parse_prefix_with(longer, opts).unwrap() {
        Status::Complete { value, consumed } => {
            assert_eq!(consumed, bytes.len(), "{} followed by {}", esc(bytes), esc(next));
            assert_eq!(value, v);
        }
        Status::Incomplete => panic!("{} incomplete in a longer buffer", esc(bytes)),
    }
    v
}

/// Kinds that only a whole-input parse reports: fed one octet at a time, such input is still
/// incomplete (or complete, for trailing data).
fn whole_only(kind: ParseErrorKind) -> bool {
    matches!(kind, ParseErrorKind::MissingCrlf | ParseErrorKind::TrailingData)
        || kind == syntax("the last line of the reply (no '-')")
}

/// `bytes` fails with `kind` at `offset` under `opts`, whole and fed one octet at a time.
pub fn refuse<'a, T>(bytes: &'a [u8], opts: &ParseOptions, kind: ParseErrorKind, offset: usize)
where
    T: ParsePrefix<'a> + Debug,
{
    let e = T::parse_with(bytes, opts).expect_err(&esc(bytes));
    assert_eq!((e.kind(), e.offset()), (kind, offset), "{}: {e}", esc(bytes));
    let mut first: Option<ParseError> = None;
    for k in 0..=bytes.len() {
        match T::parse_prefix_with(&bytes[..k], opts) {
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
    if whole_only(kind) {
        assert_eq!(first, None, "trickle feed of {}", esc(bytes));
    } else {
        assert_eq!(first, Some(e), "trickle feed of {}", esc(bytes));
    }
}

/// `bytes` fails with `kind` at `offset` under `opts` (a value that is not framed on its own).
pub fn refuse_value<'a, T>(bytes: &'a [u8], opts: &ParseOptions, kind: ParseErrorKind, offset: usize)
where
    T: Parse<'a> + Debug,
{
    let e = T::parse_with(bytes, opts).expect_err(&esc(bytes));
    assert_eq!((e.kind(), e.offset()), (kind, offset), "{}: {e}", esc(bytes));
}

/// [`accept`] for a reply type, followed in the longer buffer by another reply.
pub fn accept_reply<'a, T>(bytes: &'a [u8], opts: &ParseOptions) -> T
where
    T: ParsePrefix<'a> + Encode + Clone + PartialEq + Debug,
{
    accept(bytes, opts, b"250 next\r\n")
}

/// [`accept`] for a reply with strict options.
pub fn reply(bytes: &[u8]) -> Reply<'_> {
    accept_reply(bytes, &strict())
}

/// [`accept`] for an EHLO reply with strict options.
pub fn ehlo(bytes: &[u8]) -> EhloReply<'_> {
    accept_reply(bytes, &strict())
}

/// [`refuse`] for a reply with strict options.
pub fn bad(bytes: &[u8], kind: ParseErrorKind, offset: usize) {
    refuse::<Reply<'_>>(bytes, &strict(), kind, offset);
}

/// [`refuse`] for an EHLO reply with strict options.
pub fn bad_ehlo(bytes: &[u8], kind: ParseErrorKind, offset: usize) {
    refuse::<EhloReply<'_>>(bytes, &strict(), kind, offset);
}
