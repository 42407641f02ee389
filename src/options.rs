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
    malformed_capabilities: bool,
    loose_reply_text: bool,
}

impl ParseOptions {
    /// Strict options: RFC grammar, RFC 5321 limits, no SMTPUTF8.
    pub const STRICT: Self = Self {
        limits: Limits::RFC5321,
        smtputf8: false,
        space_after_colon: false,
        exact_parameter_repeats: false,
        utf8_envelope: false,
        malformed_capabilities: false,
        loose_reply_text: false,
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

    /// Whether an EHLO capability line whose parameters break its grammar is kept as
    /// [`Capability::Malformed`](crate::Capability::Malformed) (see
    /// [`with_malformed_capabilities`](Self::with_malformed_capabilities)).
    pub const fn malformed_capabilities(&self) -> bool {
        self.malformed_capabilities
    }
    /// Whether reply text may carry any octet but NUL, CR and LF (see
    /// [`with_loose_reply_text`](Self::with_loose_reply_text)).
    pub const fn loose_reply_text(&self) -> bool {
        self.loose_reply_text
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

    /// Keep an EHLO capability whose parameters do not match its grammar as
    /// [`Capability::Malformed`](crate::Capability::Malformed) ("present, value unusable")
    /// instead of refusing the whole EHLO reply, and read a capability line with trailing
    /// spaces as if they were not there.
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply, Encode, Extension, ParseErrorKind, ParseOptions};
    ///
    /// let bytes = b"250-mx.example.org\r\n250-SIZE 10M\r\n250-PIPELINING \r\n250 AUTH PLAIN\r\n";
    /// let err = EhloReply::parse(bytes).unwrap_err();
    /// assert_eq!((err.kind(), err.offset()), (ParseErrorKind::InvalidCapability { keyword: "SIZE" }, 29));
    /// let tolerant = ParseOptions::default().with_malformed_capabilities(true);
    /// let ehlo = EhloReply::parse_with(bytes, &tolerant).unwrap();
    /// assert!(ehlo.supports(Extension::Size)); // present …
    /// assert_eq!(ehlo.size_limit(), None); // … value unusable
    /// assert!(matches!(ehlo.capability(Extension::Size), Some(Capability::Malformed { .. })));
    /// assert_eq!(ehlo.capability(Extension::Pipelining), Some(Capability::Pipelining));
    /// assert_eq!(ehlo.to_vec(), bytes); // the wire text is kept as it was
    /// ```
    ///
    /// # Background
    /// RFC 5321 §4.1.1.1 gives every `ehlo-line` the shape `ehlo-keyword *(SP ehlo-param)`,
    /// and each extension's RFC narrows its parameters (`SIZE` takes `1*20DIGIT`, RFC 1870
    /// §4). Servers break both: `SIZE 10M`, `SIZE -1`, a size of more than 20 digits, a
    /// keyword line ending in a space, a tab or an 8-bit octet after the keyword. Strictly,
    /// one such line makes the whole reply unreadable, and a client that refuses the reply
    /// cannot send mail to a server it could talk to.
    ///
    /// With this switch a line that starts with a well-formed keyword followed by SP, HT,
    /// `=` or the end of the line is never an error (whatever octets the reply text allows
    /// may follow: see [`with_loose_reply_text`](Self::with_loose_reply_text)):
    /// - trailing spaces after the keyword or its parameters are ignored when the line is
    ///   typed (`PIPELINING ` is [`Capability::Pipelining`](crate::Capability::Pipelining));
    /// - a keyword whose parameters still break the generic or its own grammar is
    ///   [`Capability::Malformed`](crate::Capability::Malformed), with the text after the
    ///   keyword verbatim: [`supports`](crate::EhloReply::supports) says the extension is
    ///   offered, and the typed lookups ([`size_limit`](crate::EhloReply::size_limit),
    ///   [`auth_mechanisms`](crate::EhloReply::auth_mechanisms),
    ///   [`limits`](crate::EhloReply::limits)) find no value in it.
    ///
    /// A space after the server's name on the first line with no greeting after it
    /// (`250-mx.example.org `) is accepted too.
    ///
    /// A line that does not start with a keyword (`250- SIZE`, an empty line), a keyword
    /// followed by anything but SP, HT, `=` or the end of the line (`SIZE.5`), the reply
    /// framing (CRLF, one code, `-` on every line but the last, the line length and count
    /// limits) and the first line (code 250, the server's name) stay strict.
    ///
    /// The risk is that the client acts on an offer it cannot read: it knows a server
    /// takes `SIZE` but not its limit (so it may send a message the server then refuses
    /// with 552 after DATA, RFC 1870 §6), or that `AUTH` is offered with mechanisms it cannot
    /// read (so it does not authenticate). No line is read as another keyword than the one
    /// it starts with, so no offer is invented; the wire text is kept as it was, so the reply
    /// re-encodes to the same octets.
    #[must_use]
    pub const fn with_malformed_capabilities(mut self, on: bool) -> Self {
        self.malformed_capabilities = on;
        self
    }

    /// Accept reply text with any octet but CR, LF and NUL: the control characters that RFC
    /// 5321 §4.2 `textstring` (HT and printable US-ASCII) leaves out (ESC, BS, DEL …), UTF-8
    /// even when [`smtputf8`](Self::smtputf8) is off, and octets that are not UTF-8 at all
    /// (Latin-1, a binary command echoed back).
    ///
    /// ```
    /// use smtp_wire::{Encode, ParseErrorKind, ParseOptions, Reply};
    ///
    /// let bytes = b"500 Error: command \"\x01\x7f\" not recognized\r\n";
    /// let err = Reply::parse(bytes).unwrap_err();
    /// assert_eq!(err.offset(), 20);
    /// let loose = ParseOptions::default().with_loose_reply_text(true);
    /// let reply = Reply::parse_with(bytes, &loose).unwrap();
    /// assert_eq!(reply.code().as_u16(), 500);
    /// assert_eq!(reply.to_vec(), bytes);
    /// // Octets that are not UTF-8 are kept as they were: the byte views are exact.
    /// let reply = Reply::parse_with(b"220 Gr\xfc\xdf Gott\r\n", &loose).unwrap();
    /// assert_eq!(reply.lines().next().unwrap().text_bytes(), b"Gr\xfc\xdf Gott");
    /// assert_eq!(reply.to_string(), r"220 Gr\xfc\xdf Gott"); // shown escaped
    /// // Framing stays strict: NUL, a bare CR or LF are refused.
    /// let err = Reply::parse_with(b"500 a\0b\r\n", &loose).unwrap_err();
    /// assert_eq!((err.kind(), err.offset()), (ParseErrorKind::Syntax { expected: "reply text: any octet but NUL, CR and LF" }, 5));
    /// assert_eq!(Reply::parse_with(b"500 a\nb\r\n", &loose).unwrap_err().kind(), ParseErrorKind::BareLf);
    /// ```
    ///
    /// # Background
    /// Servers put into their replies what they were sent: aiosmtpd, Python's smtpd and many
    /// appliances echo an unrecognized command verbatim, control characters and 8-bit octets
    /// included (`500 Error: command "\xff\xfe" not recognized`); localized servers write
    /// UTF-8 in greetings and errors without SMTPUTF8, and old ones Latin-1. RFC 5321
    /// §4.1.1.1 even allows controls (and NUL) in the EHLO greeting (`ehlo-greet =
    /// 1*(%d0-9 / %d11-12 / %d14-127)`) where §4.2 `textstring` does not; strictly, this crate
    /// holds every reply line, the greeting included, to `textstring`, since a `Reply` is read
    /// before it is known to answer EHLO. Refusing such text makes the client give up on a
    /// reply whose code it could read.
    ///
    /// A [`Reply`](crate::Reply) keeps its text as the octets it was read from (borrowed, not
    /// copied), so such a reply re-encodes exactly. Its byte views
    /// ([`Reply::as_bytes`](crate::Reply::as_bytes),
    /// [`ReplyLine::text_bytes`](crate::ReplyLine::text_bytes)) are exact; its `&str` views
    /// give the text when it is UTF-8 and the empty string when it is not (see
    /// [Text that is not UTF-8](crate::Reply#text-that-is-not-utf-8)).
    ///
    /// What stays refused: CR and LF anywhere but in the CRLF that ends a line (the framing
    /// is never loosened), and NUL (C code and logs read it as the end of the text, so two
    /// readers could disagree on what a reply said). The code, the separators and the line
    /// limits are checked as before.
    ///
    /// The risk is in what the application does with the text: it may carry terminal escape
    /// sequences (ESC) or backspaces that rewrite what a log viewer shows, and octets that a
    /// 7-bit or UTF-8 downstream cannot carry. Show or log it escaped (a reply's `Display`
    /// does that); do not forward it as a reply of your own (a [`Server`](crate::Server)
    /// refuses to send text that is not UTF-8).
    #[must_use]
    pub const fn with_loose_reply_text(mut self, on: bool) -> Self {
        self.loose_reply_text = on;
        self
    }
}
