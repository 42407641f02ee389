//! Server replies (RFC 5321 §4.2): reply codes, single and multi-line replies, a builder that
//! writes only what a strict client reads back the same, and SASL challenges (RFC 4954 §4).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::enhanced::EnhancedCode;
use super::text::Base64;
use crate::parse::{enhanced, reply as grammar, text::check_base64};
use crate::{Limits, ParseError, ParseErrorKind, ParseOptions, Status};

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
    pub const fn new(code: u16) -> Result<Self, ParseError> {
        if grammar::valid_code(code) {
            Ok(Self(code))
        } else {
            Err(ParseError::new(0, ParseErrorKind::InvalidValue { what: "reply code (RFC 5321 §4.2: 2-5, 0-5, 0-9)" }))
        }
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
    type Error = ParseError;
    fn try_from(code: u16) -> Result<Self, ParseError> {
        Self::new(code)
    }
}

/// A whole server reply: one or more lines with the same code (RFC 5321 §4.2).
///
/// ```abnf
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF          ; RFC 5321 §4.2
/// textstring = 1*(%d09 / %d32-126)
/// ```
///
/// A reply is kept as its wire text, so it re-encodes to exactly the octets it was parsed
/// from; [`lines`](Self::lines) walks the lines without allocating, and each
/// [`ReplyLine`] finds its [`EnhancedCode`] (RFC 2034) on demand.
///
/// What is accepted:
/// - A bare code with or without its space (`250` CRLF, `334 ` CRLF): RFC 5321 §4.2 requires
///   clients to accept both (some clients reject the first).
/// - Continuation lines with empty text (`250-` CRLF).
/// - Text of HT and printable US-ASCII; with
///   [`ParseOptions::with_smtputf8`](crate::ParseOptions::with_smtputf8), also UTF-8 (RFC 6531
///   §3.7.4 lets a server use it once the client has used SMTPUTF8), checked for
///   well-formedness. Without it an octet above 0x7F is
///   [`NonAscii`](ParseErrorKind::NonAscii): which text a client may be sent is session state,
///   not a guess.
///
/// What is refused, at the first offending octet: codes outside `%x32-35 %x30-35 %x30-39`
/// (`199`, `600`, `260`), lines whose code differs from the first line's
/// ([`ReplyCodeMismatch`](ParseErrorKind::ReplyCodeMismatch)), anything but SP, `-` or CRLF
/// after the code (`250OK`), control characters (NUL included) in text, bare CR or LF, lines
/// over [`Limits::reply_line`] (512 octets with the code and CRLF, RFC 5321 §4.5.3.1.5;
/// a `334` line may be as long as [`Limits::sasl_line`]), and replies that go on past
/// [`Limits::reply_lines`] lines ([`TooManyReplyLines`](ParseErrorKind::TooManyReplyLines)).
///
/// ```
/// use smtp_wire::{Encode, EnhancedCode, Reply, Status};
///
/// let bytes = b"550-5.1.1 The email account that you tried to reach does not exist.\r\n\
///               550 5.1.1 Please try again.\r\n";
/// let reply = Reply::parse(bytes).unwrap();
/// assert_eq!(reply.code().as_u16(), 550);
/// assert_eq!(reply.enhanced_code(), Some(EnhancedCode::new(5, 1, 1).unwrap()));
/// let messages: Vec<&str> = reply.lines().map(|l| l.message()).collect();
/// assert_eq!(messages, ["The email account that you tried to reach does not exist.", "Please try again."]);
/// assert_eq!(reply.to_vec(), bytes);
///
/// // The first reply of a buffer; Incomplete until its last line has arrived.
/// assert_eq!(Reply::parse_prefix(b"250-first\r\n250 la").unwrap(), Status::Incomplete);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    pub(crate) code: ReplyCode,
    /// Every line with its CRLF, as on the wire.
    pub(crate) wire: Cow<'a, str>,
}

