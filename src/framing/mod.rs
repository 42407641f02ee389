//! Framing: where a line (or, in later modules, a message body) ends.
//!
//! This is the only place where "need more bytes" is decided. Everything above it parses one
//! complete line with complete-input combinators.

pub mod line;

pub use line::{Line, LineFramer};
