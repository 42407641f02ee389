//! Word arithmetic on eight octets at a time (SWAR: one `u64`, no `unsafe`, no vector set-up):
//! the octet masks the framers and writers test whole words with, and the case-folded
//! keyword words the grammars dispatch on. One definition each, shared by every area.

/// `0x01` in every octet.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The top bit of every octet.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;
/// The low seven bits of every octet.
pub(crate) const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// `0x80` in each octet of `w` that is zero, `0` in the others (exact: no carry crosses
/// octets).
#[inline(always)]
pub(crate) const fn zeros(w: u64) -> u64 {
    !(((w & LO7).wrapping_add(LO7)) | w | LO7)
}

/// [`octets_eq`] on sixteen octets at once.
#[inline(always)]
pub(crate) const fn octets_eq16(w: u128, c: u8) -> u128 {
    const ONES16: u128 = u128::from_le_bytes([0x01; 16]);
    const LO7_16: u128 = u128::from_le_bytes([0x7f; 16]);
    let x = w ^ (ONES16 * c as u128);
    !(((x & LO7_16).wrapping_add(LO7_16)) | x | LO7_16)
}

/// `0x80` in each octet of `w` that equals `c`, `0` in the others (exact).
#[inline(always)]
pub(crate) const fn octets_eq(w: u64, c: u8) -> u64 {
    zeros(w ^ (ONES * c as u64))
}

/// `0x80` in the first octet of `w` that is not `%x20-7E` (SP and the printable US-ASCII
/// characters: HT, the other controls, DEL and every octet above 0x7F are flagged), and `0`
/// in every octet before it; octets after it may be flagged too (a borrow or a carry runs
/// on from the flagged octet), so what is exact is whether any octet is flagged and where
/// the first one is (`trailing_zeros`), which is all a caller asks.
#[inline(always)]
pub(crate) const fn not_printable(w: u64) -> u64 {
    // Below 0x20: subtracting 0x20 borrows into the top bit of an octet whose top bit was
    // clear. 0x7F and up: adding 1 sets the top bit, or it was set.
    ((w.wrapping_sub(ONES * 0x20) & !w) | w.wrapping_add(ONES) | w) & HIGH
}

