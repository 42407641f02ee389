//! [`SaslChallenge`]: the `334` reply of an AUTH exchange (RFC 4954 §4).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::{Reply, ReplyCode};
use crate::token::Base64;

/// A SASL challenge: a `334` reply whose text is base64 (RFC 4954 §4), possibly empty.
///
/// ```abnf
/// continue-req = "334" SP [base64] CRLF     ; RFC 4954 §4
/// ```
///
/// A bare `334` CRLF (no space) is accepted as an empty challenge too: RFC 5321 §4.2 has
/// clients accept bare codes, and servers send it. The base64 must be canonical (RFC 4648
/// §3.5), as for client responses. A challenge line may be as long as
/// [`Limits::sasl_line`](crate::Limits::sasl_line).
///
/// ```
/// use smtp_wire::{Encode, SaslChallenge};
///
/// let c = SaslChallenge::parse(b"334 VXNlcm5hbWU6\r\n").unwrap();
/// assert_eq!(c.decode(), b"Username:");
/// assert!(SaslChallenge::parse(b"334\r\n").unwrap().data().as_str().is_empty());
/// assert!(SaslChallenge::parse(b"334 Username:\r\n").is_err());
/// assert!(SaslChallenge::parse(b"235 2.7.0 Ok\r\n").is_err());
/// assert_eq!(SaslChallenge::from_bytes(b"Password:").to_vec(), b"334 UGFzc3dvcmQ6\r\n");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SaslChallenge<'a> {
    pub(crate) reply: Reply<'a>,
}

impl fmt::Debug for SaslChallenge<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SaslChallenge").field(&self.data()).finish()
    }
}

impl<'a> SaslChallenge<'a> {
    /// The challenge `334 <data>` (RFC 4954 §4: with the space even when `data` is empty).
    pub fn new(data: &Base64<'_>) -> SaslChallenge<'static> {
        let mut wire = String::with_capacity(data.as_str().len() + 6);
        wire.push_str("334 ");
        wire.push_str(data.as_str());
        wire.push_str("\r\n");
        SaslChallenge { reply: Reply { code: ReplyCode::AUTH_CHALLENGE, wire: Cow::Owned(wire.into_bytes()) } }
    }

    /// The challenge carrying `bytes`, base64-encoded.
    pub fn from_bytes(bytes: &[u8]) -> SaslChallenge<'static> {
        SaslChallenge::new(&Base64::encode(bytes))
    }

    /// The base64 text (empty for an empty challenge).
    pub fn data(&self) -> Base64<'_> {
        // The text was checked to be base64 (ASCII): the `str` view is all of it.
        Base64(Cow::Borrowed(self.reply.lines().next().map_or("", |l| l.text())))
    }

    /// The decoded challenge.
    pub fn decode(&self) -> Vec<u8> {
        self.data().decode()
    }

    /// The challenge as a reply.
    pub fn reply(&self) -> &Reply<'a> {
        &self.reply
    }

    /// The challenge as a reply, by value.
    pub fn into_reply(self) -> Reply<'a> {
        self.reply
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> SaslChallenge<'static> {
        SaslChallenge { reply: self.reply.into_owned() }
    }
}
