//! The fast path both body codecs share: a 16-octet probe for the next line end, and the
//! check that takes a whole region of well-formed lines at once (short lines in one vectorized
//! pass, long ones one `memchr2` each).

use memchr::{memchr, memchr2, memmem, memrchr};

use crate::wire::swar::octets_eq16;

/// The fast path needs at least this many octets to be worth its fixed cost.
pub(crate) const FAST_MIN: usize = 256;
/// After the fast path fails, the exact loop runs this far before it is tried again.
pub(crate) const FAST_BACKOFF: u64 = 4096;
/// The vectorized pass pays off for short lines only: when the second line of a region is
/// longer than this, the region is taken one `memchr2` per line instead, which is cheaper than
/// testing every octet.
pub(crate) const FAST_LINE: usize = 256;
/// The position of the first CR or LF in `s`. The next 16 octets are tested first as one
/// 128-bit word (exact byte masks, SWAR, no branch on where the match is): short lines, as in
/// dot-heavy bodies, then cost no `memchr2` call.
#[inline(always)]
pub(crate) fn find_line_end(s: &[u8]) -> Option<usize> {
    let Some((word, rest)) = s.split_first_chunk::<16>() else { return memchr2(b'\r', b'\n', s) };
    let w = u128::from_le_bytes(*word);
    let m = octets_eq16(w, b'\r') | octets_eq16(w, b'\n');
    if m != 0 {
        return Some((m.trailing_zeros() / 8) as usize);
    }
    memchr2(b'\r', b'\n', rest).map(|i| i + 16)
}

/// Windows per block of [`first_mark`]: one branch per block.
const BLOCK: usize = 128;

/// What [`first_mark`] found in a window of two adjacent octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// A CR not followed by LF, or an LF not preceded by CR.
    Bare,
    /// An LF followed by `.`: a line-start dot.
    Dot,
}

/// The mark of the window `(a, b)`: a bare line end, or (when `DOTS`) a line-start dot.
#[inline(always)]
fn window_mark<const DOTS: bool>(a: u8, b: u8) -> Option<Mark> {
    if (a == b'\r') != (b == b'\n') {
        Some(Mark::Bare)
    } else if DOTS && a == b'\n' && b == b'.' {
        Some(Mark::Dot)
    } else {
        None
    }
}

/// Whether one of the `B` windows `(s[k], s[k + 1])`, `i <= k < i + B`, holds a bare line
/// end or (when `DOTS`) a line-start dot (also when they cannot be read). No branch inside:
/// the compiler vectorizes it (a CR must have an LF right after it exactly when an LF has a
/// CR right before it, so one comparison of two masks per window covers both bare CR and
/// bare LF).
#[inline(always)]
fn marked<const DOTS: bool, const B: usize>(s: &[u8], i: usize) -> bool {
    let Some(w) = s.get(i..=i + B) else { return true };
    let (Some(a), Some(b)) = (w.first_chunk::<B>(), w.last_chunk::<B>()) else { return true };
    let (mut bare, mut dot) = (0u8, 0u8);
    for (&x, &y) in a.iter().zip(b) {
        bare |= u8::from(x == b'\r') ^ u8::from(y == b'\n');
        dot |= u8::from(x == b'\n') & u8::from(y == b'.');
    }
    bare | (dot & u8::from(DOTS)) != 0
}

/// Whether the `B` windows `(a[k], b[k])` hold a bare line end, or the `B` windows
/// `(b[k], c[k])` a line-start dot, where `a`, `b`, `c` view the input at three successive
/// offsets. The LF comparison serves both tests, and each view is compared once (with SSE2's
/// two-operand compares, comparing one view twice costs a copy): 7 vector operations per 16
/// octets instead of 8 and two copies.
#[inline(always)]
fn marked3<const B: usize>(a: &[u8; B], b: &[u8; B], c: &[u8; B]) -> bool {
    let mut acc = 0u8;
    for ((&x, &y), &z) in a.iter().zip(b).zip(c) {
        let lf = u8::from(y == b'\n');
        acc |= (u8::from(x == b'\r') ^ lf) | (lf & u8::from(z == b'.'));
    }
    acc != 0
}

