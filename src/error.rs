//! Errors: what was wrong, and where.
//!
//! Every parser in the crate reports a [`ParseError`]: a [`ParseErrorKind`] that says what was
//! wrong and the byte offset, counted from the start of the input handed to the parser, of the
//! first octet that could not be accepted. Incomplete input is not an error: the `parse_prefix`
//! functions return [`Status::Incomplete`](crate::Status::Incomplete) for it.
//!
//! Constructors and builders, which take values rather than wire input, report a
//! [`BuildError`] instead: which value was refused, which item of a list it was, where in its
//! text, and why.

use core::fmt;

/// A parse failure: what was wrong ([`kind`](Self::kind)) and the byte offset where it was
/// found ([`offset`](Self::offset)).
///
/// ```
/// use smtp_wire::{Command, ParseErrorKind};
///
/// let err = Command::parse(b"MAIL FROM:<a@b> SIZE=x\r\n").unwrap_err();
/// assert_eq!(err.offset(), 21);
/// assert!(matches!(err.kind(), ParseErrorKind::InvalidParameterValue { .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParseError {
    offset: usize,
    kind: ParseErrorKind,
}

impl ParseError {
    /// An error of `kind` at byte `offset`.
    pub const fn new(offset: usize, kind: ParseErrorKind) -> Self {
        Self { offset, kind }
    }

    /// Byte offset of the first octet that could not be accepted, from the start of the input.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// What was wrong.
    pub const fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// The same error with its offset moved `by` octets further (used when a parser ran on a
    /// slice that starts `by` octets into a larger input).
    #[must_use]
    pub const fn shifted(self, by: usize) -> Self {
        Self { offset: self.offset.saturating_add(by), kind: self.kind }
    }
}

