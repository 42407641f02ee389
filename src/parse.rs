//! The [`Parse`] and [`ParsePrefix`] traits: one shape for every parser in the crate.

use crate::{ParseError, ParseOptions, Status};

/// A value that can be parsed from its exact wire octets.
///
/// Every parseable value implements it: commands, replies, EHLO replies, SASL lines, and the
/// values inside them (domains, mailboxes, paths, enhanced codes, …). The value borrows from
/// the input; nothing is allocated. The types also have inherent `parse` and `parse_with`
/// methods that forward here, so a caller need not import the trait.
///
/// ```
/// use smtp_wire::{Command, Mailbox, Parse, ParseOptions};
///
/// fn parse_all<'a, T: Parse<'a>>(inputs: &[&'a [u8]]) -> Vec<T> {
///     inputs.iter().filter_map(|i| T::parse(i).ok()).collect()
/// }
/// let boxes: Vec<Mailbox<'_>> = parse_all(&[b"a@example.org", b"not a mailbox"]);
/// assert_eq!(boxes.len(), 1);
/// let utf8 = ParseOptions::default().with_smtputf8(true);
/// assert!(<Mailbox<'_> as Parse>::parse_with("jörg@example.org".as_bytes(), &utf8).is_ok());
/// assert!(<Command<'_> as Parse>::parse(b"NOOP\r\n").is_ok());
/// ```
pub trait Parse<'a>: Sized {
    /// Parses exactly `input` (all of it) under `opts`.
    fn parse_with(input: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError>;

    /// Parses exactly `input` with [`ParseOptions::STRICT`].
    fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        Self::parse_with(input, &ParseOptions::STRICT)
    }
}

/// A value the wire frames on its own (a command line, a reply, a SASL line), so that it can
/// be parsed from the front of a buffer that may hold less, or more, than one of it.
///
/// [`parse_prefix_with`](Self::parse_prefix_with) returns [`Status::Incomplete`] until the
/// value's last octet has arrived, then the value and the octets it took. The answer does not
/// depend on how the input was split into reads: an error is reported at the first octet that
/// makes the input unacceptable, which stays the first whatever follows it.
///
/// Values inside a line (a domain, a path) are not framed on their own (`example.org` may yet
/// become `example.org.uk`), so they implement only [`Parse`].
pub trait ParsePrefix<'a>: Parse<'a> {
    /// Parses the first value at the front of `buf` under `opts`, or asks for more input.
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError>;

    /// [`parse_prefix_with`](Self::parse_prefix_with) with [`ParseOptions::STRICT`].
    fn parse_prefix(buf: &'a [u8]) -> Result<Status<Self>, ParseError> {
        Self::parse_prefix_with(buf, &ParseOptions::STRICT)
    }
}

/// Inherent `parse` / `parse_with` (and, with `prefix`, `parse_prefix` /
/// `parse_prefix_with`) that forward to the traits, so callers need not import them.
macro_rules! inherent_parse {
    ($t:ident $(<$l:lifetime>)?) => {
        impl<'a> $t $(<$l>)? {
            /// Parses exactly `input` with strict options (see [`Parse`](crate::Parse)).
            pub fn parse(input: &'a [u8]) -> Result<Self, $crate::ParseError> {
                <Self as $crate::Parse<'a>>::parse(input)
            }

            /// Parses exactly `input` under `opts` (see [`Parse`](crate::Parse)).
            pub fn parse_with(input: &'a [u8], opts: &$crate::ParseOptions) -> Result<Self, $crate::ParseError> {
                <Self as $crate::Parse<'a>>::parse_with(input, opts)
            }
        }
    };
    (prefix $t:ident <$l:lifetime>) => {
        $crate::parse::inherent_parse!($t<$l>);

        impl<'a> $t<$l> {
            /// Parses the first value at the front of `buf` with strict options, or asks for
            /// more input (see [`ParsePrefix`](crate::ParsePrefix)).
            pub fn parse_prefix(buf: &'a [u8]) -> Result<$crate::Status<Self>, $crate::ParseError> {
                <Self as $crate::ParsePrefix<'a>>::parse_prefix(buf)
            }

            /// [`parse_prefix`](Self::parse_prefix) under `opts`.
            pub fn parse_prefix_with(
                buf: &'a [u8],
                opts: &$crate::ParseOptions,
            ) -> Result<$crate::Status<Self>, $crate::ParseError> {
                <Self as $crate::ParsePrefix<'a>>::parse_prefix_with(buf, opts)
            }
        }
    };
}
pub(crate) use inherent_parse;
