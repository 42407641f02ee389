//! Server replies (RFC 5321 §4.2): reply codes, single and multi-line replies, enhanced status
//! codes (RFC 3463, RFC 2034), a builder that writes only what a strict client reads back the
//! same, and SASL challenges (RFC 4954 §4).
//!
//! The values live here and in [`code`], [`enhanced`] and [`sasl`]; [`grammar`] reads them
//! (the multi-line framing itself is [`framing::reply`](crate::framing)), [`builder`] and
//! [`encode`] write them, and [`text`] views and shows reply text that need not be UTF-8.

mod builder;
mod code;
pub(crate) mod encode;
mod enhanced;
pub(crate) mod grammar;
mod sasl;
pub(crate) mod text;

pub use builder::ReplyBuilder;
pub use code::{ReplyCategory, ReplyClass, ReplyCode};
pub use enhanced::EnhancedCode;
pub use sasl::SaslChallenge;

use alloc::borrow::Cow;
use core::fmt;

use enhanced::in_text;
use text::{DebugOctets, lossy, utf8_or_empty, write_escaped};

/// A whole server reply: one or more lines with the same code (RFC 5321 §4.2).
///
/// ```abnf
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF          ; RFC 5321 §4.2
/// textstring = 1*(%d09 / %d32-126)
/// ```
///
/// A reply is kept as its wire octets, so it re-encodes to exactly the octets it was parsed
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
///   [`NonAscii`](crate::ParseErrorKind::NonAscii): which text a client may be sent is session state,
///   not a guess.
/// - With [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text),
///   text with any octet but NUL, CR and LF: controls, UTF-8 without SMTPUTF8, and octets
///   that are not UTF-8 at all (a Latin-1 greeting, a binary command echoed back). Only the
///   text is loosened; everything refused below for the framing stays refused.
///
/// What is refused, at the first offending octet: codes outside `%x32-35 %x30-35 %x30-39`
/// (`199`, `600`, `260`), lines whose code differs from the first line's
/// ([`ReplyCodeMismatch`](crate::ParseErrorKind::ReplyCodeMismatch)), anything but SP, `-` or CRLF
/// after the code (`250OK`), control characters (NUL included) in text, bare CR or LF, lines
/// over [`Limits::reply_line`](crate::Limits::reply_line) (512 octets with the code and CRLF, RFC 5321 §4.5.3.1.5;
/// a `334` line may be as long as [`Limits::sasl_line`](crate::Limits::sasl_line)), and replies that go on past
/// [`Limits::reply_lines`](crate::Limits::reply_lines) lines ([`TooManyReplyLines`](crate::ParseErrorKind::TooManyReplyLines)).
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
///
/// # Text that is not UTF-8
/// Every reply parsed without
/// [`with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text), and every reply
/// built here, is UTF-8 (ASCII unless SMTPUTF8): for those the `&str` views
/// ([`as_str`](Self::as_str), [`texts`](Self::texts), [`ReplyLine::text`],
/// [`ReplyLine::message`]) are the whole truth. A loosely parsed reply may carry other octets;
/// the octets are what the reply is, and these views say so:
/// - the byte views are exact: [`as_bytes`](Self::as_bytes), [`ReplyLine::as_bytes`],
///   [`ReplyLine::text_bytes`], [`ReplyLine::message_bytes`];
/// - [`is_utf8`](Self::is_utf8) and [`ReplyLine::to_str`] tell whether a `str` view is
///   possible;
/// - the `&str` views give the text when it is UTF-8 and the empty string when it is not
///   (never a part of it, never a rewritten copy);
/// - [`ReplyLine::text_lossy`] and [`ReplyLine::message_lossy`] replace what is not UTF-8
///   with U+FFFD, and [`Display`](fmt::Display) escapes it (`\xNN`), as it escapes control
///   characters: use them to show or log a reply.
///
/// ```
/// use smtp_wire::{Encode, ParseOptions, Reply};
///
/// // aiosmtpd echoes a command it did not recognize as it was sent.
/// let bytes = b"500 Error: command \"\xff\xfe\" not recognized\r\n";
/// assert!(Reply::parse(bytes).is_err());
/// let loose = ParseOptions::default().with_loose_reply_text(true);
/// let reply = Reply::parse_with(bytes, &loose).unwrap();
/// let line = reply.lines().next().unwrap();
/// assert_eq!(line.text_bytes(), b"Error: command \"\xff\xfe\" not recognized");
/// assert_eq!(line.text_lossy(), "Error: command \"\u{fffd}\u{fffd}\" not recognized");
/// assert_eq!((line.to_str(), line.text(), reply.is_utf8()), (None, "", false));
/// assert_eq!(reply.to_string(), r#"500 Error: command "\xff\xfe" not recognized"#);
/// assert_eq!(reply.to_vec(), bytes); // exactly what was read
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    pub(crate) code: ReplyCode,
    /// Every line with its CRLF, as on the wire.
    pub(crate) wire: Cow<'a, [u8]>,
}