/// The start `i` of the first block that may hold a mark (a bare line end in the windows
/// `i..i + BLOCK`, or with `DOTS` a line-start dot in the windows `i + 1..=i + BLOCK`), among
/// the blocks with `i + BLOCK < n`; or where those blocks end. `n < s.len()`. A loop of its own,
/// with nothing but the vectorized test in it, so its constants stay in registers.
#[inline(always)]
fn first_marked_block<const DOTS: bool>(s: &[u8], n: usize) -> usize {
    let mut i = 0usize;
    while i + BLOCK < n {
        let Some(w) = s.get(i..).and_then(<[u8]>::first_chunk::<{ BLOCK + 2 }>) else { break };
        let (Some(a), Some(b), Some(c)) =
            (w.first_chunk::<BLOCK>(), w.get(1..).and_then(<[u8]>::first_chunk::<BLOCK>), w.last_chunk::<BLOCK>())
        else {
            break;
        };
        let found = if DOTS { marked3::<BLOCK>(a, b, c) } else { marked::<false, BLOCK>(w, 0) };
        if found {
            break;
        }
        i += BLOCK;
    }
    i
}

/// The first of the windows `(s[i], s[i + 1])`, `i < n`, that holds a bare line end or (when
/// `DOTS`) a line-start dot: [`BLOCK`] windows at a time ([`first_marked_block`]), then a
/// block that may hold one by quarters ([`marked`]), then octet by octet. This one pass replaces
/// counting line ends and a separate search for `\n.`.
#[inline(never)]
fn first_mark<const DOTS: bool>(s: &[u8], n: usize) -> Option<(usize, Mark)> {
    const S: usize = 64;
    const Q: usize = S / 4;
    let scalar = |from: usize, to: usize| {
        (from..to).find_map(|i| window_mark::<DOTS>(*s.get(i)?, *s.get(i + 1)?).map(|m| (i, m)))
    };
    // The first mark in the windows `i..i + S`, if any: by quarters, then octet by octet.
    let small =
        |i: usize| (0..4).map(|q| i + q * Q).filter(|&j| marked::<DOTS, Q>(s, j)).find_map(|j| scalar(j, j + Q));
    // The first mark in the windows `i..=i + BLOCK` (the block loop's reach), if any.
    let within = |i: usize| {
        (0..BLOCK / S)
            .map(|h| i + h * S)
            .filter(|&j| marked::<DOTS, S>(s, j))
            .find_map(small)
            .or_else(|| scalar(i + BLOCK, (i + BLOCK + 1).min(n)))
    };
    if n < S {
        return scalar(0, n);
    }
    let mut i = 0usize;
    if n > BLOCK {
        // The blocks test line-start dots one window late: the first window on its own.
        if let Some(found) = scalar(0, 1) {
            return Some(found);
        }
        while i + BLOCK < n {
            i += first_marked_block::<DOTS>(s.get(i..).unwrap_or(&[]), n - i);
            if i + BLOCK >= n {
                break;
            }
            if let Some(found) = within(i) {
                return Some(found);
            }
            i += BLOCK;
        }
    }
    // The windows left over, `S` at a time; the last group ends at `n` and may overlap windows
    // already found clean, so a mark in it is the first.
    while i < n {
        let j = i.min(n - S);
        if marked::<DOTS, S>(s, j) {
            return small(j);
        }
        i = j + S;
    }
    None
}