impl<'a> Reply<'a> {
    /// Parses exactly one whole reply (all its lines, each with its CRLF) with strict options.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ParseError> {
        Self::parse_with(bytes, &ParseOptions::STRICT)
    }

    /// Parses exactly one whole reply under `opts` (limits; UTF-8 text with SMTPUTF8).
    pub fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        match grammar::scan(bytes, opts, |_| Ok(()))? {
            Some((code, n)) if n == bytes.len() => Ok(Self::from_scanned(code, bytes)?),
            Some((_, n)) => Err(ParseError::new(n, ParseErrorKind::TrailingData)),
            None => Err(grammar::incomplete(bytes)),
        }
    }

    /// Parses the first reply at the front of `buf`, or asks for more input: a multi-line
    /// reply is [`Status::Incomplete`] until its last line has arrived.
    pub fn parse_prefix(buf: &'a [u8]) -> Result<Status<Self>, ParseError> {
        Self::parse_prefix_with(buf, &ParseOptions::STRICT)
    }

    /// [`parse_prefix`](Self::parse_prefix) under `opts`.
    pub fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        match grammar::scan(buf, opts, |_| Ok(()))? {
            Some((code, n)) => {
                let value = Self::from_scanned(code, buf.get(..n).unwrap_or(&[]))?;
                Ok(Status::Complete { value, consumed: n })
            }
            None => Ok(Status::Incomplete),
        }
    }

    /// A reply of one or more lines of `text` (split to fit 512-octet lines), without an
    /// enhanced code. See [`ReplyBuilder`] for more control.
    ///
    /// ```
    /// use smtp_wire::{Encode, Reply, ReplyCode};
    ///
    /// let reply = Reply::new(ReplyCode::OK, "Ok").unwrap();
    /// assert_eq!(reply.to_vec(), b"250 Ok\r\n");
    /// assert!(Reply::new(ReplyCode::OK, "Ok\r\n250 injected").is_err());
    /// ```
    pub fn new(code: ReplyCode, text: &str) -> Result<Reply<'static>, ParseError> {
        ReplyBuilder::new(code).line(text).build()
    }

    /// A [`ReplyBuilder`] for a reply with `code`.
    pub fn builder(code: ReplyCode) -> ReplyBuilder {
        ReplyBuilder::new(code)
    }

    pub(crate) fn from_scanned(code: u16, octets: &'a [u8]) -> Result<Self, ParseError> {
        Ok(Self { code: ReplyCode(code), wire: Cow::Borrowed(grammar::wire(octets)?) })
    }

    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The lines, first to last.
    pub fn lines(&self) -> ReplyLines<'_> {
        ReplyLines { rest: &self.wire, code: self.code }
    }

    /// The text of each line (after the code and its separator), first to last.
    pub fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        self.lines().map(|l| l.text())
    }

    /// How many lines the reply has.
    pub fn line_count(&self) -> usize {
        self.wire.matches("\r\n").count()
    }

    /// Whether the reply has more than one line.
    pub fn is_multiline(&self) -> bool {
        self.wire.as_bytes().get(3) == Some(&b'-')
    }

    /// The enhanced status code of the first line, if it has one (RFC 2034 §3; see
    /// [`ReplyLine::enhanced_code`]).
    pub fn enhanced_code(&self) -> Option<EnhancedCode> {
        self.lines().next().and_then(|l| l.enhanced_code())
    }

    /// The reply as on the wire: every line with its CRLF.
    pub fn as_str(&self) -> &str {
        &self.wire
    }

    /// Whether the text is all ASCII (else it needs an SMTPUTF8 session).
    pub fn is_ascii(&self) -> bool {
        self.wire.is_ascii()
    }

    /// The same reply, borrowing from this one.
    pub fn borrowed(&self) -> Reply<'_> {
        Reply { code: self.code, wire: Cow::Borrowed(&self.wire) }
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Reply<'static> {
        Reply { code: self.code, wire: Cow::Owned(self.wire.into_owned()) }
    }
}

/// One line of a [`Reply`], borrowed from it: `Reply-code ("-" / SP / nothing) [textstring]`
/// without its CRLF (RFC 5321 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyLine<'a> {
    line: &'a str,
    code: ReplyCode,
}

impl<'a> ReplyLine<'a> {
    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// Whether this is the last line (no `-` after the code).
    pub fn is_last(&self) -> bool {
        self.line.as_bytes().get(3) != Some(&b'-')
    }