impl<'a> Reply<'a> {
    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The lines, first to last.
    pub fn lines(&self) -> ReplyLines<'_> {
        ReplyLines { rest: &self.wire, code: self.code }
    }

    /// The text of each line (after the code and its separator), first to last, as
    /// [`ReplyLine::text`] gives it: the empty string for a line whose text is not UTF-8.
    pub fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        self.lines().map(|l| l.text())
    }

    /// How many lines the reply has.
    pub fn line_count(&self) -> usize {
        // Every LF in a reply ends a line (bare LF is refused).
        memchr::memchr_iter(b'\n', &self.wire).count()
    }

    /// Whether the reply has more than one line.
    pub fn is_multiline(&self) -> bool {
        self.wire.get(3) == Some(&b'-')
    }

    /// The enhanced status code of the first line, if it has one (RFC 2034 §3; see
    /// [`ReplyLine::enhanced_code`]).
    pub fn enhanced_code(&self) -> Option<EnhancedCode> {
        self.lines().next().and_then(|l| l.enhanced_code())
    }

    /// The reply as on the wire: every line with its CRLF, octet for octet.
    pub fn as_bytes(&self) -> &[u8] {
        &self.wire
    }

    /// The reply as on the wire, when it is UTF-8; the empty string when it is not (only
    /// possible under [`with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text):
    /// see [`as_bytes`](Self::as_bytes) and [`to_str`](Self::to_str)).
    pub fn as_str(&self) -> &str {
        utf8_or_empty(&self.wire)
    }

    /// The reply as on the wire, if it is UTF-8.
    pub fn to_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.wire).ok()
    }

    /// Whether the text is all ASCII (else it needs an SMTPUTF8 session, or was read loosely).
    pub fn is_ascii(&self) -> bool {
        self.wire.is_ascii()
    }

    /// Whether the text is UTF-8 (always, unless the reply was parsed under
    /// [`with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text)).
    pub fn is_utf8(&self) -> bool {
        self.to_str().is_some()
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

impl fmt::Debug for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply").field("code", &self.code).field("wire", &DebugOctets(&self.wire)).finish()
    }
}

/// The lines as on the wire, separated by `\n` (no CRLF after the last), with `\` and the
/// control characters but HT escaped (`\\`, `\x1b`, `\u{85}`) and every octet that is not
/// UTF-8 as `\xNN`: safe to show or log, and nothing is lost.
impl fmt::Display for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, line) in self.lines().enumerate() {
            if k > 0 {
                f.write_str("\n")?;
            }
            fmt::Display::fmt(&line, f)?;
        }
        Ok(())
    }
}

/// One line of a [`Reply`], borrowed from it: `Reply-code ("-" / SP / nothing) [textstring]`
/// without its CRLF (RFC 5321 §4.2).
///
/// The text is octets (see [Text that is not UTF-8](Reply#text-that-is-not-utf-8)): the
/// `*_bytes` views are exact, the `&str` views are the text when it is UTF-8 and empty when it
/// is not, the `*_lossy` views replace what is not UTF-8.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyLine<'a> {
    line: &'a [u8],
    code: ReplyCode,
}

impl<'a> ReplyLine<'a> {
    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// Whether this is the last line (no `-` after the code).
    pub fn is_last(&self) -> bool {
        self.line.get(3) != Some(&b'-')
    }

