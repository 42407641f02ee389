//! [`ReplyBuilder`]: replies built from a code, an enhanced code and text, written so that
//! every strict client reads back the same reply.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use super::encode::{write_reply, write_simple};
use super::{EnhancedCode, Reply, ReplyCode};
use crate::wire::lex::find_control;
use crate::wire::sink::printable;
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
    /// The first text refused for a control character, and the character's offset in it:
    /// [`build`](Self::build) fails with it (kept as two numbers, so the builder, moved by
    /// each call, stays small).
    refused: Option<(usize, usize)>,
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
        if self.refused.is_none() && !printable(text.as_bytes()) {
            if let Some(at) = find_control(text, true) {
                self.refused = Some((self.count, at));
            }
        }
        if self.count > 0 {
            self.texts.push('\n');
            self.texts.push_str(text);
        } else {
            // The first text in an allocation of its size, without the growth path.
            self.texts = String::from(text);
        }
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
        // Room for each line's head (at most 14 octets) and CRLF, and the 16-octet block the
        // writer copies each head in: no growth when every text fits its line.
        let mut wire = Vec::with_capacity(self.texts.len() + 18 * self.count.max(1));
        self.write_to(&mut wire)?;
        Ok(Reply { code: self.code, wire: Cow::Owned(wire) })
    }

    /// Writes the reply [`build`](Self::build) would return straight into `out`, with the
    /// same checks and the same refusals, and returns the number of octets appended. On a
    /// refusal nothing is appended. It allocates nothing when `out` has room.
    ///
    /// ```
    /// use smtp_wire::{EnhancedCode, Reply, ReplyCode};
    ///
    /// let builder = Reply::builder(ReplyCode::OK).enhanced_code(EnhancedCode::new(2, 1, 5).unwrap()).line("Ok");
    /// let mut out = b"250 2.1.0 Ok\r\n".to_vec();
    /// assert_eq!(builder.write_to(&mut out), Ok(14));
    /// assert_eq!(out, b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
    /// ```
    pub fn write_to(&self, out: &mut Vec<u8>) -> Result<usize, BuildError> {
        if let Some((k, at)) = self.refused {
            // As `refuse_controls` words it, with the text's index.
            let e = BuildError::new("reply text", BuildErrorKind::ControlCharacter).at(at).item(k);
            // An enhanced code of another class is refused first, as by `write_reply`.
            let mismatch = self.enhanced.is_some_and(|esc| esc.class() != self.code.class_digit());
            return Err(if mismatch {
                BuildError::new("enhanced status code", BuildErrorKind::ClassMismatch)
            } else {
                e
            });
        }
        // The texts back, each up to the next LF: the texts were checked for control
        // characters as they were added, so none holds an LF of its own.
        let texts = || {
            let mut rest = self.texts.as_str();
            let one = self.count == 1;
            (0..self.count).map(move |_| {
                // One text is all of them: nothing to search.
                let found = if one { None } else { memchr::memchr(b'\n', rest.as_bytes()) };
                let (t, r) = match found {
                    Some(p) => (rest.get(..p).unwrap_or(""), rest.get(p + 1..).unwrap_or("")),
                    None => (rest, ""),
                };
                rest = r;
                t
            })
        };
        let (code, esc, count, limits) = (self.code, self.enhanced, self.count, &self.limits);
        write_checked(
            out,
            code,
            |out| write_simple(out, code, esc, texts(), count, limits, false),
            |out| write_reply(out, code, esc, texts(), count, limits, false),
            limits,
        )
    }
}