    /// The text after the code and its separator: empty for a bare code (`250`) or an empty
    /// text (`250-`, `334 `).
    pub fn text(&self) -> &'a str {
        self.line.get(4..).unwrap_or("")
    }

    /// The enhanced status code at the start of the text, if there is one (RFC 2034 §3).
    ///
    /// The text must start with `class.subject.detail` in RFC 3463 form (subject and detail
    /// one to three digits without leading zeros), followed by SP or by the end of the text,
    /// and the class must be the first digit of the reply code. Anything else — `2.1.0Ok`,
    /// `5.01.1`, `2.1.1000`, a `5.x.y` code on a `250` line — is ordinary text, and this is
    /// `None`.
    ///
    /// ```
    /// use smtp_wire::Reply;
    ///
    /// let esc = |b: &[u8]| Reply::parse(b).unwrap().lines().next().unwrap().enhanced_code();
    /// assert_eq!(esc(b"250 2.1.5 Ok\r\n").unwrap().to_string(), "2.1.5");
    /// assert_eq!(esc(b"550 5.7.520 Access denied\r\n").unwrap().detail(), 520);
    /// assert_eq!(esc(b"250 5.1.1 text\r\n"), None); // class differs
    /// assert_eq!(esc(b"250 2.01.0 text\r\n"), None); // leading zero
    /// assert_eq!(esc(b"250 2.1.0Ok\r\n"), None); // no space after it
    /// ```
    pub fn enhanced_code(&self) -> Option<EnhancedCode> {
        enhanced::in_text(self.text(), grammar::class_digit(self.code)).map(|(c, _)| c)
    }

    /// The text without its enhanced status code and the space after it (the whole text when
    /// there is no enhanced code).
    pub fn message(&self) -> &'a str {
        match enhanced::in_text(self.text(), grammar::class_digit(self.code)) {
            Some((_, rest)) => rest,
            None => self.text(),
        }
    }

    /// The line as on the wire, without its CRLF.
    pub fn as_str(&self) -> &'a str {
        self.line
    }
}

/// Iterator over the lines of a [`Reply`], first to last (RFC 5321 §4.2: all but the last
/// have `-` after the code).
#[derive(Debug, Clone)]
pub struct ReplyLines<'a> {
    rest: &'a str,
    code: ReplyCode,
}

impl<'a> Iterator for ReplyLines<'a> {
    type Item = ReplyLine<'a>;
    fn next(&mut self) -> Option<ReplyLine<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = self.rest.split_once("\r\n").unwrap_or((self.rest, ""));
        self.rest = rest;
        Some(ReplyLine { line, code: self.code })
    }
}

/// Builds a [`Reply`] that every strict client reads back the same: the code and the text are
/// validated, long text is split into lines that fit the line limit, and an enhanced status
/// code, when given, opens every line (RFC 2034 §3).
///
/// ```
/// use smtp_wire::{Encode, EnhancedCode, Reply, ReplyCode};
///
/// let reply = Reply::builder(ReplyCode::MAILBOX_UNAVAILABLE)
///     .enhanced_code(EnhancedCode::new(5, 1, 1).unwrap())
///     .line("No such user here")
///     .line("See https://example.org/bounce")
///     .build()
///     .unwrap();
/// assert_eq!(reply.to_vec(), b"550-5.1.1 No such user here\r\n550 5.1.1 See https://example.org/bounce\r\n");
///
/// // Text is never allowed to start a new line or smuggle a NUL.
/// assert!(Reply::builder(ReplyCode::OK).line("a\nb").build().is_err());
/// assert!(Reply::builder(ReplyCode::OK).line("a\0b").build().is_err());
/// // The enhanced code's class must be the reply's first digit.
/// assert!(Reply::builder(ReplyCode::OK).enhanced_code(EnhancedCode::new(5, 0, 0).unwrap()).build().is_err());
/// ```
///
/// Text is written as given: text that itself starts with something shaped like an enhanced
/// code (`4.14.4 …` on a `459` reply) reads back as one, on that line only.
///
/// Splitting breaks at the last space that fits (dropping that space) or, in a word longer
/// than a line, at the last character that fits. A reply with no lines, or whose only line is
/// empty, is written as a bare code (`250` CRLF). Text may be UTF-8; such a reply can only be
/// sent in an SMTPUTF8 session (see [`Reply::is_ascii`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyBuilder {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    limits: Limits,
    texts: Vec<String>,
}

impl ReplyBuilder {
    /// A builder for a reply with `code`, RFC 5321 limits and no lines yet.
    pub fn new(code: ReplyCode) -> Self {
        Self { code, enhanced: None, limits: Limits::RFC5321, texts: Vec::new() }
    }

