//! Writing octets: the [`Encode`] trait, the [`Sink`] every encoder writes into (a buffer or a
//! [`Counter`]), decimal numbers and case patterns.
//!
//! Encoding cannot fail: values are validated when they are built or parsed, so whatever can
//! be constructed can be written, and what is written parses back to the same value.

use alloc::string::String;
use alloc::vec::Vec;

use super::swar::not_printable;

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

    /// Appends the first `len` octets of `block` (ASCII; all of it when `len` is larger): a
    /// buffer copies the whole block, a copy of fixed size without a call, and cuts it back.
    #[inline]
    fn put_block<const N: usize>(&mut self, block: &[u8; N], len: usize) {
        self.put_ascii(block.get(..len).unwrap_or(block));
    }
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }

    #[inline]
    fn put_block<const N: usize>(&mut self, block: &[u8; N], len: usize) {
        let end = self.len() + len.min(N);
        self.extend_from_slice(block);
        self.truncate(end);
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

/// How many octets [`InPlace`] claims first: room for nearly every command line
/// (`MAIL FROM:<path>` with a parameter or two), zeroed with four 16-octet stores.
pub(crate) const CLAIM: usize = 64;

/// How many octets [`InPlace`] claims for a line longer than [`CLAIM`]: half the command
/// line limit of RFC 5321 §4.5.3.1.4, which extensions may raise.
pub(crate) const LONG_CLAIM: usize = 256;

/// The longest piece [`copy_short`] copies without a call.
const SHORT: usize = 64;

/// A line written straight into a buffer's spare capacity: the buffer grows once by a block
/// of zeros (stores of a fixed size, no call), each piece is stored at its offset by
/// [`copy_short`] (copies of a fixed size: no call, and no capacity check or length update
/// per piece), and the caller cuts the buffer back to [`written`](Self::written). A line as
/// long as the block or longer is not cut short: `written` is `None`, and the caller cuts
/// the block off and writes the line another way (a larger block, or piece by piece).
pub(crate) struct InPlace<'o, const B: usize> {
    block: &'o mut [u8; B],
    /// Where the next piece goes; `B` once a piece did not fit (so never past the block, and
    /// the bounds checks of the pieces after it need not ask).
    at: usize,
}

impl<'o, const B: usize> InPlace<'o, B> {
    /// Claims a block at the end of `out`, or `None` when its spare capacity is smaller than
    /// a block (the caller then writes piece by piece, so a buffer is never grown further
    /// than the line needs; `Command::to_vec`, whose buffer has the line's exact size, writes
    /// piece by piece from the start).
    #[inline(always)]
    pub(crate) fn claim(out: &'o mut Vec<u8>) -> Option<Self> {
        let start = out.len();
        if out.capacity() - start < B {
            return None;
        }
        out.extend_from_slice(&[0; B]);
        let block = out.get_mut(start..).and_then(|b| b.first_chunk_mut::<B>())?;
        Some(Self { block, at: 0 })
    }

    /// How many octets were written, if they all fitted with room to spare (a line that
    /// fills the block exactly is taken for one that did not fit: its writer tries again).
    #[inline(always)]
    pub(crate) fn written(&self) -> Option<usize> {
        (self.at < B).then_some(self.at)
    }
}

impl<const B: usize> Sink for InPlace<'_, B> {
    #[inline(always)]
    fn put_str(&mut self, s: &str) {
        self.put(s.as_bytes());
    }

    #[inline(always)]
    fn put_ascii(&mut self, bytes: &[u8]) {
        self.put(bytes);
    }

    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        match self.block.get_mut(self.at..).and_then(|d| d.get_mut(..bytes.len())) {
            Some(dst) => {
                copy_short(dst, bytes);
                self.at += bytes.len();
            }
            None => self.at = B,
        }
    }

    #[inline(always)]
    fn put_block<const N: usize>(&mut self, block: &[u8; N], len: usize) {
        // The whole block stored, `len` of it kept (the rest is overwritten or cut).
        match self.block.get_mut(self.at..).and_then(|d| d.first_chunk_mut::<N>()) {
            Some(dst) => {
                *dst = *block;
                self.at += len.min(N);
            }
            None => self.put(block.get(..len).unwrap_or(block)),
        }
    }
}

