//! Writing octets: the [`Encode`] trait, the [`Sink`] every encoder writes into (a buffer or a
//! [`Counter`]), decimal numbers and case patterns.
//!
//! Encoding cannot fail: values are validated when they are built or parsed, so whatever can
//! be constructed can be written, and what is written parses back to the same value.

use alloc::string::String;
use alloc::vec::Vec;

/// Writes a value's wire form into a caller-owned buffer (rustls' style: no `io::Write`, no
/// `Result`, no allocation beyond the buffer's growth).
///
/// ```
/// use smtp_wire::{Command, Encode};
///
/// let cmd = Command::parse(b"RCPT TO:<postmaster>\r\n").unwrap();
/// let mut out = Vec::new();
/// cmd.encode(&mut out);
/// assert_eq!(out, b"RCPT TO:<postmaster>\r\n");
/// assert_eq!(cmd.encoded_len(), out.len());
/// ```
pub trait Encode {
    /// Appends the wire form to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// The number of octets [`encode`](Self::encode) appends.
    fn encoded_len(&self) -> usize;

    /// The wire form in a new vector of exactly the right capacity.
    fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }
}

/// Where wire octets go: a buffer, or a counter for [`Encode::encoded_len`].
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);

    /// Appends text: the octets of `s` (a `String` takes it without checking it again).
    #[inline]
    fn put_str(&mut self, s: &str) {
        self.put(s.as_bytes());
    }

    /// Appends ASCII octets (digits, punctuation): a `String` takes them as characters
    /// without a UTF-8 check.
    #[inline]
    fn put_ascii(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Sink for String {
    fn put(&mut self, bytes: &[u8]) {
        // Every caller writes text that came from `str` values or ASCII literals.
        self.push_str(core::str::from_utf8(bytes).unwrap_or("\u{fffd}"));
    }

    #[inline]
    fn put_str(&mut self, s: &str) {
        self.push_str(s);
    }

    #[inline]
    fn put_ascii(&mut self, bytes: &[u8]) {
        debug_assert!(bytes.is_ascii());
        // An ASCII octet is the character of that code point, encoded as itself.
        self.extend(bytes.iter().map(|&b| char::from(b)));
    }
}

/// Counts octets instead of writing them.
#[derive(Debug, Default)]
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

/// The one writer behind [`Encode`] for a type: used with a buffer and with a [`Counter`].
pub(crate) trait WriteWire {
    fn write_wire(&self, out: &mut impl Sink);
}

/// `Encode` for types that implement [`WriteWire`] (the names must be in scope).
macro_rules! impl_encode {
    ($($t:ident),* $(,)?) => {$(
        impl $crate::Encode for $t<'_> {
            fn encode(&self, out: &mut alloc::vec::Vec<u8>) {
                $crate::wire::WriteWire::write_wire(self, out);
            }
            fn encoded_len(&self) -> usize {
                let mut c = $crate::wire::Counter::default();
                $crate::wire::WriteWire::write_wire(self, &mut c);
                c.0
            }
        }
    )*};
}
pub(crate) use impl_encode;

/// Writes `n` in decimal.
pub(crate) fn write_num(out: &mut impl Sink, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.put_ascii(buf.get(i..).unwrap_or(&[]));
}

/// Bit `k` set when octet `k` of `word` is a lower-case letter (first 32 octets): how a
/// case-insensitive word (RFC 5321 §2.4) was spelled.
pub(crate) fn case_mask(word: &[u8]) -> u32 {
    word.iter().take(32).enumerate().fold(0, |m, (k, c)| if c.is_ascii_lowercase() { m | (1 << k) } else { m })
}

/// Writes the upper-case `canonical` word with the letters selected by `mask` in lower case.
pub(crate) fn apply_case(canonical: &[u8], mask: u32, out: &mut impl Sink) {
    if mask == 0 {
        out.put(canonical);
        return;
    }
    for (k, &c) in canonical.iter().enumerate() {
        let lower = k < 32 && mask & (1 << k) != 0;
        out.put(&[if lower { c.to_ascii_lowercase() } else { c }]);
    }
}
