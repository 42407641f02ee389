//! Replies to their exact wire octets (RFC 5321 §4.2), and the one reply writer behind
//! [`ReplyBuilder`](crate::ReplyBuilder) and [`Reply::write_to`].

use alloc::vec::Vec;

use super::{EnhancedCode, Reply, ReplyCode, SaslChallenge};
use crate::framing::reply::line_limit;
use crate::wire::lex::find_control;
use crate::wire::sink::put_checked;
use crate::wire::{Sink, WriteWire, impl_encode};
use crate::{BuildError, BuildErrorKind, Limits, ParseOptions};

impl WriteWire for Reply<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        out.put(self.as_bytes());
    }
}

impl WriteWire for SaslChallenge<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        self.reply().write_wire(out);
    }
}

impl_encode!(Reply, SaslChallenge);

/// The next piece of `rest`, at most `avail` octets: all of it when it fits (and `None` after
/// it), else up to the last space that fits (the space is dropped) or, in a word longer than
/// that, up to the last character boundary that fits, and the rest after it (never empty).
/// `None` when not even one character fits.
fn cut(rest: &str, avail: usize) -> Option<(&str, Option<&str>)> {
    if rest.len() <= avail {
        return Some((rest, None));
    }
    let bytes = rest.as_bytes();
    let space = bytes.iter().take(avail + 1).rposition(|&c| c == b' ').filter(|&p| p > 0 && p + 1 < rest.len());
    match space {
        Some(p) => Some((rest.get(..p).unwrap_or(""), Some(rest.get(p + 1..).unwrap_or("")))),
        None => {
            let cut = (0..=avail).rev().find(|&k| rest.is_char_boundary(k)).unwrap_or(0);
            if cut == 0 {
                return None;
            }
            let (piece, tail) = rest.split_at_checked(cut).unwrap_or((rest, ""));
            Some((piece, Some(tail)))
        }
    }
}

/// The refusal of a line limit that cannot hold the code, the enhanced code and a character.
fn too_small(limit: usize) -> BuildError {
    BuildError::new("reply line limit (too small for the text)", BuildErrorKind::TooLong { limit })
}

/// The refusal of text `k` for the control character at `offset` (as
/// [`refuse_controls`](crate::wire::lex::refuse_controls) words it).
fn control(k: usize, offset: usize) -> BuildError {
    BuildError::new("reply text", BuildErrorKind::ControlCharacter).at(offset).item(k)
}

/// Writes a whole reply with `code` into `out`: the `count` texts, each split to fit the line
/// limit of `limits` and opened by `enhanced` when given, then checked against the line count
/// of `limits`. Every check is made while writing (RFC 5321 §4.2 framing, RFC 2034 §3
/// enhanced codes whose class is the reply's first digit, RFC 3463 §2), none by parsing back.
///
/// The refusals come in the order [`ReplyBuilder::build`](crate::ReplyBuilder::build) gives
/// them, whatever their position: an enhanced code of another class, then the first text
/// with a control character (checked here when `check_controls`; the builder checks its texts
/// as they are added), then a line limit too small for a text, then too many lines. On a
/// refusal `out` may hold part of the reply: the caller truncates it.
pub(crate) fn write_reply<'t>(
    out: &mut Vec<u8>,
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    mut texts: impl Iterator<Item = &'t str>,
    count: usize,
    limits: &Limits,
    check_controls: bool,
) -> Result<(), BuildError> {
    if let Some(e) = enhanced {
        if e.class() != code.class_digit() {
            return Err(BuildError::new("enhanced status code", BuildErrorKind::ClassMismatch));
        }
    }
    let opts = ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits);
    let limit = line_limit(code == ReplyCode::AUTH_CHALLENGE, &opts);
    // The line head, "250-" + ["2.1.5" + " "], made once; each line copies it, its text and
    // CRLF in three pieces. The fourth octet is set per line.
    // With an enhanced code: the head with its space before text, without it on a line
    // with no text. Without one: "250-" / "250 " before text, "250-" / "250" without.
    let (head, full) = line_head(code, enhanced);
    let mut head = head.to_le_bytes();
    let avail = limit.saturating_sub(full + 2);
    // The head of a line with no text, not last and last.
    let bare = |last: bool| match (enhanced.is_some(), last) {
        (true, _) => full - 1,
        (false, false) => 4,
        (false, true) => 3,
    };
    let mut line = |out: &mut Vec<u8>, piece: &str, last: bool| {
        if let Some(sep) = head.get_mut(3) {
            *sep = if last { b' ' } else { b'-' };
        }
        let n = if piece.is_empty() { bare(last) } else { full };
        // All 16 octets of the head (a copy of fixed size, without a call), then back to the
        // `n` of them this line has.
        let start = out.len();
        out.extend_from_slice(&head);
        out.truncate(start + n);
        out.extend_from_slice(piece.as_bytes());
        out.extend_from_slice(b"\r\n");
    };
    // A line with no text must fit too (`250 2.0.0` CRLF in 8 octets does not).
    let fits = |t: &str, last: bool| avail > 0 || (t.is_empty() && bare(last) + 2 <= limit);
    if count == 0 {
        if !fits("", true) {
            return Err(too_small(limit));
        }
        line(out, "", true);
        return Ok(());
    }
    let mut lines = 0usize;
    let mut k = 0usize;
    while let Some(t) = texts.next() {
        if check_controls && !plain(t.as_bytes()) {
            if let Some(at) = find_control(t, true) {
                return Err(control(k, at));
            }
        }
        let last = k + 1 == count;
        if t.len() <= avail && (!t.is_empty() || fits(t, last)) {
            // The common case: the text fits one line.
            line(out, t, last);
            lines += 1;
            k += 1;
            continue;
        }
        let wrote = if fits(t, last) { write_text(out, &mut line, t, avail, last) } else { Err(None) };
        match wrote {
            Ok(n) => lines += n,
            Err(at) => {
                // A control character in a later text is refused before the line limit.
                if check_controls {
                    for (j, t) in texts.enumerate() {
                        if let Some(at) = find_control(t, true) {
                            return Err(control(k + 1 + j, at));
                        }
                    }
                }
                let e = too_small(limit).item(k);
                return Err(at.map_or(e, |at| e.at(at)));
            }
        }
        k += 1;
    }
    let max = limits.reply_lines().max(1);
    if lines > max {
        return Err(BuildError::new("reply", BuildErrorKind::TooManyLines { limit: max }));
    }
    Ok(())
}