/// Copies `src` into `dst` (of the same length) with copies of a fixed size, which compile
/// to loads and stores rather than a call: up to [`SHORT`] octets, 16 at a time,
/// the last 16 overlapping the ones before; under 16, the first and last 8 (or 4)
/// overlapping; under 4, the first, middle and last octet.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    // The size classes as a tree: two comparisons reach any of them.
    let n = src.len();
    if n >= 8 {
        if n < 16 {
            copy_overlapping::<8>(dst, src);
        } else if n <= SHORT {
            // Up to four blocks of 16: at 0, 16 and 32 when they lie wholly before the last
            // 16, and the last 16.
            let mut copy16 = |at: usize| {
                let d = dst.get_mut(at..).and_then(|d| d.first_chunk_mut::<16>());
                if let (Some(d), Some(s)) = (d, src.get(at..).and_then(|s| s.first_chunk::<16>())) {
                    *d = *s;
                }
            };
            copy16(0);
            if n > 32 {
                copy16(16);
            }
            if n > 48 {
                copy16(32);
            }
            copy16(n - 16);
        } else {
            dst.copy_from_slice(src);
        }
    } else if n >= 4 {
        copy_overlapping::<4>(dst, src);
    } else if let (Some(&a), Some(&c)) = (src.first(), src.last()) {
        let b = src.get(n / 2).copied().unwrap_or(c);
        if let Some(da) = dst.first_mut() {
            *da = a;
        }
        if let Some(db) = dst.get_mut(n / 2) {
            *db = b;
        }
        if let Some(dc) = dst.last_mut() {
            *dc = c;
        }
    }
}

