//! [`ReplyBuilder`]: replies built from a code, an enhanced code and text, written so that
//! every strict client reads back the same reply.

use alloc::borrow::Cow;
use alloc::string::String;

use super::encode::write_lines;
use super::{EnhancedCode, Reply, ReplyCode};
use crate::framing::reply::line_limit;
use crate::wire::lex::refuse_controls;
use crate::{BuildError, BuildErrorKind, Limits, ParseOptions};

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
    /// The texts, one after another, each but the first after an LF: a text that holds an
    /// LF (or any other control character) is refused as it is added, so no text that is
    /// ever written can be taken for two.
    texts: String,
    /// How many texts were added.
    count: usize,
    /// The first text refused (a control character): [`build`](Self::build) fails with it.
    refused: Option<BuildError>,
}

impl ReplyBuilder {
    /// A builder for a reply with `code`, RFC 5321 limits and no lines yet.
    pub fn new(code: ReplyCode) -> Self {
        Self { code, enhanced: None, limits: Limits::RFC5321, texts: String::new(), count: 0, refused: None }
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
        self.push(text);
        self
    }

    /// Adds a line for each item.
    #[must_use]
    pub fn lines<'t>(mut self, texts: impl IntoIterator<Item = &'t str>) -> Self {
        for text in texts {
            self.push(text);
        }
        self
    }

    /// Keeps `text`, checked for control characters now (one pass, while it is at hand).
    fn push(&mut self, text: &str) {
        if self.refused.is_none() {
            if let Err(e) = refuse_controls(text, "reply text", true) {
                self.refused = Some(e.item(self.count));
            }
        }
        if self.count > 0 {
            self.texts.push('\n');
        }
        self.texts.push_str(text);
        self.count += 1;
    }

    /// Writes and checks the reply.
    ///
    /// Fails on a control character in a text ([`ControlCharacter`](BuildErrorKind::ControlCharacter):
    /// C0 but HT, DEL, and the C1 controls U+0080–U+009F, which some receivers and logs treat
    /// as line breaks; [`index`](BuildError::index) is the text's, [`offset`](BuildError::offset)
    /// the octet's in it), on an enhanced code whose class differs from the reply's
    /// ([`ClassMismatch`](BuildErrorKind::ClassMismatch)), when the line limit is too small for
    /// the code and one character ([`TooLong`](BuildErrorKind::TooLong)), and when the text
    /// needs more lines than [`Limits::reply_lines`]
    /// ([`TooManyLines`](BuildErrorKind::TooManyLines)).
    pub fn build(&self) -> Result<Reply<'static>, BuildError> {
        if let Some(e) = self.enhanced {
            if e.class() != self.code.class_digit() {
                return Err(BuildError::new("enhanced status code", BuildErrorKind::ClassMismatch));
            }
        }
        if let Some(e) = self.refused {
            return Err(e);
        }
        let opts = ParseOptions::STRICT.with_smtputf8(true).with_limits(self.limits);
        let limit = line_limit(self.code == ReplyCode::AUTH_CHALLENGE, &opts);
        let mut wire = String::with_capacity(self.texts.len() + 16 * self.count.max(1));
        // The texts back, each up to the next LF.
        let mut rest = self.texts.as_str();
        let texts = (0..self.count).map(|_| {
            let (t, r) = match memchr::memchr(b'\n', rest.as_bytes()) {
                Some(p) => (rest.get(..p).unwrap_or(""), rest.get(p + 1..).unwrap_or("")),
                None => (rest, ""),
            };
            rest = r;
            t
        });
        let lines = write_lines(&mut wire, self.code, self.enhanced, texts, self.count, limit)?;
        let max = self.limits.reply_lines().max(1);
        if lines > max {
            return Err(BuildError::new("reply", BuildErrorKind::TooManyLines { limit: max }));
        }
        // Every check was made while writing: the text is not parsed back. What was written
        // reads back as exactly this reply (the fuzz target `reply_roundtrip` and debug builds
        // hold it to that). It was written as text (`str` pieces, ASCII codes), so it needs no
        // UTF-8 check either.
        let reply = Reply { code: self.code, wire: Cow::Owned(wire.into_bytes()) };
        debug_assert_eq!(Reply::parse_with(reply.as_bytes(), &opts).as_ref(), Ok(&reply));
        Ok(reply)
    }
}

impl Reply<'_> {
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
    pub fn new(code: ReplyCode, text: &str) -> Result<Reply<'static>, BuildError> {
        ReplyBuilder::new(code).line(text).build()
    }

    /// A [`ReplyBuilder`] for a reply with `code`.
    pub fn builder(code: ReplyCode) -> ReplyBuilder {
        ReplyBuilder::new(code)
    }
}