    /// Opens every line with `code` and a space (RFC 2034 §3). Its class must be the reply
    /// code's first digit, or [`build`](Self::build) fails.
    #[must_use]
    pub fn enhanced_code(mut self, code: EnhancedCode) -> Self {
        self.enhanced = Some(code);
        self
    }

    /// The line limit ([`Limits::reply_line`]) and line count ([`Limits::reply_lines`]) to
    /// build within (default: [`Limits::RFC5321`]).
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Adds one line of text, split into several if it does not fit one line.
    #[must_use]
    pub fn line(mut self, text: &str) -> Self {
        self.texts.push(String::from(text));
        self
    }

    /// Adds a line for each item.
    #[must_use]
    pub fn lines<'t>(mut self, texts: impl IntoIterator<Item = &'t str>) -> Self {
        self.texts.extend(texts.into_iter().map(String::from));
        self
    }

    /// Writes and checks the reply.
    ///
    /// Fails with [`InvalidValue`](ParseErrorKind::InvalidValue) on a control character
    /// (C0 but HT, DEL, and the C1 controls U+0080–U+009F, which some receivers and logs
    /// treat as line breaks; the offset is its index in the text), on an
    /// enhanced code whose class differs from the reply's, or when the line limit is too small
    /// for the code and one character; with
    /// [`TooManyReplyLines`](ParseErrorKind::TooManyReplyLines) when the text needs more lines
    /// than [`Limits::reply_lines`].
    pub fn build(&self) -> Result<Reply<'static>, ParseError> {
        if let Some(e) = self.enhanced {
            if e.class() != grammar::class_digit(self.code) {
                return Err(ParseError::new(
                    0,
                    ParseErrorKind::InvalidValue { what: "enhanced status code (class differs from the reply code)" },
                ));
            }
        }
        for t in &self.texts {
            if let Some((i, _)) = t.char_indices().find(|&(_, c)| c != '\t' && c.is_control()) {
                return Err(ParseError::new(
                    i,
                    ParseErrorKind::InvalidValue { what: "reply text (control character)" },
                ));
            }
        }
        let opts = ParseOptions::STRICT.with_smtputf8(true).with_limits(self.limits);
        let limit = grammar::line_limit(self.code.as_u16(), &opts);
        let mut wire = String::new();
        let lines = crate::encode::reply::write_lines(&mut wire, self.code, self.enhanced, &self.texts, limit)?;
        let max = self.limits.reply_lines().max(1);
        if lines > max {
            return Err(ParseError::new(0, ParseErrorKind::TooManyReplyLines { limit: max }));
        }
        // What was written must read back as exactly this reply.
        Reply::parse_with(wire.as_bytes(), &opts)?;
        Ok(Reply { code: self.code, wire: Cow::Owned(wire) })
    }
}

/// A SASL challenge: a `334` reply whose text is base64 (RFC 4954 §4), possibly empty.
///
/// ```abnf
/// continue-req = "334" SP [base64] CRLF     ; RFC 4954 §4
/// ```
///
/// A bare `334` CRLF (no space) is accepted as an empty challenge too: RFC 5321 §4.2 has
/// clients accept bare codes, and servers send it. The base64 must be canonical (RFC 4648
/// §3.5), as for client responses. A challenge line may be as long as
/// [`Limits::sasl_line`].
///
/// ```
/// use smtp_wire::{Encode, SaslChallenge};
///
/// let c = SaslChallenge::parse(b"334 VXNlcm5hbWU6\r\n").unwrap();
/// assert_eq!(c.decode(), b"Username:");
/// assert!(SaslChallenge::parse(b"334\r\n").unwrap().data().as_str().is_empty());
/// assert!(SaslChallenge::parse(b"334 Username:\r\n").is_err());
/// assert!(SaslChallenge::parse(b"235 2.7.0 Ok\r\n").is_err());
/// assert_eq!(SaslChallenge::from_bytes(b"Password:").to_vec(), b"334 UGFzc3dvcmQ6\r\n");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SaslChallenge<'a> {
    reply: Reply<'a>,
}

impl fmt::Debug for SaslChallenge<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SaslChallenge").field(&self.data()).finish()
    }
}