/// Runs `simple` on `out` and, when it does not take the reply, `write` on `out` as it was
/// before, all or nothing: on a refusal `out` is truncated back to its length before. Returns
/// the number of octets appended. In debug builds, what was written is parsed back (strict,
/// SMTPUTF8, within `limits`) and must be one whole reply with `code`.
#[inline(always)]
fn write_checked(
    out: &mut Vec<u8>,
    code: ReplyCode,
    simple: impl FnOnce(&mut Vec<u8>) -> bool,
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), BuildError>,
    limits: &Limits,
) -> Result<usize, BuildError> {
    let start = out.len();
    if !simple(out) {
        out.truncate(start);
        if let Err(e) = write(out) {
            out.truncate(start);
            return Err(e);
        }
    }
    let written = out.get(start..).unwrap_or(&[]);
    debug_assert_eq!(
        Reply::parse_with(written, &ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits))
            .map(|r| (r.code(), r.as_bytes() == written)),
        Ok((code, true)),
        "{}",
        written.escape_ascii()
    );
    Ok(written.len())
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

    /// Writes the reply with `code`, `enhanced` and one line per text (split when it does not
    /// fit a line) into `out`, checked while it is written, and returns the number of octets
    /// appended: the allocation-free [`ReplyBuilder`], for a server that writes its replies
    /// into its own output buffer.
    ///
    /// The reply is the one
    /// `Reply::builder(code).enhanced_code(…).lines(texts).build()` returns, octet for octet,
    /// with the same checks and the same [`BuildError`] (what, index, offset) on a refusal
    /// (see [`ReplyBuilder::build`]): a control character in a text (RFC 5321 §4.2 text is HT
    /// and printable characters), an enhanced code whose class is not the reply code's first
    /// digit (RFC 3463 §2, RFC 2034 §3), a text that cannot fit a line, more lines than
    /// [`Limits::reply_lines`]. Lines are limited to 512 octets with the code and CRLF
    /// (RFC 5321 §4.5.3.1.5; a `334` challenge to [`Limits::sasl_line`]). The enhanced code,
    /// when given, opens every line (RFC 2034 §3). No texts, or one empty text, is a bare
    /// code (`250` CRLF).
    ///
    /// All or nothing: on a refusal `out` is left as it was. Nothing is allocated when `out`
    /// has room for the reply, and nothing is parsed back (debug builds do, to hold the
    /// writer to the strict parser).
    ///
    /// ```
    /// use smtp_wire::{BuildErrorKind, EnhancedCode, Reply, ReplyCode};
    ///
    /// let mut out = Vec::with_capacity(512);
    /// let esc = EnhancedCode::new(5, 1, 1).ok();
    /// let n = Reply::write_to(&mut out, ReplyCode::MAILBOX_UNAVAILABLE, esc, &["No such user", "Try again"]).unwrap();
    /// assert_eq!(n, out.len());
    /// assert_eq!(out, b"550-5.1.1 No such user\r\n550 5.1.1 Try again\r\n");
    ///
    /// // Refused as a whole, with nothing left behind: the LF in the second text...
    /// let err = Reply::write_to(&mut out, ReplyCode::OK, None, &["Ok", "a\nb"]).unwrap_err();
    /// assert_eq!((err.kind(), err.index(), err.offset()), (BuildErrorKind::ControlCharacter, Some(1), Some(1)));
    /// // ...and a 5.x.x code on a 250 reply.
    /// let err = Reply::write_to(&mut out, ReplyCode::OK, esc, &["Ok"]).unwrap_err();
    /// assert_eq!(err.kind(), BuildErrorKind::ClassMismatch);
    /// assert_eq!(out.len(), n);
    ///
    /// // A bare code.
    /// out.clear();
    /// Reply::write_to(&mut out, ReplyCode::OK, None, &[]).unwrap();
    /// assert_eq!(out, b"250\r\n");
    /// ```
    pub fn write_to(
        out: &mut Vec<u8>,
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        texts: &[&str],
    ) -> Result<usize, BuildError> {
        Self::write_to_within(out, code, enhanced, texts, &Limits::RFC5321)
    }

    /// [`write_to`](Self::write_to) within `limits` ([`Limits::reply_line`],
    /// [`Limits::sasl_line`] for `334`, [`Limits::reply_lines`]), as
    /// [`ReplyBuilder::limits`] builds.
    ///
    /// ```
    /// use smtp_wire::{BuildErrorKind, Limits, Reply, ReplyCode};
    ///
    /// let limits = Limits::RFC5321.with_reply_line(16).with_reply_lines(2);
    /// let mut out = Vec::new();
    /// Reply::write_to_within(&mut out, ReplyCode::OK, None, &["two words", "fit"], &limits).unwrap();
    /// assert_eq!(out, b"250-two words\r\n250 fit\r\n");
    /// let err = Reply::write_to_within(&mut out, ReplyCode::OK, None, &["one two three four five"], &limits);
    /// assert_eq!(err.unwrap_err().kind(), BuildErrorKind::TooManyLines { limit: 2 });
    /// ```
    pub fn write_to_within(
        out: &mut Vec<u8>,
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        texts: &[&str],
        limits: &Limits,
    ) -> Result<usize, BuildError> {
        let n = texts.len();
        write_checked(
            out,
            code,
            |out| write_simple(out, code, enhanced, texts.iter().copied(), n, limits, true),
            |out| write_reply(out, code, enhanced, texts.iter().copied(), n, limits, true),
            limits,
        )
    }
}
