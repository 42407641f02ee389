//! Replies to their exact wire octets (RFC 5321 §4.2), and the line writer behind
//! [`ReplyBuilder`](crate::ReplyBuilder).

use alloc::string::String;
use alloc::vec::Vec;

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

/// Splits `text` into pieces of at most `avail` octets: at the last space that fits (the
/// space is dropped), or in a word longer than that, at the last character boundary that
/// fits.
fn split<'t>(text: &'t str, avail: usize, limit: usize, out: &mut Vec<&'t str>) -> Result<(), BuildError> {
    let mut rest = text;
    while rest.len() > avail {
        let bytes = rest.as_bytes();
        let space = bytes.iter().take(avail + 1).rposition(|&c| c == b' ').filter(|&p| p > 0 && p + 1 < rest.len());
        let (piece, tail) = match space {
            Some(p) => (rest.get(..p).unwrap_or(""), rest.get(p + 1..).unwrap_or("")),
            None => {
                let cut = (0..=avail).rev().find(|&k| rest.is_char_boundary(k)).unwrap_or(0);
                if cut == 0 {
                    return Err(too_small(limit).at(text.len() - rest.len()));
                }
                rest.split_at_checked(cut).unwrap_or((rest, ""))
            }
        };
        out.push(piece);
        rest = tail;
    }
    out.push(rest);
    Ok(())
}

/// The refusal of a line limit that cannot hold the code, the enhanced code and a character.
fn too_small(limit: usize) -> BuildError {
    BuildError::new("reply line limit (too small for the text)", BuildErrorKind::TooLong { limit })
}

/// Writes the lines of a reply with `code`, each text split to fit `limit` octets (code and
/// CRLF included) and opened by `enhanced` when given. Returns the number of lines.
pub(crate) fn write_lines(
    out: &mut Vec<u8>,
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    texts: &[String],
    limit: usize,
) -> Result<usize, BuildError> {
    // "250-" + [code + " "] + text + CRLF
    let overhead = 4 + 2 + enhanced.map_or(0, |e| enhanced_len(e) + 1);
    let avail = limit.saturating_sub(overhead);
    let mut pieces: Vec<&str> = Vec::with_capacity(texts.len().max(1));
    for (k, t) in texts.iter().enumerate() {
        if !t.is_empty() && avail == 0 {
            return Err(too_small(limit).item(k));
        }
        split(t, avail.max(1), limit, &mut pieces).map_err(|e| e.item(k))?;
    }
    if pieces.is_empty() {
        pieces.push("");
    }
    let n = pieces.len();
    for (k, piece) in pieces.iter().enumerate() {
        write_num(out, u64::from(code.as_u16()));
        let last = k + 1 == n;
        if !last {
            out.put(b"-");
        } else if enhanced.is_some() || !piece.is_empty() {
            out.put(b" ");
        }
        if let Some(e) = enhanced {
            write_enhanced(out, e);
            if !piece.is_empty() {
                out.put(b" ");
            }
        }
        out.put(piece.as_bytes());
        out.put(b"\r\n");
    }
    Ok(n)
}
