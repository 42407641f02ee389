//! The octet level, below every grammar and every framer: the ABNF octet classes (one
//! definition each of text, atom, keyword, … and of a control character), the nom plumbing
//! (errors with octet offsets, splitting, numbers), the small lexical items shared by several
//! grammars, and the [`Sink`] every encoder writes into.
//!
//! Nothing here knows a command, a reply or a session.

pub(crate) mod class;
pub(crate) mod lex;
pub(crate) mod scan;
pub(crate) mod sink;
pub(crate) mod swar;

pub use sink::Encode;
pub(crate) use sink::{Counter, Sink, WriteWire, apply_case, case_mask, impl_encode, write_num};

/// Helpers for the unit tests of the grammars.
#[cfg(test)]
pub(crate) mod testing {
    use alloc::vec::Vec;

    /// Every string of up to `max_len` octets over `alphabet`, shortest first: the inputs an
    /// exhaustive test of a one-pass scanner against its full grammar runs over.
    pub(crate) fn strings(alphabet: &'static [u8], max_len: u32) -> impl Iterator<Item = Vec<u8>> {
        let base = alphabet.len() as u64;
        (0..=max_len).flat_map(move |len| {
            (0..base.pow(len)).map(move |mut code| {
                (0..len)
                    .map(|_| {
                        let c = alphabet.get((code % base) as usize).copied().unwrap_or(b'a');
                        code /= base;
                        c
                    })
                    .collect()
            })
        })
    }
}
