//! [`UnparsedParams`]: what follows the keyword of a capability line kept only as
//! [`Capability::Malformed`](crate::Capability::Malformed), as the octets it was.

use alloc::borrow::Cow;
use core::fmt;

use crate::reply::text::{DebugOctets, lossy, utf8_or_empty, write_escaped};

/// What follows the keyword of a [`Capability::Malformed`](crate::Capability::Malformed), as
/// written: the parameters its grammar does not allow, with the separator before them (` 10M`,
/// `\t1000`, `=5`) and any trailing spaces.
///
/// It is reply text and nothing more is known of it: RFC 5321 §4.1.1.1 `ehlo-param` is
/// printable US-ASCII, but under
/// [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text) it may
/// hold controls and octets that are not UTF-8, so it is kept as octets
/// ([`as_bytes`](Self::as_bytes)), with the same `str` views as a
/// [`ReplyLine`](crate::ReplyLine): [`as_str`](Self::as_str) (empty when not UTF-8),
/// [`to_str`](Self::to_str) and [`to_str_lossy`](Self::to_str_lossy); `Display` escapes
/// controls and octets that are not UTF-8.
///
/// ```
/// use smtp_wire::{Capability, EhloReply, ParseOptions};
///
/// let opts = ParseOptions::default().with_malformed_capabilities(true).with_loose_reply_text(true);
/// let ehlo = EhloReply::parse_with(b"250-mx\r\n250 X-FOO caf\xe9\r\n", &opts).unwrap();
/// let Some(Capability::Malformed { params, .. }) = ehlo.capabilities().next() else { panic!() };
/// assert_eq!(params.as_bytes(), b" caf\xe9");
/// assert_eq!((params.to_str(), params.as_str()), (None, ""));
/// assert_eq!(params.to_string(), r" caf\xe9");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnparsedParams<'a>(pub(crate) Cow<'a, [u8]>);

impl UnparsedParams<'_> {
    /// The octets, as on the wire.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text when it is UTF-8, else the empty string (see [`to_str`](Self::to_str)).
    pub fn as_str(&self) -> &str {
        utf8_or_empty(&self.0)
    }

    /// The text, if it is UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.0).ok()
    }

    /// The text with every sequence that is not UTF-8 replaced by U+FFFD (a copy only then).
    pub fn to_str_lossy(&self) -> Cow<'_, str> {
        lossy(&self.0)
    }

    /// A copy that owns its octets.
    pub fn into_owned(self) -> UnparsedParams<'static> {
        UnparsedParams(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Debug for UnparsedParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnparsedParams").field(&DebugOctets(&self.0)).finish()
    }
}

/// The octets, with `\`, control characters but HT and octets that are not UTF-8 escaped (as
/// a [`Reply`](crate::Reply) is shown).
impl fmt::Display for UnparsedParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.0)
    }
}
