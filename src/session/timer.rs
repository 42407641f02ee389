//! The server timeouts of RFC 5321 §4.5.3.2.

use core::time::Duration;

/// How long a server waits for the client (RFC 5321 §4.5.3.2).
///
/// Time is never read from a clock: the caller passes `now` (any monotonic epoch) and asks
/// the machine for its next deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Timeouts {
    /// Waiting for the next command (also for a SASL response line). RFC 5321 §4.5.3.2.7:
    /// "An SMTP server SHOULD have a timeout of at least 5 minutes while it is awaiting the
    /// next command from the sender." Default 5 minutes.
    pub command: Duration,
    /// Waiting for more octets of a message body (DATA or a BDAT chunk). A client may wait
    /// up to 3 minutes between data blocks (RFC 5321 §4.5.3.2.5); the server waits longer
    /// than that, as Postfix (`smtpd_timeout`, 300 s) does. Default 5 minutes.
    pub data: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self::RFC5321
    }
}

impl Timeouts {
    /// Five minutes for both (RFC 5321 §4.5.3.2.7).
    pub const RFC5321: Self = Self { command: Duration::from_secs(300), data: Duration::from_secs(300) };

    /// Sets [`command`](Self::command).
    #[must_use]
    pub const fn with_command(mut self, timeout: Duration) -> Self {
        self.command = timeout;
        self
    }

    /// Sets [`data`](Self::data).
    #[must_use]
    pub const fn with_data(mut self, timeout: Duration) -> Self {
        self.data = timeout;
        self
    }
}
