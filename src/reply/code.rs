//! Reply codes (RFC 5321 §4.2): the three digits, what the first two mean, and the codes the
//! RFCs name.

use core::fmt;

use crate::{BuildError, BuildErrorKind};

/// A reply code (RFC 5321 §4.2): three digits, the first 2–5, the second 0–5.
///
/// ```abnf
/// Reply-code = %x32-35 %x30-35 %x30-39      ; RFC 5321 §4.2
/// ```
///
/// The first digit says how the command went ([`class`](Self::class), RFC 5321 §4.2.1), the
/// second what the reply is about ([`category`](Self::category)).
///
/// ```
/// use smtp_wire::{ReplyClass, ReplyCode};
///
/// let code = ReplyCode::new(451).unwrap();
/// assert_eq!(code.class(), ReplyClass::TransientNegative);
/// assert!(code.is_transient() && !code.is_positive());
/// assert_eq!(code.to_string(), "451");
/// assert!(ReplyCode::new(199).is_err());
/// assert!(ReplyCode::new(260).is_err()); // second digit above 5
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

/// How a command went: the first digit of a [`ReplyCode`] (RFC 5321 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReplyClass {
    /// `2yz` Positive Completion: the action succeeded.
    PositiveCompletion,
    /// `3yz` Positive Intermediate: accepted, waiting for more (`354` after DATA, `334` in
    /// AUTH).
    PositiveIntermediate,
    /// `4yz` Transient Negative Completion: not done, a later attempt may succeed.
    TransientNegative,
    /// `5yz` Permanent Negative Completion: not done, do not repeat as is.
    PermanentNegative,
}

/// What a reply is about: the second digit of a [`ReplyCode`] (RFC 5321 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReplyCategory {
    /// `x0z` Syntax errors, and syntactically correct commands that fit no category.
    Syntax,
    /// `x1z` Information: status, help.
    Information,
    /// `x2z` Connections: the transmission channel.
    Connections,
    /// `x3z` Unspecified.
    Unspecified3,
    /// `x4z` Unspecified.
    Unspecified4,
    /// `x5z` Mail system: the receiver's state for the requested transfer.
    MailSystem,
}

impl ReplyCode {
    /// `211` System status, or system help reply.
    pub const SYSTEM_STATUS: Self = Self(211);
    /// `214` Help message.
    pub const HELP: Self = Self(214);
    /// `220` Service ready (the greeting; also the answer to STARTTLS, RFC 3207 §4).
    pub const SERVICE_READY: Self = Self(220);
    /// `221` Service closing transmission channel.
    pub const CLOSING: Self = Self(221);
    /// `235` Authentication succeeded (RFC 4954 §6).
    pub const AUTH_SUCCEEDED: Self = Self(235);
    /// `250` Requested mail action okay, completed.
    pub const OK: Self = Self(250);
    /// `251` User not local; will forward.
    pub const USER_NOT_LOCAL: Self = Self(251);
    /// `252` Cannot VRFY user, but will accept message and attempt delivery.
    pub const CANNOT_VERIFY: Self = Self(252);
    /// `334` SASL challenge (RFC 4954 §4).
    pub const AUTH_CHALLENGE: Self = Self(334);
    /// `354` Start mail input; end with CRLF.CRLF.
    pub const START_MAIL_INPUT: Self = Self(354);
    /// `421` Service not available, closing transmission channel.
    pub const SERVICE_NOT_AVAILABLE: Self = Self(421);
    /// `450` Requested mail action not taken: mailbox unavailable.
    pub const MAILBOX_BUSY: Self = Self(450);
    /// `451` Requested action aborted: local error in processing.
    pub const LOCAL_ERROR: Self = Self(451);
    /// `452` Requested action not taken: insufficient system storage.
    pub const INSUFFICIENT_STORAGE: Self = Self(452);
    /// `454` TLS not available due to temporary reason (RFC 3207 §4); temporary
    /// authentication failure (RFC 4954 §6).
    pub const TLS_NOT_AVAILABLE: Self = Self(454);
    /// `500` Syntax error, command unrecognized (also: line too long).
    pub const SYNTAX_ERROR: Self = Self(500);
    /// `501` Syntax error in parameters or arguments.
    pub const PARAMETER_SYNTAX_ERROR: Self = Self(501);
    /// `502` Command not implemented.
    pub const NOT_IMPLEMENTED: Self = Self(502);
    /// `503` Bad sequence of commands.
    pub const BAD_SEQUENCE: Self = Self(503);
    /// `504` Command parameter not implemented.
    pub const PARAMETER_NOT_IMPLEMENTED: Self = Self(504);
    /// `530` Authentication required (RFC 4954 §6); must issue STARTTLS first (RFC 3207 §4).
    pub const AUTH_REQUIRED: Self = Self(530);
    /// `535` Authentication credentials invalid (RFC 4954 §6).
    pub const AUTH_INVALID: Self = Self(535);
    /// `550` Requested action not taken: mailbox unavailable.
    pub const MAILBOX_UNAVAILABLE: Self = Self(550);
    /// `552` Requested mail action aborted: exceeded storage allocation.
    pub const EXCEEDED_STORAGE: Self = Self(552);
    /// `553` Requested action not taken: mailbox name not allowed.
    pub const MAILBOX_NAME_NOT_ALLOWED: Self = Self(553);
    /// `554` Transaction failed (or, as a greeting, no SMTP service here).
    pub const TRANSACTION_FAILED: Self = Self(554);
    /// `555` MAIL FROM/RCPT TO parameters not recognized or not implemented.
    pub const PARAMETERS_NOT_RECOGNIZED: Self = Self(555);

