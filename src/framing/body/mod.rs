//! What the DATA and BDAT codecs share: the policies and limits ([`BodyConfig`],
//! [`EncoderConfig`]), the result types ([`Decoded`], [`BodySummary`]), the body scanner
//! behind both decoders and the text writer behind both encoders.

pub(crate) mod fast;
pub(crate) mod scanner;
pub(crate) mod writer;

use crate::ParseError;

/// What a decoder does with a CR that is not followed by LF or an LF that is not preceded by
/// CR in a message body.
///
/// Under every policy a bare CR or LF is never a line end for framing: it cannot start the
/// end-of-data marker or a line whose leading dot is removed. The policies differ only in what
/// happens to the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BareLineEnds {
    /// Refuse the body ([`BareCr`](crate::ParseErrorKind::BareCr) /
    /// [`BareLf`](crate::ParseErrorKind::BareLf) at the octet), keep reading to the true end of data.
    ///
    /// # Background
    /// RFC 5321 §2.3.8: "SMTP client implementations MUST NOT transmit these characters except
    /// when they are intended as line terminators", and a bare CR or LF in a body is how every
    /// SMTP smuggling variant starts (CVE-2023-51764/51765/51766, CVE-2024-27305). This is what
    /// Postfix `smtpd_forbid_bare_newline = reject`, Sendmail `srv_features` `g`/`u` and
    /// go-smtp do. Postfix answers `550` by default. The risk is refusing mail from broken
    /// senders that write bare LF (some scripts); that is the trade this crate makes by default.
    #[default]
    Reject,
    /// Replace each bare CR and each bare LF by CRLF in the decoded body.
    ///
    /// # Background
    /// Postfix's default since 3.9 (`smtpd_forbid_bare_newline = normalize`): mail from sloppy
    /// senders is accepted, and the end of data is still only `CRLF . CRLF`. A normalized line
    /// end ends a line for the line-length limit, but it does not start a line for framing: a
    /// `.` after it is kept as data (so `\n.\r\n` decodes to `\r\n.\r\n` inside the body,
    /// which [`DataEncoder`](super::DataEncoder) stuffs again when the message is relayed). The risk is that the
    /// message is altered: signatures over the original octets (DKIM) may no longer verify.
    Normalize,
    /// Keep bare CR and LF as body octets.
    ///
    /// # Background
    /// Right for `BODY=BINARYMIME` over BDAT (RFC 3030 §3), where the body is arbitrary
    /// octets. For text bodies it is the behaviour that made relays the *first* half of SMTP
    /// smuggling (Microsoft Exchange Online passed `\n.\r\n` on verbatim in 2023): a body
    /// accepted this way must not be written to another server unmodified. [`DataEncoder`](super::DataEncoder)
    /// refuses or normalizes it, so relaying through this crate is safe.
    Allow,
}

/// Policies and limits for the body decoders ([`DataDecoder`](super::DataDecoder) and
/// [`BdatDecoder`](super::BdatDecoder)). The default is strict.
///
/// ```
/// use smtp_wire::framing::{BareLineEnds, BodyConfig};
///
/// let config = BodyConfig::default().with_max_size(Some(10 << 20));
/// assert_eq!(config.bare_line_ends(), BareLineEnds::Reject);
/// assert_eq!(config.max_line(), Some(1000));
/// assert_eq!(config.max_size(), Some(10 << 20));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct BodyConfig {
    bare_line_ends: BareLineEnds,
    max_line: Option<usize>,
    max_size: Option<u64>,
}

impl Default for BodyConfig {
    fn default() -> Self {
        Self::STRICT
    }
}

impl BodyConfig {
    /// Bare line ends refused, text lines of at most 1000 octets (RFC 5321 §4.5.3.1.6), no
    /// size limit.
    pub const STRICT: Self = Self { bare_line_ends: BareLineEnds::Reject, max_line: Some(1000), max_size: None };

    /// For `BODY=BINARYMIME` over BDAT (RFC 3030 §3): bare CR and LF are data and there are no
    /// lines, so no line limit. No size limit either; set one with
    /// [`with_max_size`](Self::with_max_size).
    pub const BINARYMIME: Self = Self { bare_line_ends: BareLineEnds::Allow, max_line: None, max_size: None };