/// What was wrong with the input.
///
/// Marked `#[non_exhaustive]`: new kinds may be added as the crate learns new grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The line is longer than `limit` octets (CRLF included) — RFC 5321 §4.5.3.1. A framer
    /// skips such a line to its CRLF without interpreting any of it.
    LineTooLong {
        /// The limit in force, in octets including the CRLF.
        limit: usize,
    },
    /// A CR that is not followed by LF (RFC 5321 §2.3.8: only CRLF ends a line).
    BareCr,
    /// An LF that is not preceded by CR (RFC 5321 §2.3.8).
    BareLf,
    /// The input ended without the CRLF that must end it.
    MissingCrlf,
    /// Octets follow the CRLF that ends the line (an exact parse takes one line only).
    TrailingData,
    /// The grammar wanted something else here; `expected` names it.
    Syntax {
        /// What the grammar expected at the offset, e.g. `"'<'"` or `"domain"`.
        expected: &'static str,
    },
    /// A command verb that the grammar of a known command does not allow (e.g. `DATA x`).
    UnexpectedArgument,
    /// An octet above 0x7F where SMTPUTF8 (RFC 6531) has not been negotiated.
    NonAscii,
    /// Octets above 0x7F that are not well-formed UTF-8 (RFC 3629).
    InvalidUtf8,
    /// A local part longer than `limit` octets (RFC 5321 §4.5.3.1.1).
    LocalPartTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A domain longer than `limit` octets (RFC 5321 §4.5.3.1.2).
    DomainTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A path longer than `limit` octets, angle brackets included (RFC 5321 §4.5.3.1.3).
    PathTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// An address literal that is not IPv4, IPv6 or a general literal (RFC 5321 §4.1.3).
    InvalidAddressLiteral,
    /// A number too large for its field (e.g. a `SIZE=` or `BDAT` size past `u64::MAX`, or more
    /// digits than the grammar allows).
    NumberOverflow,
    /// A parameter value that its extension's grammar does not allow; `keyword` names the
    /// parameter.
    InvalidParameterValue {
        /// The parameter, upper case, e.g. `"SIZE"`.
        keyword: &'static str,
    },
    /// The same ESMTP parameter appears twice in one command.
    DuplicateParameter,
    /// A known ESMTP parameter on the wrong command (e.g. `NOTIFY` on `MAIL`).
    ParameterNotAllowed,
    /// Text that should be base64 (RFC 4648 §4, as RFC 4954 requires) is not.
    InvalidBase64,
    /// xtext (RFC 3461 §4) that is malformed: `+` must be followed by two upper-case hex digits.
    InvalidXtext,
    /// An RFC 3339 `date-time` (HOLDUNTIL, RFC 4865; RRVS, RFC 7293) that is malformed.
    InvalidTimestamp,
    // Message bodies (RFC 5321 §4.1.1.4, RFC 3030)
    /// The message body is longer than `limit` octets, counted as RFC 1870 §3 counts them
    /// (every octet of the body including its CRLFs, without the stuffing dots and the
    /// end-of-data marker). The offset is that of the first octet past the limit; the body was
    /// still read to its end. A server answers `552 5.3.4` (RFC 1870 §6.3, RFC 3463 §3.4).
    MessageTooLarge {
        /// The limit in force, in octets.
        limit: u64,
    },
    /// A `BDAT` chunk after the chunk marked `LAST` (RFC 3030 §2: "MUST be replied to with a
    /// 503"). Its octets were still read, so the session stays in step; RSET is required.
    BdatAfterLast,
    /// A new `BDAT` chunk was started before all octets of the previous one were read.
    ChunkInProgress,
    // Replies (RFC 5321 §4.2)
    /// A line of a multi-line reply carries a different code from the first line (RFC 5321
    /// §4.2.1: "the same reply code MUST be used on every line"). The offset is the first digit
    /// that differs.
    ReplyCodeMismatch,
    /// A reply goes on past `limit` lines: the line at the offset would be line `limit` and still
    /// has the `-` of a continuation (see [`Limits::reply_lines`](crate::Limits::reply_lines)).
    TooManyReplyLines {
        /// The limit in force, in lines.
        limit: usize,
    },
    /// A well-formed reply with a code this reply type does not take (an EHLO reply must be
    /// `250`, RFC 5321 §4.1.1.1; a SASL challenge `334`, RFC 4954 §4).
    UnexpectedReplyCode {
        /// The code that was required.
        expected: u16,
    },
    /// A known EHLO capability whose parameters its extension's grammar does not allow (e.g.
    /// `SIZE x`, RFC 1870 §4; `STARTTLS now`, RFC 3207 §4); `keyword` names the capability.
    InvalidCapability {
        /// The capability, upper case, e.g. `"SIZE"`.
        keyword: &'static str,
    },
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LineTooLong { limit } => write!(f, "line longer than {limit} octets"),
            Self::BareCr => f.write_str("bare CR (not followed by LF)"),
            Self::BareLf => f.write_str("bare LF (not preceded by CR)"),
            Self::MissingCrlf => f.write_str("missing CRLF at the end of the line"),
            Self::TrailingData => f.write_str("data after the end of the line"),
            Self::Syntax { expected } => write!(f, "expected {expected}"),
            Self::UnexpectedArgument => f.write_str("argument not allowed here"),
            Self::NonAscii => f.write_str("8-bit octet without SMTPUTF8"),
            Self::InvalidUtf8 => f.write_str("invalid UTF-8"),
            Self::LocalPartTooLong { limit } => write!(f, "local part longer than {limit} octets"),
            Self::DomainTooLong { limit } => write!(f, "domain longer than {limit} octets"),
            Self::PathTooLong { limit } => write!(f, "path longer than {limit} octets"),
            Self::InvalidAddressLiteral => f.write_str("invalid address literal"),
            Self::NumberOverflow => f.write_str("number too large"),
            Self::InvalidParameterValue { keyword } => write!(f, "invalid {keyword} value"),
            Self::DuplicateParameter => f.write_str("duplicate parameter"),
            Self::ParameterNotAllowed => f.write_str("parameter not allowed on this command"),
            Self::InvalidBase64 => f.write_str("invalid base64"),
            Self::InvalidXtext => f.write_str("invalid xtext"),
            Self::InvalidTimestamp => f.write_str("invalid RFC 3339 date-time"),
            Self::MessageTooLarge { limit } => write!(f, "message larger than {limit} octets"),
            Self::BdatAfterLast => f.write_str("BDAT after the LAST chunk"),
            Self::ChunkInProgress => f.write_str("BDAT chunk started before the previous one ended"),
            Self::ReplyCodeMismatch => f.write_str("reply line with a different code"),
            Self::TooManyReplyLines { limit } => write!(f, "reply longer than {limit} lines"),
            Self::UnexpectedReplyCode { expected } => write!(f, "reply code other than {expected}"),
            Self::InvalidCapability { keyword } => write!(f, "invalid {keyword} capability"),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl core::error::Error for ParseError {}

