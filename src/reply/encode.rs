//! Replies to their exact wire octets (RFC 5321 §4.2), and the line writer behind
//! [`ReplyBuilder`](crate::ReplyBuilder).

use alloc::string::String;

use super::{EnhancedCode, Reply, ReplyCode, SaslChallenge};
use crate::wire::{Sink, WriteWire, impl_encode, write_num};
use crate::{BuildError, BuildErrorKind};

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

/// Writes `class.subject.detail`.
pub(crate) fn write_enhanced(out: &mut impl Sink, code: EnhancedCode) {
    write_num(out, u64::from(code.class()));
    out.put(b".");
    write_num(out, u64::from(code.subject()));
    out.put(b".");
    write_num(out, u64::from(code.detail()));
}

/// Length of `class.subject.detail` on the wire.
fn enhanced_len(code: EnhancedCode) -> usize {
    let digits = |n: u16| {
        if n >= 100 {
            3
        } else if n >= 10 {
            2
        } else {
            1
        }
    };
    3 + digits(code.subject()) + digits(code.detail())
}

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

/// Writes the lines of a reply with `code` (`count` texts), each text split to fit `limit` octets (code and
/// CRLF included) and opened by `enhanced` when given. Returns the number of lines.
///
/// Each piece is written as it is cut, straight into `out` (text as `str`, the codes as ASCII):
/// no list of pieces, and nothing to check again afterwards.
pub(crate) fn write_lines<'t>(
    out: &mut String,
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    texts: impl Iterator<Item = &'t str>,
    count: usize,
    limit: usize,
) -> Result<usize, BuildError> {
    // "250-" + [code + " "] + text + CRLF
    let overhead = 4 + 2 + enhanced.map_or(0, |e| enhanced_len(e) + 1);
    let avail = limit.saturating_sub(overhead);
    let mut digits = [0u8; 3];
    let mut c = code.as_u16();
    for d in digits.iter_mut().rev() {
        *d = b'0' + (c % 10) as u8;
        c /= 10;
    }
    let mut esc = [0u8; 24];
    let esc_len = match enhanced {
        Some(e) => {
            let mut w = Buf { buf: &mut esc, len: 0 };
            write_enhanced(&mut w, e);
            w.len
        }
        None => 0,
    };
    let esc = esc.get(..esc_len).unwrap_or(&[]);
    let line = |out: &mut String, piece: &str, last: bool| {
        out.put_ascii(&digits);
        if !last {
            out.push('-');
        } else if enhanced.is_some() || !piece.is_empty() {
            out.push(' ');
        }
        if enhanced.is_some() {
            out.put_ascii(esc);
            if !piece.is_empty() {
                out.push(' ');
            }
        }
        out.push_str(piece);
        out.push_str("\r\n");
    };
    if count == 0 {
        line(out, "", true);
        return Ok(1);
    }
    let mut n = 0usize;
    for (k, t) in texts.enumerate() {
        if !t.is_empty() && avail == 0 {
            return Err(too_small(limit).item(k));
        }
        let last_text = k + 1 == count;
        let mut rest = t;
        loop {
            let Some((piece, tail)) = cut(rest, avail.max(1)) else {
                return Err(too_small(limit).at(t.len() - rest.len()).item(k));
            };
            line(out, piece, last_text && tail.is_none());
            n += 1;
            match tail {
                Some(tail) => rest = tail,
                None => break,
            }
        }
    }
    Ok(n)
}

/// A fixed buffer for the enhanced code's text (at most `5.999.999`).
struct Buf<'b> {
    buf: &'b mut [u8; 24],
    len: usize,
}

impl Sink for Buf<'_> {
    fn put(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }
}
