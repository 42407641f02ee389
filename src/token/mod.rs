//! Validated lexical values: keywords, ESMTP values, xtext, base64, strings, timestamps.
//!
//! Each is a newtype over the wire text (borrowed from the input or owned). A constructor
//! validates, so a value can never carry CR, LF or any octet its grammar does not allow into a
//! command line. Every constructor in the crate refuses control characters first, with one
//! rule and one error ([`BuildErrorKind::ControlCharacter`] at the character's offset): C0 but
//! HT where text allows it, DEL, and C1. Their grammars are in [`wire::lex`](crate::wire), below every area that uses
//! them.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::wire::lex::{self as grammar, hex_val, quote, refuse_controls, unquote};
use crate::wire::scan::{self, PResult};
use crate::{BuildError, BuildErrorKind, ParseError, ParseErrorKind};

/// A validated newtype over wire text (borrowed or owned): `as_str`, `into_owned`, `Display`.
/// `Debug` is separate (see `debug_plain!`) so credentials can redact it.
macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name<'a>(pub(crate) alloc::borrow::Cow<'a, str>);

        impl $name<'_> {
            /// The wire text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// A copy that owns its text.
            pub fn into_owned(self) -> $name<'static> {
                $name(alloc::borrow::Cow::Owned(self.0.into_owned()))
            }
        }

        impl core::fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use text_type;

/// `Debug` showing the wire text.
macro_rules! debug_plain {
    ($($name:ident),*) => {$(
        impl core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
    )*};
}
pub(crate) use debug_plain;

debug_plain!(Keyword, EsmtpValue, XText, SmtpString, Text, Mechanism, Timestamp);

impl fmt::Debug for Base64<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64(<{} octets redacted>)", self.0.len())
    }
}

/// Builds a value from `s` when the whole of `s` is accepted by `p`; else the refusal of
/// `what`.
fn whole<'a>(s: &'a str, r: PResult<'a, &'a str>, what: &'static str) -> Result<Cow<'a, str>, BuildError> {
    scan::finish(s.as_bytes(), r).map(Cow::Borrowed).map_err(|e| BuildError::grammar(what, e))
}

/// A check over all of `s` that reports where it failed.
fn checked<'a>(s: &'a str, r: Result<(), scan::PErr<'a>>, what: &'static str) -> Result<Cow<'a, str>, BuildError> {
    r.map(|()| Cow::Borrowed(s))
        .map_err(|e| BuildError::grammar(what, ParseError::new(scan::offset_in(s.as_bytes(), e.at), e.kind)))
}

text_type! {
    /// An ESMTP keyword: the name of a parameter, an EHLO capability or an unknown verb.
    ///
    /// ```abnf
    /// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")   ; RFC 5321 §4.1.2
    /// ```
    Keyword
}

impl<'a> Keyword<'a> {
    /// Validates `s` as a keyword.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "keyword", false)?;
        whole(s, grammar::keyword(s.as_bytes()), "keyword").map(Keyword)
    }
}

text_type! {
    /// The value of an unknown ESMTP parameter.
    ///
    /// ```abnf
    /// esmtp-value = 1*(%d33-60 / %d62-126)   ; RFC 5321 §4.1.2; RFC 6531 adds UTF8-non-ascii
    /// ```
    EsmtpValue
}

impl<'a> EsmtpValue<'a> {
    /// Validates `s` as an ESMTP value (UTF-8 allowed; it needs SMTPUTF8 on the wire).
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "ESMTP value", false)?;
        whole(s, grammar::esmtp_value(s.as_bytes(), true), "ESMTP value").map(EsmtpValue)
    }
}

text_type! {
    /// Text in xtext encoding (RFC 3461 §4): printable ASCII except `+` and `=`, which with any
    /// other octet are written `+XX` (upper-case hex).
    ///
    /// ```abnf
    /// xtext   = *( xchar / hexchar )
    /// xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
    ///           except for "+" and "="
    /// hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
    /// ```
    ///
    /// ```
    /// use smtp_wire::XText;
    ///
    /// let x = XText::encode(b"a+b=c d");
    /// assert_eq!(x.as_str(), "a+2Bb+3Dc+20d");
    /// assert_eq!(x.decode(), b"a+b=c d");
    /// assert!(XText::new("a+zz").is_err());
    /// ```
    XText
}

impl<'a> XText<'a> {
    /// Validates `s` as xtext (already encoded).
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "xtext", false)?;
        checked(s, grammar::check_xtext(s.as_bytes()), "xtext").map(XText)
    }

    /// Encodes arbitrary octets as xtext.
    pub fn encode(bytes: &[u8]) -> XText<'static> {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut s = String::with_capacity(bytes.len());
        for &b in bytes {
            if b > 32 && b < 127 && b != b'+' && b != b'=' {
                s.push(char::from(b));
            } else {
                s.push('+');
                s.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
                s.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
            }
        }
        XText(Cow::Owned(s))
    }

    /// The decoded octets.
    pub fn decode(&self) -> Vec<u8> {
        self.decoded().collect()
    }

    /// The decoded octets, without allocating.
    pub fn decoded(&self) -> impl Iterator<Item = u8> + '_ {
        let b = self.0.as_bytes();
        let mut p = 0;
        core::iter::from_fn(move || {
            let c = *b.get(p)?;
            if c == b'+' {
                let v = (hex_val(*b.get(p + 1)?) << 4) | hex_val(*b.get(p + 2)?);
                p += 3;
                Some(v)
            } else {
                p += 1;
                Some(c)
            }
        })
    }
}

