//! Encoding: every value to its exact wire octets, appended to a caller's buffer.
//!
//! Encoding cannot fail: values are validated when they are built or parsed, so whatever can
//! be constructed can be written, and what is written parses back to the same value.

pub(crate) mod command;
pub(crate) mod ehlo;
pub(crate) mod path;
pub(crate) mod reply;

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

macro_rules! impl_encode {
    ($($t:ident),* $(,)?) => {$(
        impl $crate::Encode for $crate::types::$t<'_> {
            fn encode(&self, out: &mut alloc::vec::Vec<u8>) {
                $crate::encode::WriteWire::write_wire(self, out);
            }
            fn encoded_len(&self) -> usize {
                let mut c = $crate::encode::Counter::default();
                $crate::encode::WriteWire::write_wire(self, &mut c);
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
    out.put(buf.get(i..).unwrap_or(&[]));
}