/// Writes text `t` as lines of at most `avail` octets of text (the caller has refused a
/// non-empty text when `avail` is 0), the last one marked last when `last`. Returns the number of lines, or the refusal of a line limit too small for the text
/// (with the offset of the piece that did not fit, when one did before it).
fn write_text(
    out: &mut Vec<u8>,
    line: &mut impl FnMut(&mut Vec<u8>, &str, bool),
    t: &str,
    avail: usize,
    last: bool,
) -> Result<usize, Option<usize>> {
    let mut rest = t;
    let mut n = 0;
    loop {
        let Some((piece, tail)) = cut(rest, avail.max(1)) else {
            return Err(Some(t.len() - rest.len()));
        };
        line(out, piece, last && tail.is_none());
        n += 1;
        match tail {
            Some(tail) => rest = tail,
            None => return Ok(n),
        }
    }
}

/// Whether `text` is HT and printable US-ASCII only (so it holds no control character; when
/// not, [`find_control`] decides). Whole 16- and 8-octet blocks, the last one overlapping the
/// one before: loops without branches that the compiler vectorizes, and no octet-by-octet
/// tail past 7 octets.
fn plain(text: &[u8]) -> bool {
    fn ok(c: u8) -> bool {
        (c.wrapping_sub(0x20) < 0x5f) | (c == b'\t')
    }
    fn block<const N: usize>(b: &[u8]) -> bool {
        <&[u8; N]>::try_from(b).is_ok_and(|b| b.iter().fold(true, |all, &c| all & ok(c)))
    }
    let n = text.len();
    if n >= 16 {
        let mut chunks = text.chunks_exact(16);
        let whole = chunks.by_ref().fold(true, |all, c| all & block::<16>(c));
        whole && (chunks.remainder().is_empty() || block::<16>(text.get(n - 16..).unwrap_or(&[])))
    } else if n >= 8 {
        block::<8>(text.get(..8).unwrap_or(&[])) && block::<8>(text.get(n - 8..).unwrap_or(&[]))
    } else {
        text.iter().fold(true, |all, &c| all & ok(c))
    }
}

/// Each number below 1000 in decimal, followed by `.` (and padding): a reply code or a part
/// of an enhanced code in one load instead of divisions.
static DECIMAL: [[u8; 4]; 1000] = decimal_table();

