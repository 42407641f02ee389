//! Framing: where a line (or, in later modules, a message body) ends.
//!
//! This is the only place where "need more bytes" is decided. Everything above it parses one
//! complete line with complete-input combinators.

pub mod bdat;
pub mod data;
pub mod line;

pub use bdat::{BdatDecoder, BdatEncoder, BdatEvent, ChunkEnd};
pub use data::{BareLineEnds, BodyConfig, BodySummary, DataDecoder, DataEncoder, DataEvent, Decoded, EncoderConfig};
pub use line::{Line, LineFramer};
