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