text_type! {
    /// Base64 text (RFC 4648 §4), as SASL exchanges carry it (RFC 4954 §4). May be empty.
    ///
    /// `Debug` shows only the length: these are credentials.
    Base64
}

impl<'a> Base64<'a> {
    /// Validates `s` as base64.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "base64", false)?;
        checked(s, grammar::check_base64(s.as_bytes()), "base64").map(Base64)
    }

    /// Encodes octets as base64.
    pub fn encode(bytes: &[u8]) -> Base64<'static> {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let sym = |v: u32| char::from(A.get((v & 63) as usize).copied().unwrap_or(b'A'));
        let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b0 = u32::from(chunk.first().copied().unwrap_or(0));
            let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
            let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
            let v = (b0 << 16) | (b1 << 8) | b2;
            s.push(sym(v >> 18));
            s.push(sym(v >> 12));
            s.push(if chunk.len() > 1 { sym(v >> 6) } else { '=' });
            s.push(if chunk.len() > 2 { sym(v) } else { '=' });
        }
        Base64(Cow::Owned(s))
    }

    /// The decoded octets.
    pub fn decode(&self) -> Vec<u8> {
        let val = |c: u8| u32::from(grammar::b64_value(c));
        let b = self.0.as_bytes();
        let mut out = Vec::with_capacity(b.len() / 4 * 3);
        for q in b.chunks(4) {
            let pads = q.iter().filter(|&&c| c == b'=').count();
            let v = q.iter().fold(0u32, |a, &c| (a << 6) | val(c));
            let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
            out.extend_from_slice(bytes.get(..3usize.saturating_sub(pads)).unwrap_or(&[]));
        }
        out
    }
}

text_type! {
    /// `String = Atom / Quoted-string` (RFC 5321 §4.1.2): the argument of VRFY, EXPN, HELP
    /// and NOOP, kept in wire form.
    SmtpString
}

impl<'a> SmtpString<'a> {
    /// Validates `s` (wire form: an atom, or a quoted string with its quotes).
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "string", false)?;
        whole(s, grammar::smtp_string(s.as_bytes(), true), "string").map(SmtpString)
    }

    /// An atom when `value` is one, else a quoted string with `"` and `\` escaped. Control
    /// characters have no wire form and are refused.
    pub fn from_value(value: &str) -> Result<SmtpString<'static>, BuildError> {
        refuse_controls(value, "string", false)?;
        if !value.is_empty()
            && grammar::smtp_string(value.as_bytes(), true).is_ok_and(|(r, _)| r.is_empty())
            && !value.starts_with('"')
        {
            return Ok(SmtpString(Cow::Owned(value.into())));
        }
        Ok(SmtpString(Cow::Owned(quote(value))))
    }

    /// The value without quotes and escapes.
    pub fn value(&self) -> Cow<'_, str> {
        unquote(&self.0)
    }
}

text_type! {
    /// Free-form argument text: `1*(HTAB / %d32-126)` (plus UTF-8 under SMTPUTF8), as kept for
    /// the arguments of unknown commands and ETRN.
    Text
}

impl<'a> Text<'a> {
    /// Validates `s` (no CR, LF, NUL or other controls, C1 included, but HTAB; not empty).
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "text", true)?;
        whole(s, grammar::text(s.as_bytes(), true), "text").map(Text)
    }
}

text_type! {
    /// A SASL mechanism name (RFC 4422 §3.1): 1 to 20 of `A-Z 0-9 - _` (lower case accepted
    /// and kept; compare with [`eq_ignore_ascii_case`](Mechanism::eq_ignore_ascii_case)).
    Mechanism
}

impl<'a> Mechanism<'a> {
    /// Validates `s` as a mechanism name.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "SASL mechanism", false)?;
        whole(s, grammar::mechanism(s.as_bytes()), "SASL mechanism").map(Mechanism)
    }

    /// Compares names case-insensitively.
    pub fn eq_ignore_ascii_case(&self, name: &str) -> bool {
        self.0.eq_ignore_ascii_case(name)
    }
}

text_type! {
    /// An RFC 3339 `date-time`, as HOLDUNTIL (RFC 4865) and RRVS (RFC 7293) carry it.
    Timestamp
}

impl<'a> Timestamp<'a> {
    /// Validates `s` as an RFC 3339 `date-time`.
    pub fn new(s: &'a str) -> Result<Self, BuildError> {
        refuse_controls(s, "date-time", false)?;
        if grammar::check_timestamp(s.as_bytes()) {
            Ok(Timestamp(Cow::Borrowed(s)))
        } else {
            Err(BuildError::new("date-time", BuildErrorKind::Grammar(ParseErrorKind::InvalidTimestamp)))
        }
    }
}
