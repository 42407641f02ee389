//! CRLF lines with a length cap (RFC 5321 §2.3.8, §4.5.3.1); see the [framing](super) docs.

use memchr::{memchr, memchr2};

use crate::wire::swar::octets_eq;
use crate::{ParseError, ParseErrorKind, Status};

/// Whether `s` holds a CR or an LF: 16 octets at a time without branches (vector compares),
/// the last few as one block that overlaps octets already checked.
#[inline]
fn has_cr_lf(s: &[u8]) -> bool {
    // Shorter than a block (most command lines): the first and the last 8 (or 4) octets as
    // words, overlapping (exact zero-octet masks), or octet by octet under 4.
    if s.len() < 16 {
        let word = |w: u64| octets_eq(w, b'\r') | octets_eq(w, b'\n') != 0;
        return match (s.first_chunk::<8>(), s.last_chunk::<8>()) {
            (Some(a), Some(b)) => word(u64::from_le_bytes(*a)) || word(u64::from_le_bytes(*b)),
            // Two 4-octet halves, overlapping, in one word.
            _ => match (s.first_chunk::<4>(), s.last_chunk::<4>()) {
                (Some(a), Some(b)) => {
                    word(u64::from(u32::from_le_bytes(*a)) | (u64::from(u32::from_le_bytes(*b)) << 32))
                }
                _ => s.iter().any(|&c| c == b'\r' || c == b'\n'),
            },
        };
    }
    let block = |b: &[u8; 16]| b.iter().fold(0u8, |acc, &c| acc | u8::from(c == b'\r') | u8::from(c == b'\n')) != 0;
    let mut chunks = s.chunks_exact(16);
    if chunks.by_ref().any(|c| c.first_chunk::<16>().is_none_or(block)) {
        return true;
    }
    s.last_chunk::<16>().is_some_and(|b| !chunks.remainder().is_empty() && block(b))
}

/// Finds the end of the first line of `buf`.
///
/// Returns `Ok(Some(n))` where `n` is the length of the line including its CRLF, `Ok(None)` if
/// no CRLF has arrived yet and the line is still within `limit` octets, or the error at the
/// first octet that makes the line unacceptable (a bare CR, a bare LF, or octet `limit` when
/// no CRLF has arrived within `limit` octets).
///
/// The result is the same however `buf` was assembled: an error is reported at the first
/// offending octet, which stays the first however many octets follow it.
pub(crate) fn scan_line(buf: &[u8], limit: usize) -> Result<Option<usize>, ParseError> {
    let window = buf.get(..limit).unwrap_or(buf);
    // One scan for the first CR or LF: in a valid line that is the CR of its CRLF.
    let too_long = || Err(ParseError::new(limit, ParseErrorKind::LineTooLong { limit }));
    match memchr2(b'\r', b'\n', window) {
        Some(i) if window.get(i) == Some(&b'\n') => Err(ParseError::new(i, ParseErrorKind::BareLf)),
        Some(i) => match buf.get(i + 1) {
            Some(b'\n') if i + 2 <= limit => Ok(Some(i + 2)),
            Some(b'\n') => too_long(),
            Some(_) => Err(ParseError::new(i, ParseErrorKind::BareCr)),
            // The octet after the CR decides between a bare CR and the end of the line (which
            // may then be too long): wait for it, even at the limit.
            None => Ok(None),
        },
        None if buf.len() >= limit => too_long(),
        None => Ok(None),
    }
}

/// Checks that `input` is exactly one CRLF line of at most `limit` octets and returns it
/// without its CRLF. Inlined into its two callers (command and SASL response lines): the
/// common case is a few word compares.
#[inline(always)]
pub(crate) fn exact_line(input: &[u8], limit: usize) -> Result<&[u8], ParseError> {
    // The common case first: CRLF at the end, within the limit, and no CR or LF before it.
    // That is what the scan below would find, without a search for the position.
    if let Some(body) = input.strip_suffix(b"\r\n") {
        if input.len() <= limit && !has_cr_lf(body) {
            return Ok(body);
        }
    }
    exact_line_scan(input, limit)
}

/// [`exact_line`] by a scan for the line's end: the errors, and the lines its first test
/// leaves (a CR or LF before the end); kept out of line, so the test inlines small.
#[inline(never)]
fn exact_line_scan(input: &[u8], limit: usize) -> Result<&[u8], ParseError> {
    match scan_line(input, limit)? {
        Some(n) if n == input.len() => Ok(input.get(..n - 2).unwrap_or(&[])),
        Some(n) => Err(ParseError::new(n, ParseErrorKind::TrailingData)),
        None => Err(ParseError::new(input.len(), ParseErrorKind::MissingCrlf)),
    }
}

