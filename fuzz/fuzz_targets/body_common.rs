//! Shared by the body fuzz targets: the configuration a fuzz input selects, and the split
//! points it chooses.
#![allow(dead_code)]

use smtp_wire::framing::{BareLineEnds, BodyConfig};

/// A decoder configuration from two fuzz bytes: every policy, line limits small enough to be
/// reached (3..=66, 1000, none) and size limits small enough to be reached.
pub fn config(sel: u8, size: u16) -> BodyConfig {
    let policy = match sel % 3 {
        0 => BareLineEnds::Reject,
        1 => BareLineEnds::Normalize,
        _ => BareLineEnds::Allow,
    };
    let max_line = match (sel >> 2) % 4 {
        0 => Some(1000),
        1 => None,
        _ => Some(3 + usize::from(sel >> 4) * 4),
    };
    let max_size = ((sel >> 6) & 1 == 1).then_some(u64::from(size % 512));
    BodyConfig::default().with_bare_line_ends(policy).with_max_line(max_line).with_max_size(max_size)
}

/// Cut points from fuzz bytes: each byte is the length of the next piece (0 allowed).
pub fn cuts(splits: &[u8], len: usize) -> Vec<usize> {
    let mut at = 0usize;
    let mut v = Vec::new();
    for &s in splits {
        at += usize::from(s);
        if at > len {
            break;
        }
        v.push(at);
    }
    v
}