/// The fast path shared by the decoders and the encoders. `rest` starts inside a line, with
/// no CR pending, and `carried` content octets of that line before it. Returns the length of a
/// prefix of `rest` of at least [`FAST_MIN`] octets that ends with a CRLF and holds no bare CR
/// or LF, no line-start dot (when `dots`) and no line over `max_line`, if one is found cheaply:
/// up to the first `\n.` (with `dots`) or the last LF. With `lenient` (bare line ends are data
/// and there is no line limit) only the last LF must end a CRLF.
///
/// For such a prefix the exact loops would find nothing to report and change nothing but
/// their position, so taking it whole changes no result. For short lines, bare line ends and
/// line-start dots are found in one vectorized pass ([`first_mark`]), line lengths by one
/// vectorized LF test per window ([`lf_within`], else one `memrchr` per line-limit window).
/// Long lines (see [`FAST_LINE`]) are taken one `memchr2` each ([`long_lines`]), up to the
/// first line that is not clean: testing every octet would cost more than that search.
#[inline(never)]
pub(crate) fn clean_prefix(
    rest: &[u8],
    dots: bool,
    lenient: bool,
    max_line: Option<usize>,
    carried: u64,
) -> Option<usize> {
    // Short lines: the line after the first LF ends within FAST_LINE octets. Otherwise the
    // lines are taken one `memchr2` each.
    let Some(first) = memchr(b'\n', rest.get(..4 * FAST_LINE).unwrap_or(rest)) else {
        return if lenient { None } else { long_lines(rest, dots, max_line, carried) };
    };
    let second = rest.get(first + 1..(first + 1 + FAST_LINE).min(rest.len()))?;
    if memchr(b'\n', second).is_none() {
        return if lenient { None } else { long_lines(rest, dots, max_line, carried) };
    }
    let last = memrchr(b'\n', rest)? + 1;
    if last < FAST_MIN {
        return None;
    }
    let end = if lenient {
        let end = match dots.then(|| memmem::find(rest, b"\n.")).flatten() {
            Some(p) => p + 1,
            None => last,
        };
        if end < 2 || rest.get(end - 2) != Some(&b'\r') {
            return None;
        }
        end
    } else {
        // An LF first is bare (`rest` has no CR pending before it); every other octet of the
        // region is the second of a window.
        if first == 0 {
            return None;
        }
        let mark = if dots { first_mark::<true>(rest, last - 1) } else { first_mark::<false>(rest, last - 1) };
        match mark {
            None => last,
            Some((p, Mark::Dot)) => p + 1,
            Some((_, Mark::Bare)) => return None,
        }
    };
    if end < FAST_MIN {
        return None;
    }
    let region = rest.get(..end)?;
    if let Some(max) = max_line {
        let allowed = max.saturating_sub(2);
        // The first line carries what came before; its content ends at the CR.
        if carried.saturating_add(first as u64).saturating_sub(1) > allowed as u64 {
            return None;
        }
        // Then from each LF, the next one must come within `allowed + 2` octets: cheaply
        // shown for short lines, else found LF by LF.
        if !lf_within(region, first, allowed + 2) {
            let mut lf = first;
            while lf + 1 < end {
                let window = region.get(lf + 1..(lf + 1).saturating_add(allowed + 2).min(end))?;
                lf += 1 + memrchr(b'\n', window)?;
            }
        }
    }
    Some(end)
}

/// [`clean_prefix`] for long lines (and not `lenient`): line by line, one `memchr2` for the
/// line's end each, which must be a CRLF within the limit; up to the first line that is not
/// (it is left to the exact loops), a line-start dot (when `dots`), or the end of `rest`.
#[inline(never)]
fn long_lines(rest: &[u8], dots: bool, max_line: Option<usize>, carried: u64) -> Option<usize> {
    // The longest line content, counted from the start of `rest`: the first line carries
    // `carried` octets from before it.
    let allowed = max_line.map_or(u64::MAX, |max| max.saturating_sub(2) as u64);
    let mut limit = allowed.checked_sub(carried)?;
    let mut end = 0usize;
    let find = line_end_finder();
    while let Some(k) = rest.get(end..).and_then(&find) {
        // `rest[end..end + k]` is the line's content; `k` is at most `len - end`.
        if k as u64 > limit || rest.get(end + k..end + k + 2) != Some(b"\r\n") {
            break;
        }
        end += k + 2;
        limit = allowed;
        if dots && rest.get(end) == Some(&b'.') {
            break;
        }
    }
    (end >= FAST_MIN).then_some(end)
}