/// One framed line, or the report that an over-long line was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Line<'a> {
    /// A complete line, CRLF included.
    Complete(&'a [u8]),
    /// Octets of an over-long line were discarded (all of the buffer handed in, which holds
    /// no CRLF); the line has not ended yet.
    Discarding,
    /// A line longer than the limit ended; its octets were discarded without being interpreted.
    /// A server answers `500 5.5.6 Line too long` (RFC 5321 §4.2.5 has no dedicated code;
    /// Postfix and RFC 4954 §4 use 500 with 5.5.6).
    TooLong {
        /// How many octets the line had, CRLF included.
        len: usize,
    },
}

/// A streaming CRLF line framer that skips over-long lines to their CRLF.
///
/// Framing errors (bare CR, bare LF) are returned as errors: the stream cannot be
/// trusted past them and a server should answer and close. An over-long line is not an error
/// for the framer: it switches to discarding, consumes octets until the CRLF, and reports
/// [`Line::TooLong`], so the next line is never a fragment of the long one (that re-parse is how
/// some servers executed the tail of a long line as a command).
///
/// ```
/// use smtp_wire::framing::{Line, LineFramer};
/// use smtp_wire::Status;
///
/// let mut framer = LineFramer::new(8);
/// let input = b"AAAAAAAAAAAA\r\nQUIT\r\n";
/// let Status::Complete { value, consumed } = framer.next_line(input).unwrap() else { panic!() };
/// assert_eq!((value, consumed), (Line::TooLong { len: 14 }, 14));
/// let Status::Complete { value, .. } = framer.next_line(&input[consumed..]).unwrap() else { panic!() };
/// assert_eq!(value, Line::Complete(b"QUIT\r\n"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineFramer {
    limit: usize,
    /// `Some(n)`: discarding an over-long line of which `n` octets were consumed so far.
    skipping: Option<usize>,
    /// While skipping: the last consumed octet was a CR.
    last_cr: bool,
}

impl LineFramer {
    /// A framer for lines of at most `limit` octets, CRLF included (at least 3 is useful).
    pub const fn new(limit: usize) -> Self {
        Self { limit, skipping: None, last_cr: false }
    }

    /// The limit in force.
    pub const fn limit(&self) -> usize {
        self.limit
    }

    /// Changes the limit for the next line (a server raises it while it expects SASL lines).
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// Whether the framer is in the middle of discarding an over-long line.
    pub const fn is_skipping(&self) -> bool {
        self.skipping.is_some()
    }

    /// Frames the next line from the front of `buf`.
    ///
    /// On [`Status::Complete`] drop `consumed` octets before the next call; on
    /// [`Status::Incomplete`] call again with more octets appended.
    pub fn next_line<'a>(&mut self, buf: &'a [u8]) -> Result<Status<Line<'a>>, ParseError> {
        if let Some(seen) = self.skipping {
            return Ok(self.skip(buf, seen));
        }
        match scan_line(buf, self.limit) {
            Ok(Some(n)) => Ok(Status::Complete { value: Line::Complete(buf.get(..n).unwrap_or(&[])), consumed: n }),
            Ok(None) => Ok(Status::Incomplete),
            Err(e) if matches!(e.kind(), ParseErrorKind::LineTooLong { .. }) => {
                self.skipping = Some(0);
                self.last_cr = false;
                Ok(self.skip(buf, 0))
            }
            Err(e) => Err(e),
        }
    }

    /// Consumes octets of an over-long line up to its CRLF. Bare CR/LF inside the discarded
    /// part are not interpreted; only CRLF ends it.
    fn skip<'a>(&mut self, buf: &'a [u8], seen: usize) -> Status<Line<'a>> {
        let mut from = 0;
        if self.last_cr && buf.first() == Some(&b'\n') {
            self.skipping = None;
            self.last_cr = false;
            return Status::Complete { value: Line::TooLong { len: seen + 1 }, consumed: 1 };
        }
        loop {
            let rest = buf.get(from..).unwrap_or(&[]);
            match memchr(b'\n', rest) {
                Some(i) => {
                    let at = from + i;
                    if at > 0 && buf.get(at - 1) == Some(&b'\r') {
                        self.skipping = None;
                        self.last_cr = false;
                        return Status::Complete { value: Line::TooLong { len: seen + at + 1 }, consumed: at + 1 };
                    }
                    from = at + 1;
                }
                None if buf.is_empty() => return Status::Incomplete,
                None => {
                    self.last_cr = buf.last() == Some(&b'\r');
                    self.skipping = Some(seen + buf.len());
                    return Status::Complete { value: Line::Discarding, consumed: buf.len() };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use alloc::vec;

    use super::has_cr_lf;

    #[test]
    fn has_cr_lf_agrees_with_one_octet_at_a_time() {
        for len in 0..48 {
            assert!(!has_cr_lf(&vec![b'a'; len]));
            for at in 0..len {
                for c in [b'\r', b'\n', 0x8d, 0x8a, 0x0c] {
                    let mut s = vec![b'a'; len];
                    s[at] = c;
                    assert_eq!(has_cr_lf(&s), c == b'\r' || c == b'\n', "{len} {at} {c}");
                }
            }
        }
    }
}