/// The first `K` octets and the last `K` of `src` (of `K` to `2K` octets) into `dst`,
/// overlapping when shorter than `2K` (an octet stored twice is the same both times).
#[inline(always)]
fn copy_overlapping<const K: usize>(dst: &mut [u8], src: &[u8]) {
    if let (Some(d), Some(s)) = (dst.first_chunk_mut::<K>(), src.first_chunk::<K>()) {
        *d = *s;
    }
    if let (Some(d), Some(s)) = (dst.last_chunk_mut::<K>(), src.last_chunk::<K>()) {
        *d = *s;
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

/// The eight decimal digits of `n` (below 10^8, with leading zeros) as the values 0 to 9,
/// the first in the lowest octet: computed in the lanes of one register (two halves of four
/// digits, then four pairs, then eight digits), without a loop or a table.
#[inline(always)]
fn eight_digits(n: u32) -> u64 {
    const HUNDREDS: u64 = 0x0000_007f_0000_007f;
    const TENS: u64 = 0x000f_000f_000f_000f;
    // Two 32-bit lanes below 10 000: x * 10486 >> 20 is x / 100 there (and below 2^27).
    let x = u64::from(n / 10_000) | u64::from(n % 10_000) << 32;
    let q = ((x * 10_486) >> 20) & HUNDREDS;
    // Four 16-bit lanes below 100: y * 205 >> 11 is y / 10 there (and below 2^15).
    let y = q | (x - q * 100) << 16;
    let t = ((y * 205) >> 11) & TENS;
    t | (y - t * 10) << 8
}

/// Writes `n` in decimal: eight digits at a time in a register ([`eight_digits`]), the leading
/// zeros of the first eight shifted out, each eight written as one block. No loop and no
/// recursion, so a writer that must stay in registers ([`InPlace`]) can take it inline.
#[inline(always)]
pub(crate) fn write_num(out: &mut impl Sink, n: u64) {
    const EIGHT: u64 = 100_000_000;
    if n < EIGHT {
        return first_digits(out, n);
    }
    // 10^8 and up: at most 20 digits, the first four or fewer above 10^16.
    let (high, low) = (n / EIGHT, n % EIGHT);
    if high < EIGHT {
        first_digits(out, high);
    } else {
        first_digits(out, high / EIGHT);
        eight_ascii(out, high % EIGHT);
    }
    eight_ascii(out, low);
}

/// `0` in each of eight octets.
const ZEROS: u64 = u64::from_le_bytes([b'0'; 8]);

/// `n` (below 10^8) in decimal without leading zeros: they are the low octets of
/// [`eight_digits`] that are 0 (all but one, for 0 itself), shifted out.
#[inline(always)]
fn first_digits(out: &mut impl Sink, n: u64) {
    let digits = eight_digits(n as u32);
    let lead = (digits.trailing_zeros() / 8).min(7);
    let ascii = (digits + ZEROS) >> (8 * lead);
    out.put_block(&ascii.to_le_bytes(), 8 - lead as usize);
}

/// `n` (below 10^8) in eight decimal digits, with its leading zeros.
#[inline(always)]
fn eight_ascii(out: &mut impl Sink, n: u64) {
    let digits = eight_digits(n as u32) + ZEROS;
    out.put_block(&digits.to_le_bytes(), 8);
}

/// Bit `k` set when octet `k` of `word` is a lower-case letter (first 32 octets): how a
/// case-insensitive word (RFC 5321 §2.4) was spelled.
pub(crate) fn case_mask(word: &[u8]) -> u32 {
    word.iter().take(32).enumerate().fold(0, |m, (k, c)| if c.is_ascii_lowercase() { m | (1 << k) } else { m })
}

/// Writes the upper-case `canonical` word with the letters selected by `mask` in lower case.
#[inline(always)]
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

/// Whether `bytes` is printable US-ASCII only (so it holds no control character; when not,
/// an exact scan decides, as HT and UTF-8 text are not refused): whole words of eight octets
/// ([`not_printable`](super::swar::not_printable)), the last one overlapping the one before, or one word padded with spaces.
#[inline]
pub(crate) fn printable(bytes: &[u8]) -> bool {
    const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
    let word = |w: &[u8; 8]| not_printable(u64::from_le_bytes(*w));
    let mut chunks = bytes.chunks_exact(8);
    let mut bad = chunks.by_ref().fold(0, |bad, c| bad | c.first_chunk::<8>().map_or(0, word));
    let rest = chunks.remainder();
    if !rest.is_empty() {
        bad |= match bytes.last_chunk::<8>() {
            Some(last) => word(last),
            None => {
                let w = rest.iter().rev().fold(SPACES, |w, &c| w << 8 | u64::from(c));
                not_printable(w)
            }
        };
    }
    bad == 0
}

/// [`not_printable`] of the 16 octets of `b`, or-ed.
#[inline(always)]
fn not_printable16(b: &[u8; 16]) -> u64 {
    let (lo, hi) = b.split_at(8);
    let word = |h: &[u8]| h.first_chunk::<8>().map_or(0, |w| not_printable(u64::from_le_bytes(*w)));
    word(lo) | word(hi)
}

/// Appends `text` to `out` in fixed-size blocks, each copied without a call and checked on
/// the way: whole 16-octet blocks, then the last 16 overlapping the block before, with `out`
/// cut back first so that it lands in place; a shorter text as its first and last 8 octets,
/// or 4, overlapping the same way, or (under 4) its first, middle and last octet. Returns whether every octet is printable US-ASCII (when not,
/// [`find_control`](crate::wire::lex::find_control) decides; the text is written all the same).
#[inline(always)]
pub(crate) fn put_checked(out: &mut Vec<u8>, text: &[u8]) -> bool {
    put_blocks::<true>(out, text)
}

/// Appends `text` (a value already checked, or made of checked parts) to `out` as
/// [`put_checked`] does, without the check: a short text without a call to `memcpy`.
#[inline(always)]
pub(crate) fn put_text(out: &mut Vec<u8>, text: &[u8]) {
    put_blocks::<false>(out, text);
}

/// [`put_checked`], with the check when `CHECK` (else it says `true`).
#[inline(always)]
fn put_blocks<const CHECK: bool>(out: &mut Vec<u8>, text: &[u8]) -> bool {
    let n = text.len();
    let mut bad = 0;
    if n >= 16 {
        let mut chunks = text.chunks_exact(16);
        for c in chunks.by_ref() {
            if let Ok(b) = <&[u8; 16]>::try_from(c) {
                if CHECK {
                    bad |= not_printable16(b);
                }
                out.extend_from_slice(b);
            }
        }
        let r = chunks.remainder().len();
        if r > 0 {
            if let Some(last) = text.last_chunk::<16>() {
                if CHECK {
                    bad |= not_printable16(last);
                }
                out.truncate(out.len() - (16 - r));
                out.extend_from_slice(last);
            }
        }
    } else if let (Some(first), Some(last)) = (text.first_chunk::<8>(), text.last_chunk::<8>()) {
        if CHECK {
            bad = not_printable(u64::from_le_bytes(*first)) | not_printable(u64::from_le_bytes(*last));
        }
        out.extend_from_slice(first);
        out.truncate(out.len() - (16 - n));
        out.extend_from_slice(last);
    } else if let (Some(first), Some(last)) = (text.first_chunk::<4>(), text.last_chunk::<4>()) {
        if CHECK {
            let word = u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
            bad = not_printable(word);
        }
        out.extend_from_slice(first);
        out.truncate(out.len() - (8 - n));
        out.extend_from_slice(last);
    } else if let (Some(&a), Some(&c)) = (text.first(), text.last()) {
        // One to three octets: the first, the middle and the last (of one or two octets,
        // some twice), then cut to `n`.
        let b = text.get(n / 2).copied().unwrap_or(c);
        if CHECK {
            bad = not_printable(u64::from_le_bytes([a, b, c, b' ', b' ', b' ', b' ', b' ']));
        }
        out.extend_from_slice(&[a, b, c]);
        out.truncate(out.len() - (3 - n));
    }
    bad == 0
}

/// The decimal digits of `n` below 10^16 in one integer, the first in the lowest octet (no
/// leading zero), and how many there are: two runs of [`eight_digits`].
#[inline(always)]
pub(crate) fn digits16(n: u64) -> Option<(u128, usize)> {
    const EIGHT: u64 = 100_000_000;
    const ZEROS: u128 = u128::from_le_bytes([b'0'; 16]);
    if n >= EIGHT * EIGHT {
        return None;
    }
    let d = u128::from(eight_digits((n / EIGHT) as u32)) | u128::from(eight_digits((n % EIGHT) as u32)) << 64;
    // The leading zeros are the low octets that are 0 (all but one, for 0 itself).
    let lead = (d.trailing_zeros() / 8).min(15);
    Some(((d + ZEROS) >> (8 * lead), 16 - lead as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    /// The printable check at every length, with each kind of octet at every position.
    #[test]
    fn printable_at_every_position() {
        for n in 0..40usize {
            let base: Vec<u8> = (0..n).map(|k| b' ' + (k % 95) as u8).collect();
            assert!(printable(&base), "{n}");
            for at in 0..n {
                for c in [0u8, b'\t', b'\n', 0x1f, 0x7f, 0x80, 0xc3, 0xff] {
                    let mut b = base.clone();
                    if let Some(slot) = b.get_mut(at) {
                        *slot = c;
                    }
                    assert!(!printable(&b), "{n} {at} {c}");
                }
                for c in [b' ', b'~', b'A'] {
                    let mut b = base.clone();
                    if let Some(slot) = b.get_mut(at) {
                        *slot = c;
                    }
                    assert!(printable(&b));
                }
            }
        }
    }

    /// `put_text` writes what `put_checked` writes, at every length; `digits16` is decimal.
    #[test]
    fn put_text_and_digits16() {
        let base: Vec<u8> = (0..70u8).map(|k| b'!' + k).collect();
        for n in 0..base.len() {
            let text = base.get(..n).unwrap_or(&[]);
            let (mut a, mut b) = (b"x".to_vec(), b"x".to_vec());
            put_text(&mut a, text);
            assert!(put_checked(&mut b, text));
            assert_eq!(a, b);
            assert_eq!(a.get(1..), Some(text));
        }
        let mut p: u64 = 1;
        for _ in 0..20 {
            for n in [p - 1, p, p + 1, p.wrapping_mul(7) / 3] {
                let want = n.to_string();
                match digits16(n) {
                    Some((d, len)) => {
                        assert_eq!(d.to_le_bytes().get(..len), Some(want.as_bytes()), "{n}");
                        assert!(d.to_le_bytes().iter().skip(len).all(|&c| c == 0));
                    }
                    None => assert!(want.len() > 16, "{n}"),
                }
            }
            p = p.saturating_mul(10);
        }
    }

    /// A line written in place is what the pieces written one after the other are, for
    /// every piece length at every offset (short copies of each size class, overlapping
    /// stores, the block's end); a line that does not fit says so and leaves the buffer to be
    /// cut back, and a buffer without a block's room is not claimed.
    #[test]
    fn in_place_is_piece_by_piece() {
        let text: Vec<u8> = (0..2 * CLAIM + 4).map(|k| b'!' + (k % 90) as u8).collect();
        for at in 0..=CLAIM + 1 {
            for n in 0..=CLAIM + 1 {
                let (head, piece) = (text.get(..at).unwrap_or(&[]), text.get(at..at + n).unwrap_or(&[]));
                let mut out = Vec::with_capacity(3 + 2 * CLAIM);
                out.extend_from_slice(b"abc");
                let claimed = InPlace::<CLAIM>::claim(&mut out);
                assert!(claimed.is_some(), "room for a block");
                let Some(mut line) = claimed else { continue };
                line.put(head);
                line.put(piece);
                line.put_block(b"12345678", 3);
                let fits = at + n + 3 < CLAIM;
                assert_eq!(line.written(), fits.then_some(at + n + 3), "{at} {n}");
                let written = line.written();
                assert_eq!(out.len(), 3 + CLAIM);
                if let Some(w) = written {
                    out.truncate(3 + w);
                    let mut want = b"abc".to_vec();
                    want.extend_from_slice(head);
                    want.extend_from_slice(piece);
                    want.extend_from_slice(b"123");
                    assert_eq!(out, want, "{at} {n}");
                }
            }
        }
        let mut small = Vec::with_capacity(CLAIM - 1);
        assert!(InPlace::<CLAIM>::claim(&mut small).is_none());
        assert!(small.is_empty());
    }

    /// Every digit count, each power of ten and its neighbours, into each sink.
    #[test]
    fn numbers_in_decimal() {
        let mut values = vec![0, 1, 9, u64::MAX, u64::MAX - 1, 1_234_567_890_123_456_789];
        let mut p: u64 = 10;
        while let Some(next) = p.checked_mul(10) {
            values.extend([p - 1, p, p + 1]);
            p = next;
        }
        values.extend([p - 1, p, p + 1]);
        values.extend(0..=20_000);
        // A spread of magnitudes from a fixed linear congruential sequence.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for k in 0..20_000u32 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            values.push(x >> (k % 64));
        }
        for n in values {
            let want = n.to_string();
            let mut v = b"x".to_vec();
            write_num(&mut v, n);
            assert_eq!(v.get(1..), Some(want.as_bytes()), "{n}");
            let mut s = String::from("x");
            write_num(&mut s, n);
            assert_eq!(s.get(1..), Some(want.as_str()));
            let mut c = Counter::default();
            write_num(&mut c, n);
            assert_eq!(c.0, want.len());
        }
    }
}