    /// What happens to a bare CR or LF.
    pub const fn bare_line_ends(&self) -> BareLineEnds {
        self.bare_line_ends
    }
    /// The longest text line accepted, in octets including its CRLF and not counting a
    /// stuffing dot; `None` for no limit.
    pub const fn max_line(&self) -> Option<usize> {
        self.max_line
    }
    /// The largest body accepted, in octets as RFC 1870 §3 counts them; `None` for no limit.
    pub const fn max_size(&self) -> Option<u64> {
        self.max_size
    }

    /// Sets what happens to a bare CR or LF (see [`BareLineEnds`] for each policy's risk).
    #[must_use]
    pub const fn with_bare_line_ends(mut self, policy: BareLineEnds) -> Self {
        self.bare_line_ends = policy;
        self
    }

    /// Sets the longest text line, CRLF included and a stuffing dot not counted; `None` lifts
    /// the limit.
    ///
    /// # Background
    /// RFC 5321 §4.5.3.1.6: "The maximum total length of a text line including the `<CRLF>` is
    /// 1000 octets (not counting the leading dot duplicated for transparency)", and RFC 5322
    /// §2.1.1 says lines MUST NOT exceed 998 characters. A longer line makes the body refused
    /// with [`LineTooLong`](crate::ParseErrorKind::LineTooLong) at its first octet past the limit;
    /// the body is still read to its end (aiosmtpd answers `500 Line too long` there, RFC 5321
    /// §4.2.5 allows a 5yz after the final dot). The decoder itself never buffers a line, so
    /// lifting the limit costs no memory here; the risk is downstream: line-oriented filters
    /// and stores, and the next hop, may refuse or split such lines. Real mail does exceed
    /// 1000 octets now and then (HTML generators): Postfix accepts lines up to
    /// `line_length_limit` (2048) and splits longer ones, go-smtp allows 2000, maddy made it
    /// configurable. Raise the limit rather than lift it.
    #[must_use]
    pub const fn with_max_line(mut self, octets: Option<usize>) -> Self {
        self.max_line = octets;
        self
    }

    /// Sets the largest body accepted; `None` for no limit.
    ///
    /// # Background
    /// Set it to what the server advertises with `SIZE` (RFC 1870), or lower to what the
    /// client declared with `MAIL FROM:<..> SIZE=`. Octets are counted as RFC 1870 §3 counts
    /// them: the decoded body with its CRLFs, without stuffing dots and the end-of-data marker.
    /// A larger body is read to its end (the client is still sending it; cutting the stream
    /// would make the rest of the body read as commands), no octet past the limit is yielded,
    /// and the summary reports [`MessageTooLarge`](crate::ParseErrorKind::MessageTooLarge): answer
    /// `552 5.3.4` (RFC 1870 §6.3, RFC 3463 §3.4). With no limit, bounding what is stored is
    /// the caller's job; RFC 5321 §4.5.3.1.7 requires at least 64K octets to be accepted.
    #[must_use]
    pub const fn with_max_size(mut self, octets: Option<u64>) -> Self {
        self.max_size = octets;
        self
    }
}

/// What a body decoder reports at the end: whether the body was refused, and its sizes.
///
/// ```
/// use smtp_wire::framing::{DataDecoder, DataEvent};
///
/// let mut decoder = DataDecoder::default();
/// let d = decoder.decode(b"..\r\n.\r\n");
/// assert_eq!(d.event, DataEvent::Body(b".\r\n"));
/// let d = decoder.decode(b".\r\n");
/// let DataEvent::End(summary) = d.event else { panic!() };
/// assert!(summary.is_accepted());
/// assert_eq!((summary.body_len(), summary.wire_len()), (3, 7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BodySummary {
    refusal: Option<ParseError>,
    body_len: u64,
    wire_len: u64,
}

