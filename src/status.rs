//! [`Status`]: the result of parsing from the front of a buffer that may not hold a whole
//! message yet.

/// The outcome of a `parse_prefix` call: a complete value and how many octets it used, or a
/// request for more input. Running out of input is not an error.
///
/// ```
/// use smtp_wire::{Command, Status};
///
/// assert_eq!(Command::parse_prefix(b"QUIT").unwrap(), Status::Incomplete);
/// match Command::parse_prefix(b"QUIT\r\nNOOP\r\n").unwrap() {
///     Status::Complete { value, consumed } => {
///         assert_eq!(consumed, 6);
///         assert_eq!(value, Command::parse(b"QUIT\r\n").unwrap());
///     }
///     Status::Incomplete => unreachable!(),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A whole value was found at the front of the buffer.
    Complete {
        /// The value.
        value: T,
        /// How many octets from the front of the buffer it took; drop them before the next call.
        consumed: usize,
    },
    /// The buffer does not yet hold a whole value: read more and call again with the same
    /// octets at the front.
    Incomplete,
}

impl<T> Status<T> {
    /// `true` for [`Status::Complete`].
    pub const fn is_complete(&self) -> bool {
        matches!(self, Self::Complete { .. })
    }

    /// The value and the octets consumed, if complete.
    pub fn complete(self) -> Option<(T, usize)> {
        match self {
            Self::Complete { value, consumed } => Some((value, consumed)),
            Self::Incomplete => None,
        }
    }

    /// Maps the value of a complete status.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Status<U> {
        match self {
            Self::Complete { value, consumed } => Status::Complete { value: f(value), consumed },
            Self::Incomplete => Status::Incomplete,
        }
    }
}