/// A value that a constructor or builder refused: [`what`](Self::what) value, which
/// [`index`](Self::index) of a list it was (when a list was given), the octet
/// [`offset`](Self::offset) in its text (when the refusal is at one octet), and
/// [`kind`](Self::kind), why.
///
/// Values built from parts are checked before they exist, so that whatever can be constructed
/// encodes to octets every strict peer reads back as the same value. This is not a
/// [`ParseError`]: there is no wire input, so no offset into one.
///
/// ```
/// use smtp_wire::{BuildErrorKind, LocalPart, Reply, ReplyCode};
///
/// let err = LocalPart::new("bob\r\nRCPT TO:<x@y>").unwrap_err();
/// assert_eq!((err.what(), err.offset(), err.kind()), ("local part", Some(3), BuildErrorKind::ControlCharacter));
/// let err = Reply::builder(ReplyCode::OK).line("fine").line("next\u{85}line").build().unwrap_err();
/// assert_eq!((err.index(), err.offset()), (Some(1), Some(4)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BuildError {
    what: &'static str,
    index: Option<usize>,
    offset: Option<usize>,
    kind: BuildErrorKind,
}

impl BuildError {
    /// `what` was refused for `kind`, with no position.
    pub const fn new(what: &'static str, kind: BuildErrorKind) -> Self {
        Self { what, index: None, offset: None, kind }
    }

    /// `what` was refused because its text does not match its grammar: `err` is the parse
    /// error of that text, its offset the offset into the text.
    pub const fn grammar(what: &'static str, err: ParseError) -> Self {
        Self { what, index: None, offset: Some(err.offset()), kind: BuildErrorKind::Grammar(err.kind()) }
    }

    /// The same error at octet `offset` of the refused text.
    #[must_use]
    pub const fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The same error for item `index` of the list that was given.
    #[must_use]
    pub const fn item(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }

    /// The value or field that was refused, e.g. `"local part"`, `"reply text"`.
    pub const fn what(&self) -> &'static str {
        self.what
    }

    /// For a list (reply lines, capabilities, parameters), the index of the refused item.
    pub const fn index(&self) -> Option<usize> {
        self.index
    }

    /// The octet offset in the refused text (a `str` byte index), when the refusal is at one.
    pub const fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// Why it was refused.
    pub const fn kind(&self) -> BuildErrorKind {
        self.kind
    }
}

/// Why a constructor or builder refused a value (see [`BuildError`]).
///
/// Marked `#[non_exhaustive]`: new kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// A control character: C0 (U+0000 to U+001F, HT excepted where the text allows it), DEL
    /// (U+007F) or C1 (U+0080 to U+009F). They have no wire form in SMTP's ASCII grammar
    /// (RFC 5321 §4.1.2, §4.2), and in UTF-8 text (RFC 6531) receivers and logs read some of
    /// them, such as U+0085 NEL, as line breaks.
    ControlCharacter,
    /// The text does not match the value's grammar; the [`ParseErrorKind`] says how.
    Grammar(ParseErrorKind),
    /// The value is longer than `limit` octets.
    TooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A number outside its range (e.g. a reply code's digits, an enhanced code's class).
    OutOfRange,
    /// An `Other` variant (capability, parameter, verb) with a keyword the crate types: use
    /// the typed variant, which is what a parser would read back.
    KnownKeyword,
    /// The enhanced status code's class differs from the reply code's first digit (RFC 3463
    /// §2, RFC 2034 §3).
    ClassMismatch,
    /// The text needs more than `limit` reply lines.
    TooManyLines {
        /// The limit in force.
        limit: usize,
    },
    /// The value is empty where it may not be.
    Empty,
}

impl fmt::Display for BuildErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ControlCharacter => f.write_str("control character"),
            Self::Grammar(kind) => write!(f, "{kind}"),
            Self::TooLong { limit } => write!(f, "longer than {limit} octets"),
            Self::OutOfRange => f.write_str("out of range"),
            Self::KnownKeyword => f.write_str("keyword of a typed variant"),
            Self::ClassMismatch => f.write_str("enhanced code class differs from the reply code"),
            Self::TooManyLines { limit } => write!(f, "more than {limit} lines"),
            Self::Empty => f.write_str("empty"),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.what, self.kind)?;
        if let Some(i) = self.index {
            write!(f, " (item {i})")?;
        }
        if let Some(o) = self.offset {
            write!(f, " at byte {o}")?;
        }
        Ok(())
    }
}

impl core::error::Error for BuildError {}