impl BodySummary {
    /// Why the body was refused, if it was: the first offending octet's offset from the start
    /// of the body on the wire, and what was wrong. A server answers with a 5yz reply (`550`
    /// for bare line ends as Postfix does, `552 5.3.4` for
    /// [`MessageTooLarge`](crate::ParseErrorKind::MessageTooLarge), `503` for
    /// [`BdatAfterLast`](crate::ParseErrorKind::BdatAfterLast), `500` for a line too long).
    pub const fn refusal(&self) -> Option<ParseError> {
        self.refusal
    }
    /// `true` if the body was not refused.
    pub const fn is_accepted(&self) -> bool {
        self.refusal.is_none()
    }
    /// The body's length in octets as RFC 1870 §3 counts it: after dot removal and any
    /// normalization, without the end-of-data marker. Counted to the end even when the body
    /// was refused (so it can exceed what was yielded).
    pub const fn body_len(&self) -> u64 {
        self.body_len
    }
    /// The octets read from the wire: for DATA everything after the `DATA` command's CRLF up
    /// to and including the final `.\r\n`; for BDAT the sum of the chunk sizes.
    pub const fn wire_len(&self) -> u64 {
        self.wire_len
    }
    /// `Ok(body_len)` if the body was accepted, the refusal otherwise.
    pub const fn result(&self) -> Result<u64, ParseError> {
        match self.refusal {
            None => Ok(self.body_len),
            Some(e) => Err(e),
        }
    }
}

/// One step of a body decoder: how many input octets it consumed, and what happened.
///
/// Drop `consumed` octets from the front of the input before the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decoded<E> {
    /// Octets of the input consumed by this step.
    pub consumed: usize,
    /// What the step produced.
    pub event: E,
}

/// What the body encoders check. The default is strict: bare line ends refused, text lines of
/// at most 1000 octets.
///
/// ```
/// use smtp_wire::framing::{DataEncoder, EncoderConfig};
///
/// let mut out = Vec::new();
/// let mut enc = DataEncoder::new(EncoderConfig::default().with_normalize(true));
/// enc.encode(b"Subject: hi\n\n.signature\n", &mut out).unwrap();
/// enc.finish(&mut out).unwrap();
/// assert_eq!(out, b"Subject: hi\r\n\r\n..signature\r\n.\r\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EncoderConfig {
    normalize: bool,
    max_line: Option<usize>,
}

impl Default for EncoderConfig {
    fn default() -> Self {
        Self::STRICT
    }
}

impl EncoderConfig {
    /// Bare line ends refused, lines of at most 1000 octets.
    pub const STRICT: Self = Self { normalize: false, max_line: Some(1000) };

    /// Whether bare line ends are normalized to CRLF (otherwise they are refused).
    pub const fn normalize(&self) -> bool {
        self.normalize
    }
    /// The longest line written, CRLF included, stuffing dot not counted; `None` for no limit.
    pub const fn max_line(&self) -> Option<usize> {
        self.max_line
    }

    /// Write each bare CR and each bare LF of the body as CRLF instead of refusing the body.
    ///
    /// # Background
    /// An encoder must never put a bare CR or LF on the wire: a lenient next hop may read it
    /// as a line end and, after it, a `.` as the end of data (SMTP smuggling, CVE-2023-51764;
    /// Postfix `cleanup_replace_stray_cr_lf` exists to stop Postfix being the relay that
    /// passes them on). Normalizing is convenient for bodies built with `\n` line ends; the
    /// risk is altering a body that was signed (DKIM) over its original octets, so sign after
    /// normalizing. By default the body is refused with
    /// [`BareCr`](crate::ParseErrorKind::BareCr)/[`BareLf`](crate::ParseErrorKind::BareLf).
    #[must_use]
    pub const fn with_normalize(mut self, on: bool) -> Self {
        self.normalize = on;
        self
    }

    /// Sets the longest line written (CRLF included, stuffing dot not counted); `None` lifts
    /// the limit.
    ///
    /// # Background
    /// RFC 5321 §4.5.3.1.6 (1000 octets) and RFC 5322 §2.1.1 (998 characters plus CRLF). A
    /// body with a longer line is refused with [`LineTooLong`](crate::ParseErrorKind::LineTooLong)
    /// rather than sent to servers that would refuse it or split it (lettre issue #347 sent
    /// whole attachments as one line). Lifting the limit is for peers known to accept long
    /// lines; encode such content with a MIME transfer encoding instead when you can.
    #[must_use]
    pub const fn with_max_line(mut self, octets: Option<usize>) -> Self {
        self.max_line = octets;
        self
    }
}

/// A stream offset as a `usize` (saturating on 32-bit targets).
pub(crate) fn to_offset(at: u64) -> usize {
    usize::try_from(at).unwrap_or(usize::MAX)
}
