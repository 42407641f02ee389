//! The fast path both body codecs share: a 16-octet probe for the next line end, and the
//! check that takes a whole region of short, well-formed lines at once.

use memchr::{memchr, memchr2, memmem, memrchr};

/// The fast path needs at least this many octets to be worth its fixed cost.
pub(crate) const FAST_MIN: usize = 256;
/// After the fast path fails, the exact loop runs this far before it is tried again.
pub(crate) const FAST_BACKOFF: u64 = 4096;
/// The fast path pays off for short lines only: for lines longer than this, one `memchr2`
/// per line is cheaper than counting every octet.
pub(crate) const FAST_LINE: usize = 256;
/// The position of the first CR or LF in `s`. The next 16 octets are tested first as one
/// 128-bit word (exact byte masks, SWAR, no branch on where the match is): short lines, as in
/// dot-heavy bodies, then cost no `memchr2` call.
#[inline(always)]
pub(crate) fn find_line_end(s: &[u8]) -> Option<usize> {
    const LO7: u128 = 0x7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f;
    const ONES: u128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
    let Some((word, rest)) = s.split_first_chunk::<16>() else { return memchr2(b'\r', b'\n', s) };
    let w = u128::from_le_bytes(*word);
    // The high bit of every octet of `x` that is zero, and no other bit.
    let zero = |x: u128| !(((x & LO7).wrapping_add(LO7)) | x | LO7);
    let m = zero(w ^ (ONES * u128::from(b'\r'))) | zero(w ^ (ONES * u128::from(b'\n')));
    if m != 0 {
        return Some((m.trailing_zeros() / 8) as usize);
    }
    memchr2(b'\r', b'\n', rest).map(|i| i + 16)
}

/// Counts CRs, LFs and CR LF pairs in `s`. Written so that the compiler vectorizes it (octet
/// counters over 255-octet strips): this is what lets the fast path check a whole region for
/// bare line ends at several GiB/s without `unsafe`.
pub(crate) fn line_end_counts(s: &[u8]) -> (usize, usize, usize) {
    let (Some(&first), Some(&last)) = (s.first(), s.last()) else { return (0, 0, 0) };
    let a = s.get(..s.len() - 1).unwrap_or(&[]);
    let b = s.get(1..).unwrap_or(&[]);
    // CRs of s[..len-1] and the last octet; LFs of s[1..] and the first octet; pairs.
    let (mut cr, mut lf, mut pairs) = (usize::from(last == b'\r'), usize::from(first == b'\n'), 0usize);
    for (sa, sb) in a.chunks(255).zip(b.chunks(255)) {
        let (mut c, mut l, mut p) = (0u8, 0u8, 0u8);
        for (&x, &y) in sa.iter().zip(sb) {
            let (is_cr, is_lf) = (x == b'\r', y == b'\n');
            c += u8::from(is_cr);
            l += u8::from(is_lf);
            p += u8::from(is_cr & is_lf);
        }
        cr += usize::from(c);
        lf += usize::from(l);
        pairs += usize::from(p);
    }
    (cr, lf, pairs)
}

/// The fast path shared by the decoders and the encoders. `rest` starts inside a line, with
/// no CR pending, and `carried` content octets of that line before it. Returns the length of a
/// prefix of `rest` of at least [`FAST_MIN`] octets that ends with a CRLF and holds no bare CR
/// or LF, no line-start dot (when `dots`) and no line over `max_line`, if one is found cheaply:
/// up to the first `\n.` (with `dots`) or the last LF. With `lenient` (bare line ends are data
/// and there is no line limit) only the last LF must end a CRLF.
///
/// For such a prefix the exact loops would find nothing to report and change nothing but
/// their position, so taking it whole changes no result. Bare line ends are ruled out by
/// counting (every CR is followed by LF and every LF preceded by CR exactly when the numbers
/// of CRs, LFs and CR LF pairs are equal), line lengths by one `memrchr` per line-limit
/// window. Only short lines are worth it: for long ones the exact loops' one `memchr2` per
/// line is cheaper than counting every octet.
#[inline(never)]
pub(crate) fn clean_prefix(
    rest: &[u8],
    dots: bool,
    lenient: bool,
    max_line: Option<usize>,
    carried: u64,
) -> Option<usize> {
    // Short lines only: the line after the first LF must end within FAST_LINE octets.
    let first = memchr(b'\n', rest.get(..4 * FAST_LINE).unwrap_or(rest))?;
    memchr(b'\n', rest.get(first + 1..(first + 1 + FAST_LINE).min(rest.len()))?)?;
    let end = match dots.then(|| memmem::find(rest, b"\n.")).flatten() {
        Some(p) => p + 1,
        None => memrchr(b'\n', rest)? + 1,
    };
    if end < FAST_MIN {
        return None;
    }
    let region = rest.get(..end)?;
    if lenient {
        if region.get(end - 2) != Some(&b'\r') {
            return None;
        }
    } else {
        let (cr, lf, pairs) = line_end_counts(region);
        if cr != pairs || lf != pairs {
            return None;
        }
    }
    if let Some(max) = max_line {
        let allowed = max.saturating_sub(2);
        // The first line carries what came before; its content ends at the CR.
        if carried.saturating_add(first as u64).saturating_sub(1) > allowed as u64 {
            return None;
        }
        // Then from each LF, the next one must come within `allowed + 2` octets.
        let mut lf = first;
        while lf + 1 < end {
            let window = region.get(lf + 1..(lf + 1).saturating_add(allowed + 2).min(end))?;
            lf += 1 + memrchr(b'\n', window)?;
        }
    }
    Some(end)
}
