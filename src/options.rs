//! [`ParseOptions`]: strict by default; every leniency is a runtime switch with its risk
//! written down.
//!
//! Leniencies are never Cargo features: features unify across a dependency graph, so an
//! unrelated crate could switch a security-relevant leniency on for every user of this one.

use crate::Limits;

/// How a parser reads its input: the session state it depends on (SMTPUTF8), the limits, and
/// the leniencies a caller chose.
///
/// The default is the exact RFC grammar with the RFC 5321 §4.5.3.1 limits.
///
/// ```
/// use smtp_wire::{Command, ParseOptions};
///
/// assert!(Command::parse(b"MAIL FROM: <a@example.org>\r\n").is_err());
/// let lenient = ParseOptions::default().with_space_after_colon(true);
/// let cmd = Command::parse_with(b"MAIL FROM: <a@example.org>\r\n", &lenient).unwrap();
/// // The space is remembered, so the command re-encodes to the same bytes.
/// assert_eq!(smtp_wire::Encode::to_vec(&cmd), b"MAIL FROM: <a@example.org>\r\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ParseOptions {
    limits: Limits,
    smtputf8: bool,
    space_after_colon: bool,
}

impl ParseOptions {
    /// Strict options: RFC grammar, RFC 5321 limits, no SMTPUTF8.
    pub const STRICT: Self = Self { limits: Limits::RFC5321, smtputf8: false, space_after_colon: false };

    /// The limits in force.
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }
    /// Whether UTF-8 is accepted in mailboxes, domains and parameter values.
    pub const fn smtputf8(&self) -> bool {
        self.smtputf8
    }
    /// Whether `MAIL FROM: <path>` (a space after the colon) is accepted.
    pub const fn space_after_colon(&self) -> bool {
        self.space_after_colon
    }

    /// Sets the limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Accept UTF-8 local parts, U-label domains and UTF-8 parameter values (RFC 6531 §3.3).
    ///
    /// # Background
    /// This is session state, not a leniency: RFC 6531 allows UTF-8 in a transaction only when
    /// the server advertised `SMTPUTF8` and the client put `SMTPUTF8` on `MAIL`. A server sets
    /// this after it has seen both; without it any octet above 0x7F is
    /// [`NonAscii`](crate::ParseErrorKind::NonAscii). UTF-8 is always checked for
    /// well-formedness (RFC 3629): overlong forms, surrogates and truncated sequences are
    /// refused.
    #[must_use]
    pub const fn with_smtputf8(mut self, on: bool) -> Self {
        self.smtputf8 = on;
        self
    }

    /// Accept one space between `FROM:`/`TO:` and the path (`MAIL FROM: <a@b>`).
    ///
    /// # Background
    /// RFC 5321 §4.1.1.2 has no space there, but some clients send one and Postfix, Exim and
    /// Sendmail accept it. The risk is low: the path is still delimited by `<` and `>`, so no
    /// strict peer can read the command differently. The space is remembered in the command's
    /// [`Spelling`](crate::Spelling), so re-encoding gives back the same bytes.
    #[must_use]
    pub const fn with_space_after_colon(mut self, on: bool) -> Self {
        self.space_after_colon = on;
        self
    }
}
