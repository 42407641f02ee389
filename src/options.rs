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
    exact_parameter_repeats: bool,
    utf8_envelope: bool,
}

impl ParseOptions {
    /// Strict options: RFC grammar, RFC 5321 limits, no SMTPUTF8.
    pub const STRICT: Self = Self {
        limits: Limits::RFC5321,
        smtputf8: false,
        space_after_colon: false,
        exact_parameter_repeats: false,
        utf8_envelope: false,
    };

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
    /// Whether an ESMTP parameter may repeat an earlier one written exactly the same.
    pub const fn exact_parameter_repeats(&self) -> bool {
        self.exact_parameter_repeats
    }
    /// Whether UTF-8 is accepted in the paths of MAIL and RCPT without SMTPUTF8.
    pub const fn utf8_envelope(&self) -> bool {
        self.utf8_envelope
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

    /// Accept an ESMTP parameter that repeats an earlier one of the same command written
    /// exactly the same (`BODY=8BITMIME SMTPUTF8 BODY=8BITMIME`).
    ///
    /// ```
    /// use smtp_wire::{Command, ParseOptions};
    ///
    /// let line = b"MAIL FROM:<a@example.org> size=42 BODY=8BITMIME SMTPUTF8 BODY=8BITMIME\r\n";
    /// assert!(Command::parse(line).is_err());
    /// let lenient = ParseOptions::default().with_exact_parameter_repeats(true);
    /// assert!(Command::parse_with(line, &lenient).is_ok());
    /// // A repeat with another value is still refused: two readers could take it two ways.
    /// assert!(Command::parse_with(b"MAIL FROM:<a@b> BODY=7BIT BODY=8BITMIME\r\n", &lenient).is_err());
    /// ```
    ///
    /// # Background
    /// RFC 5321 §4.1.2 and RFC 1869 §6 leave a repeated parameter undefined, and a repeat is
    /// where two parsers can disagree (the first wins in one, the last in another), so it is
    /// [`DuplicateParameter`](crate::ParseErrorKind::DuplicateParameter) by default. Python's
    /// smtplib sends `BODY=8BITMIME` twice on one MAIL line when it adds SMTPUTF8 to options
    /// that already hold it, and Postfix accepts that. An exact repeat cannot be read two
    /// ways, which is all this accepts: the same keyword (case-insensitively) with the same
    /// value octets. The line re-encodes exactly, and [`Params::iter`](crate::Params::iter)
    /// yields the parameter twice; the typed lookups read the first.
    #[must_use]
    pub const fn with_exact_parameter_repeats(mut self, on: bool) -> Self {
        self.exact_parameter_repeats = on;
        self
    }

    /// Accept UTF-8 local parts and U-label domains in the paths of `MAIL` and `RCPT` even
    /// when [`smtputf8`](Self::smtputf8) is off (ESMTP parameter values and other commands
    /// still need it).
    ///
    /// ```
    /// use smtp_wire::{Command, CommandBody, ParseOptions};
    ///
    /// let line = "RCPT TO:<jörg@example.org>\r\n".as_bytes();
    /// assert!(Command::parse(line).is_err());
    /// let lenient = ParseOptions::default().with_utf8_envelope(true);
    /// let cmd = Command::parse_with(line, &lenient).unwrap();
    /// let CommandBody::Rcpt { forward_path, .. } = cmd.body() else { unreachable!() };
    /// assert!(!forward_path.is_ascii()); // the message needs SMTPUTF8 downstream
    /// ```
    ///
    /// # Background
    /// RFC 6531 §3.2 lets a client put UTF-8 in the envelope only after it declared
    /// `SMTPUTF8` on `MAIL`, but swaks, msmtp and OpenSMTPD's smtp(1) send a UTF-8 recipient
    /// without it, and Postfix accepts them (it has no way to tell them apart from a client
    /// that would be confused by the 8-bit octets). The risk is downstream: a relay that
    /// passes such an address to a server that did not offer SMTPUTF8 sends octets that server
    /// never agreed to take. A receiver that turns this on should treat the transaction as
    /// needing SMTPUTF8 when a path is not ASCII ([`ReversePath::is_ascii`](crate::ReversePath::is_ascii),
    /// [`ForwardPath::is_ascii`](crate::ForwardPath::is_ascii)), and bounce rather than
    /// downgrade it. UTF-8 is still checked for well-formedness.
    #[must_use]
    pub const fn with_utf8_envelope(mut self, on: bool) -> Self {
        self.utf8_envelope = on;
        self
    }
}