/// The table of [`DECIMAL`]; evaluated at compile time only, so an index out of bounds is a
/// compile error, never a panic.
#[allow(clippy::indexing_slicing)]
const fn decimal_table() -> [[u8; 4]; 1000] {
    let mut table = [[0u8; 4]; 1000];
    let mut n = 0;
    while n < 1000 {
        let d = [b'0' + (n / 100) as u8, b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        table[n] = if n < 10 {
            [d[2], b'.', 0, 0]
        } else if n < 100 {
            [d[1], d[2], b'.', 0]
        } else {
            [d[0], d[1], d[2], b'.']
        };
        n += 1;
    }
    table
}

/// `n` (below 1000) in decimal followed by `.`, packed little-endian (the first digit in the
/// lowest octet), and the number of its digits.
#[inline(always)]
fn part(n: u16) -> (u32, u32) {
    let digits = DECIMAL.get(usize::from(n)).copied().unwrap_or([b'0', b'.', 0, 0]);
    (u32::from_le_bytes(digits), 1 + u32::from(n >= 10) + u32::from(n >= 100))
}

/// The head of every line of a reply with `code` and `enhanced`, packed little-endian:
/// `250-` and, with an enhanced code, `2.1.5 ` (RFC 2034 §3), at most 14 octets, and its
/// length. The fourth octet, `-`, is the separator of a line that is not the last
/// (RFC 5321 §4.2). Assembled in registers from table loads, without a division.
#[inline(always)]
fn line_head(code: ReplyCode, enhanced: Option<EnhancedCode>) -> (u128, usize) {
    // A reply code has three digits (200 to 559): its `.` is replaced by `-`.
    let (c, _) = part(code.as_u16());
    let head = u128::from((c & 0x00ff_ffff) | u32::from(b'-') << 24);
    let Some(e) = enhanced else {
        return (head, 4);
    };
    // `2.` (the class is one digit, 2, 4 or 5), then `1.5 ` in the eight octets after it.
    let class = u32::from(b'0' + e.class() % 10) | u32::from(b'.') << 8;
    let (subject, detail) = (e.subject(), e.detail());
    let (tail, len) = if subject < 10 && detail < 10 {
        // One digit each, the common case: no table.
        let d = |n: u16| u64::from(b'0' + n as u8);
        (d(subject) | u64::from(b'.') << 8 | d(detail) << 16 | u64::from(b' ') << 24, 4)
    } else {
        let (subject, s) = part(subject);
        let (detail, d) = part(detail);
        let detail = detail ^ u32::from(b'.' ^ b' ') << (8 * d);
        (u64::from(subject) | u64::from(detail) << (8 * (s + 1)), s + 1 + d + 1)
    };
    let head = head | u128::from(class) << 32 | u128::from(tail) << 48;
    (head, 6 + len as usize)
}

/// The common case of [`write_reply`], written in one pass with the checks made on the way:
/// one to [`Limits::reply_lines`] texts, each non-empty and fitting one line, without a
/// control character (checked when `check_controls`), and an enhanced code, if any, of the
/// reply's class (RFC 3463 §2). Returns `false` for anything else, with `out` holding part of
/// the reply: the caller truncates it and leaves the reply to [`write_reply`], which writes
/// it or gives the refusal in its order.
#[inline]
pub(crate) fn write_simple<'t>(
    out: &mut Vec<u8>,
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    texts: impl Iterator<Item = &'t str>,
    count: usize,
    limits: &Limits,
    check_controls: bool,
) -> bool {
    if enhanced.is_some_and(|e| e.class() != code.class_digit()) {
        return false;
    }
    if count == 0 || count > limits.reply_lines().max(1) {
        return false;
    }
    // `line_limit`, without the options around the limits.
    let challenge = code == ReplyCode::AUTH_CHALLENGE;
    let limit = if challenge { limits.reply_line().max(limits.sasl_line()) } else { limits.reply_line() }.max(5);
    debug_assert_eq!(limit, line_limit(challenge, &ParseOptions::STRICT.with_limits(*limits)));
    let (more, full) = line_head(code, enhanced);
    // The head of the last line: ` ` for `-` after the code.
    let last = more ^ u128::from(b'-' ^ b' ') << 24;
    // The text of a line, between its head and CRLF.
    let avail = limit.saturating_sub(full + 2);
    let mut left = count;
    for text in texts {
        let t = text.as_bytes();
        if t.is_empty() || t.len() > avail {
            return false;
        }
        left -= 1;
        let head = if left == 0 { last } else { more };
        out.reserve(16 + t.len() + 2);
        let start = out.len();
        out.extend_from_slice(&head.to_le_bytes());
        out.truncate(start + full);
        let plain = put_checked(out, t);
        if check_controls && !plain && find_control(text, true).is_some() {
            return false;
        }
        out.extend_from_slice(b"\r\n");
        if left == 0 {
            return true;
        }
    }
    false
}