/// One bit per octet of `flags` (a mask of `0x80` flags, as the masks above give): bit `k`
/// is the flag of octet `k` (the multiplication gathers the eight top bits into the top
/// octet, in order, without a carry between them).
#[inline(always)]
pub(crate) const fn flag_bits(flags: u64) -> u32 {
    (((flags >> 7) & ONES).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// `0x80` in each octet of `w` that is an ASCII letter or digit, for octets below `0x80`
/// (a caller holds `w` to US-ASCII first: no carry crosses octets then).
#[inline(always)]
pub(crate) const fn alnum(w: u64) -> u64 {
    // `a`-`z` after setting the 0x20 bit (which maps `A`-`Z` onto them): at least 0x61 and
    // at most 0x7A. `0`-`9`: at least 0x30 and at most 0x39.
    let l = w | CASE;
    let letters = l.wrapping_add(ONES * (0x80 - 0x61)) & !l.wrapping_add(ONES * (0x80 - 0x7b));
    let digits = w.wrapping_add(ONES * (0x80 - 0x30)) & !w.wrapping_add(ONES * (0x80 - 0x3a));
    (letters | digits) & HIGH
}

/// The 0x20 bit in every octet: OR-ed into a word of letters, digits and `-`, it maps `A`-`Z`
/// onto `a`-`z` and leaves the rest as they are (RFC 5321 §2.4: keywords and verbs are
/// case-insensitive), so one integer comparison matches a word in any case. On other octets
/// the fold can make two words equal (0x18 folds onto `8`): callers fold only what a grammar
/// has held to that alphabet.
const CASE: u64 = 0x2020_2020_2020_2020;

/// The first eight octets of `w` in one integer, folded ([`CASE`]); a shorter word is padded
/// with `0x20` octets.
#[inline]
pub(crate) const fn fold8(w: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let mut k = 0;
    while k < 8 && k < w.len() {
        // `k < 8` and `k < w.len()` are checked; `get` is not available in a `const fn`.
        #[allow(clippy::indexing_slicing)]
        {
            b[k] = w[k];
        }
        k += 1;
    }
    u64::from_le_bytes(b) | CASE
}

/// The first eight octets of `w` in one integer, the first in the lowest octet, padded with
/// zero octets: one load for a word of eight octets or more, two overlapping loads for four
/// to seven (an octet read twice is in the same place both times), a short loop under four.
#[inline(always)]
pub(crate) fn load(w: &[u8]) -> u64 {
    if let Some(b) = w.first_chunk::<8>() {
        return u64::from_le_bytes(*b);
    }
    match (w.first_chunk::<4>(), w.last_chunk::<4>()) {
        (Some(a), Some(z)) => {
            u64::from(u32::from_le_bytes(*a)) | (u64::from(u32::from_le_bytes(*z)) << (8 * (w.len() - 4)))
        }
        _ => w.iter().rev().fold(0u64, |a, &c| (a << 8) | u64::from(c)),
    }
}

/// [`fold8`] at run time: [`load`], folded.
#[inline]
pub(crate) fn fold_front(w: &[u8]) -> u64 {
    load(w) | CASE
}

/// [`fold8`] of the last eight octets of `w` (of all of it when shorter).
#[inline]
pub(crate) fn fold_back(w: &[u8]) -> u64 {
    fold_front(w.get(w.len().saturating_sub(8)..).unwrap_or(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word masks agree with the octet rules: every octet in every position, and every
    /// pair of octets side by side (where a borrow or carry could run on), the first flag
    /// standing on the first octet outside `%x20-7E`.
    #[test]
    fn masks_are_exact() {
        let bad = |c: u8| !(0x20..=0x7e).contains(&c);
        for c in 0..=255u8 {
            for k in 0..8 {
                let mut b = [b'a'; 8];
                if let Some(o) = b.get_mut(k) {
                    *o = c;
                }
                let w = u64::from_le_bytes(b);
                let bit = 0x80u64 << (8 * k);
                assert_eq!(not_printable(w) & bit != 0, bad(c), "{c:#x} at {k}");
                assert_eq!(not_printable(w) & (bit - 1), 0, "{c:#x} at {k}");
                assert_eq!(octets_eq(w, b'\r') == bit, c == b'\r');
                assert_eq!(zeros(w) == bit, c == 0);
                let wide = u128::from(w) | (u128::from(w) << 64);
                let wide_bit = u128::from(bit) | (u128::from(bit) << 64);
                assert_eq!(octets_eq16(wide, b'\n') == wide_bit, c == b'\n');
            }
            for d in 0..=255u8 {
                let w = u64::from_le_bytes([b'a', b'a', b'a', c, d, b'a', b'a', b'a']);
                let first = [c, d].iter().position(|&x| bad(x)).map_or(64, |k| 8 * (k as u32 + 3) + 7);
                assert_eq!(not_printable(w).trailing_zeros(), first, "{c:#x} {d:#x}");
            }
        }
    }

    /// The gathered flags and the letter-or-digit mask, octet by octet over US-ASCII.
    #[test]
    fn alnum_and_flag_bits() {
        for c in 0..0x80u8 {
            for k in 0..8 {
                let mut b = [b'-'; 8];
                if let Some(o) = b.get_mut(k) {
                    *o = c;
                }
                let m = alnum(u64::from_le_bytes(b));
                assert_eq!(flag_bits(m), u32::from(c.is_ascii_alphanumeric()) << k, "{c:#x} at {k}");
            }
        }
        assert_eq!(flag_bits(octets_eq(u64::from_le_bytes(*b"a.b..c.d"), b'.')), 0b0101_1010);
    }

    /// `load` is the first eight octets in place, zero-padded, and the run-time folds are the
    /// compile-time one, at every length.
    #[test]
    fn loads_and_folds_agree() {
        let word = b"Enhanced-StatusCodes";
        for n in 0..=word.len() {
            let w = word.get(..n).unwrap_or(&[]);
            let mut padded = [0u8; 8];
            for (d, s) in padded.iter_mut().zip(w) {
                *d = *s;
            }
            assert_eq!(load(w), u64::from_le_bytes(padded), "{n}");
            assert_eq!(fold_front(w), fold8(w), "{n}");
            assert_eq!(fold_back(w), fold8(w.get(n.saturating_sub(8)..).unwrap_or(&[])), "{n}");
        }
    }
}