    /// The code `code`, if it is a valid reply code (200–559, second digit 0–5).
    pub const fn new(code: u16) -> Result<Self, BuildError> {
        if code >= 200 && code <= 559 && (code / 10) % 10 <= 5 {
            Ok(Self(code))
        } else {
            Err(BuildError::new("reply code (RFC 5321 §4.2: 2-5, 0-5, 0-9)", BuildErrorKind::OutOfRange))
        }
    }

    /// The code of a line the reply framer checked (three digits in range).
    pub(crate) const fn from_checked(code: u16) -> Self {
        Self(code)
    }

    /// The first digit (2 to 5): the class an enhanced status code must share (RFC 3463 §2).
    pub(crate) const fn class_digit(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// The code as a number.
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// The first digit as a [`ReplyClass`].
    pub const fn class(self) -> ReplyClass {
        match self.0 / 100 {
            2 => ReplyClass::PositiveCompletion,
            3 => ReplyClass::PositiveIntermediate,
            4 => ReplyClass::TransientNegative,
            _ => ReplyClass::PermanentNegative,
        }
    }

    /// The second digit as a [`ReplyCategory`].
    pub const fn category(self) -> ReplyCategory {
        match (self.0 / 10) % 10 {
            0 => ReplyCategory::Syntax,
            1 => ReplyCategory::Information,
            2 => ReplyCategory::Connections,
            3 => ReplyCategory::Unspecified3,
            4 => ReplyCategory::Unspecified4,
            _ => ReplyCategory::MailSystem,
        }
    }

    /// `2yz` or `3yz`: the command was accepted (RFC 5321 §4.2.1).
    pub const fn is_positive(self) -> bool {
        self.0 < 400
    }

    /// `2yz`: done.
    pub const fn is_completion(self) -> bool {
        self.0 < 300
    }

    /// `3yz`: accepted, more input expected.
    pub const fn is_intermediate(self) -> bool {
        self.0 >= 300 && self.0 < 400
    }

    /// `4yz`: failed this time; the client may try again.
    pub const fn is_transient(self) -> bool {
        self.0 >= 400 && self.0 < 500
    }

    /// `5yz`: failed; the client should not repeat the same request.
    pub const fn is_permanent(self) -> bool {
        self.0 >= 500
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

impl TryFrom<u16> for ReplyCode {
    type Error = BuildError;
    fn try_from(code: u16) -> Result<Self, BuildError> {
        Self::new(code)
    }
}