/// The line check of a SASL challenge: code 334, one line, base64 text.
fn challenge_line(line: grammar::Line<'_>) -> Result<(), ParseError> {
    if line.code() != 334 {
        return Err(ParseError::new(line.start, ParseErrorKind::UnexpectedReplyCode { expected: 334 }));
    }
    if !line.last {
        let kind = ParseErrorKind::Syntax { expected: "one-line 334 challenge (RFC 4954 §4)" };
        return Err(ParseError::new(line.start + 3, kind));
    }
    let text = line.text();
    check_base64(text).map_err(|e| grammar::shift(text, e, line.text_start()))
}

impl<'a> SaslChallenge<'a> {
    /// Parses exactly one challenge line, CRLF included.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ParseError> {
        Self::parse_with(bytes, &ParseOptions::STRICT)
    }

    /// Parses exactly one challenge line under `opts`.
    pub fn parse_with(bytes: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        match grammar::scan(bytes, opts, challenge_line)? {
            Some((code, n)) if n == bytes.len() => Ok(Self { reply: Reply::from_scanned(code, bytes)? }),
            Some((_, n)) => Err(ParseError::new(n, ParseErrorKind::TrailingData)),
            None => Err(grammar::incomplete(bytes)),
        }
    }

    /// Parses the challenge at the front of `buf`, or asks for more input.
    pub fn parse_prefix(buf: &'a [u8]) -> Result<Status<Self>, ParseError> {
        Self::parse_prefix_with(buf, &ParseOptions::STRICT)
    }

    /// [`parse_prefix`](Self::parse_prefix) under `opts`.
    pub fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        match grammar::scan(buf, opts, challenge_line)? {
            Some((code, n)) => {
                let reply = Reply::from_scanned(code, buf.get(..n).unwrap_or(&[]))?;
                Ok(Status::Complete { value: Self { reply }, consumed: n })
            }
            None => Ok(Status::Incomplete),
        }
    }

    /// The challenge `334 <data>` (RFC 4954 §4: with the space even when `data` is empty).
    pub fn new(data: &Base64<'_>) -> SaslChallenge<'static> {
        let mut wire = String::with_capacity(data.as_str().len() + 6);
        wire.push_str("334 ");
        wire.push_str(data.as_str());
        wire.push_str("\r\n");
        SaslChallenge { reply: Reply { code: ReplyCode::AUTH_CHALLENGE, wire: Cow::Owned(wire) } }
    }

    /// The challenge carrying `bytes`, base64-encoded.
    pub fn from_bytes(bytes: &[u8]) -> SaslChallenge<'static> {
        SaslChallenge::new(&Base64::encode(bytes))
    }

    /// The base64 text (empty for an empty challenge).
    pub fn data(&self) -> Base64<'_> {
        Base64(Cow::Borrowed(self.reply.lines().next().map_or("", |l| l.text())))
    }

    /// The decoded challenge.
    pub fn decode(&self) -> Vec<u8> {
        self.data().decode()
    }

    /// The challenge as a reply.
    pub fn reply(&self) -> &Reply<'a> {
        &self.reply
    }

    /// The challenge as a reply, by value.
    pub fn into_reply(self) -> Reply<'a> {
        self.reply
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> SaslChallenge<'static> {
        SaslChallenge { reply: self.reply.into_owned() }
    }
}

/// Checks an already parsed reply as a challenge; offsets are into the reply's wire text.
fn check_challenge(reply: &Reply<'_>) -> Result<(), ParseError> {
    let wire = reply.wire.as_bytes();
    let first = wire.split(|&c| c == b'\n').next().unwrap_or(&[]);
    let octets = first.strip_suffix(b"\r").unwrap_or(first);
    let last = !reply.is_multiline();
    challenge_line(grammar::Line { index: 0, start: 0, octets, last })
}

impl<'a> TryFrom<Reply<'a>> for SaslChallenge<'a> {
    type Error = ParseError;
    fn try_from(reply: Reply<'a>) -> Result<Self, ParseError> {
        check_challenge(&reply)?;
        Ok(Self { reply })
    }
}

impl<'r> TryFrom<&'r Reply<'_>> for SaslChallenge<'r> {
    type Error = ParseError;
    fn try_from(reply: &'r Reply<'_>) -> Result<Self, ParseError> {
        check_challenge(reply)?;
        Ok(Self { reply: reply.borrowed() })
    }
}
