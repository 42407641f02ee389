//! [`Handled`]: what one call that feeds input to a state machine did.

/// The result of handing input to a state machine: how many octets it consumed and at most
/// one event.
///
/// The caller drops `consumed` octets from the front of its buffer and keeps the rest: those
/// octets are presented again, with more appended, on the next call. The machine copies no
/// input: an event may borrow from the slice that was handed in.
///
/// `event: None` means the machine has done all it can with the input it was given: read
/// more (and transmit what is pending) before calling again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[must_use]
pub struct Handled<E> {
    /// Octets consumed from the front of the input.
    pub consumed: usize,
    /// What happened, if anything the application must see.
    pub event: Option<E>,
}