/// `memchr2(b'\r', b'\n', _)` for many searches in a row: on x86-64 with AVX2 (detected at
/// run time with the `std` feature) memchr's AVX2 searcher, made once, instead of `memchr2`'s
/// dispatch and set-up on every call.
fn line_end_finder() -> impl Fn(&[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    let avx2 = memchr::arch::x86_64::avx2::memchr::Two::new(b'\r', b'\n');
    #[cfg(not(target_arch = "x86_64"))]
    let avx2: Option<memchr::arch::all::memchr::Two> = None;
    move |s: &[u8]| match &avx2 {
        Some(two) => two.find(s),
        None => memchr2(b'\r', b'\n', s),
    }
}

/// Octets per window of [`lf_within`].
const LF_WINDOW: usize = 128;

/// Whether `region` (an LF at `first`, and its last octet an LF) is shown to have no two
/// successive LFs more than `gap` octets apart by finding an LF in each of the windows of
/// [`LF_WINDOW`] octets that start `gap - LF_WINDOW` octets apart after `first`: two LFs in
/// successive windows are less than `gap` apart, and so are the LFs between them. One vectorized
/// test per window, no search, no branch on where an LF is. `false` says nothing (long lines,
/// or a small `gap`): the caller looks LF by LF.
fn lf_within(region: &[u8], first: usize, gap: usize) -> bool {
    if gap < 2 * LF_WINDOW {
        return false;
    }
    let stride = gap - LF_WINDOW;
    let mut p = first + 1;
    // A last window shorter than LF_WINDOW holds the region's last octet, an LF.
    while let Some(w) = region.get(p..).and_then(<[u8]>::first_chunk::<LF_WINDOW>) {
        if w.iter().fold(0u8, |acc, &b| acc | u8::from(b == b'\n')) == 0 {
            return false;
        }
        p += stride;
    }
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use alloc::vec::Vec;

    use super::{BLOCK, Mark, first_mark, window_mark};

    /// The first mark, one window at a time.
    fn reference<const DOTS: bool>(s: &[u8], n: usize) -> Option<(usize, Mark)> {
        (0..n).find_map(|i| window_mark::<DOTS>(s[i], s[i + 1]).map(|m| (i, m)))
    }

    #[test]
    fn first_mark_agrees_with_one_window_at_a_time() {
        // Lines of 12 and of 5 octets: line ends (and so line-start dots) fall on every
        // position relative to the blocks, their edges included.
        for line in [&b"abcdefghij\r\n"[..], b"abc\r\n"] {
            let clean: Vec<u8> = line.iter().copied().cycle().take(3 * BLOCK + 50).collect();
            one_mark_everywhere(&clean);
        }
    }

    fn one_mark_everywhere(clean: &[u8]) {
        for at in 0..clean.len() {
            for c in [b'\r', b'\n', b'.'] {
                let mut s = clean.to_vec();
                s[at] = c;
                for n in [s.len() - 1, at, at.saturating_sub(1), at + 1, at + 2, 64, BLOCK, BLOCK + 1, BLOCK + 2]
                    .into_iter()
                    .chain([2 * BLOCK, 2 * BLOCK + 1, 2 * BLOCK + 2])
                {
                    let n = n.min(s.len() - 1);
                    assert_eq!(first_mark::<true>(&s, n), reference::<true>(&s, n), "{at} {n} {c}");
                    assert_eq!(first_mark::<false>(&s, n), reference::<false>(&s, n), "{at} {n} {c}");
                }
            }
        }
    }
}