    /// The text after the code and its separator: empty for a bare code (`250`) or an empty
    /// text (`250-`, `334 `).
    pub fn text_bytes(&self) -> &'a [u8] {
        self.line.get(4..).unwrap_or(&[])
    }

    /// The text after the code and its separator, when it is UTF-8 (always, unless the reply
    /// was parsed under [`with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text));
    /// else the empty string. Empty too for a bare code (`250`) or an empty text (`250-`,
    /// `334 `). See [`text_bytes`](Self::text_bytes) and [`text_lossy`](Self::text_lossy).
    pub fn text(&self) -> &'a str {
        utf8_or_empty(self.text_bytes())
    }

    /// The text with every sequence that is not UTF-8 replaced by U+FFFD (a copy only then).
    pub fn text_lossy(&self) -> Cow<'a, str> {
        lossy(self.text_bytes())
    }

    /// The enhanced status code at the start of the text, if there is one (RFC 2034 §3).
    ///
    /// The text must start with `class.subject.detail` in RFC 3463 form (subject and detail
    /// one to three digits without leading zeros), followed by SP or by the end of the text,
    /// and the class must be the first digit of the reply code. Anything else — `2.1.0Ok`,
    /// `5.01.1`, `2.1.1000`, a `5.x.y` code on a `250` line — is ordinary text, and this is
    /// `None`. What follows the code does not matter (it need not be UTF-8).
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
        in_text(self.text_bytes(), self.code.class_digit()).map(|(c, _)| c)
    }

    /// The text without its enhanced status code and the space after it (the whole text when
    /// there is no enhanced code).
    pub fn message_bytes(&self) -> &'a [u8] {
        match in_text(self.text_bytes(), self.code.class_digit()) {
            Some((_, rest)) => rest,
            None => self.text_bytes(),
        }
    }

    /// [`message_bytes`](Self::message_bytes) when it is UTF-8, else the empty string (as
    /// [`text`](Self::text)).
    pub fn message(&self) -> &'a str {
        utf8_or_empty(self.message_bytes())
    }

    /// [`message_bytes`](Self::message_bytes) with every sequence that is not UTF-8 replaced
    /// by U+FFFD (a copy only then).
    pub fn message_lossy(&self) -> Cow<'a, str> {
        lossy(self.message_bytes())
    }

    /// The line as on the wire, without its CRLF.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.line
    }

    /// The line as on the wire, without its CRLF, when it is UTF-8; else the empty string
    /// (see [`to_str`](Self::to_str)).
    pub fn as_str(&self) -> &'a str {
        utf8_or_empty(self.line)
    }

    /// The line as on the wire, without its CRLF, if it is UTF-8.
    pub fn to_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.line).ok()
    }

    /// Whether the line is UTF-8, so that the `&str` views show all of it.
    pub fn is_utf8(&self) -> bool {
        self.to_str().is_some()
    }
}

impl fmt::Debug for ReplyLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyLine").field("line", &DebugOctets(self.line)).field("code", &self.code).finish()
    }
}

/// The line as on the wire, without its CRLF, escaped as [`Reply`]'s `Display` is.
impl fmt::Display for ReplyLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.line)
    }
}

/// Iterator over the lines of a [`Reply`], first to last (RFC 5321 §4.2: all but the last
/// have `-` after the code).
#[derive(Clone)]
pub struct ReplyLines<'a> {
    rest: &'a [u8],
    code: ReplyCode,
}

impl fmt::Debug for ReplyLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyLines").field("rest", &DebugOctets(self.rest)).field("code", &self.code).finish()
    }
}

impl<'a> Iterator for ReplyLines<'a> {
    type Item = ReplyLine<'a>;
    fn next(&mut self) -> Option<ReplyLine<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        // Every CR in a reply starts its CRLF (bare CR is refused), so one octet search finds
        // the line end.
        let end = memchr::memchr(b'\r', self.rest).unwrap_or(self.rest.len());
        let line = self.rest.get(..end).unwrap_or(self.rest);
        self.rest = self.rest.get(end + 2..).unwrap_or(&[]);
        Some(ReplyLine { line, code: self.code })
    }
}
