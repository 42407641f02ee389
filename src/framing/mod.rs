//! Framing: where a command line, a reply or a message body ends.
//!
//! This is the only place where "need more bytes" is decided, and there is one line-end rule
//! for all of it: CRLF only, a bare CR or bare LF refused at its offset, a limit in octets
//! (RFC 5321 §2.3.8, §4.5.3.1). Everything above it parses complete input with
//! complete-input combinators.

pub mod bdat;
pub mod data;
pub mod line;
pub(crate) mod reply;

pub use bdat::{BdatDecoder, BdatEncoder, BdatEvent, ChunkEnd};
pub use data::{BareLineEnds, BodyConfig, BodySummary, DataDecoder, DataEncoder, DataEvent, Decoded, EncoderConfig};
pub use line::{Line, LineFramer};
