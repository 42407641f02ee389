//! What the server and client state machines share: the TLS posture and its outcome, the
//! [`Handled`] result of feeding input, the RFC 5321 §4.5.3.2 timeouts, and the pipelining
//! rules (RFC 2920) that decide when replies are flushed; and the [`Received`] trace field
//! that records a hop's TLS outcome in the message.
//!
//! Nothing here does IO, reads a clock or links a TLS library: time is a
//! [`Duration`](core::time::Duration) from any monotonic epoch the caller picks, and TLS
//! facts ([`TlsInfo`]) come from the caller's TLS library.

mod handled;
pub(crate) mod pipeline;
mod received;
mod timer;
mod tls;

pub use handled::Handled;
pub use received::{Received, ReceivedWith, rfc5322_date};
pub use timer::Timeouts;
pub use tls::{PlaintextReason, TlsInfo, TlsOutcome, TlsPolicy, Transport};
