//! Message bodies after `DATA` (RFC 5321 §4.1.1.4, §4.5.2); see the [framing](super) docs.

use super::body::scanner::{Scanner, Step};
use super::body::writer::Writer;
use super::body::{BodyConfig, BodySummary, Decoded, EncoderConfig};
use crate::ParseError;
use crate::wire::Sink;

/// What one [`DataDecoder::decode`] step produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataEvent<'a> {
    /// Body octets, dot-stuffing removed: a non-empty run borrowed from the input (or a
    /// static CRLF when a line end was split across reads or normalized).
    Body(&'a [u8]),
    /// Every octet handed in was consumed and nothing more can be said until more arrive.
    /// Read more and call again with the new octets only.
    NeedMore,
    /// The end-of-data marker was consumed (the last octet counted in `consumed` is its LF).
    /// Octets after it belong to the next command. Calling again returns the same event with
    /// `consumed` 0.
    End(BodySummary),
}

// --- DATA decoder ------------------------------------------------------------------------------

/// A streaming decoder for the body that follows `DATA` (RFC 5321 §4.1.1.4): dot-stuffing
/// removed, the end only at `CRLF . CRLF`, bare line ends, line and size limits per
/// [`BodyConfig`].
///
/// Feed it the octets that follow the `DATA` command's CRLF, in whatever pieces they arrive.
/// Each [`decode`](Self::decode) call returns how many octets it consumed and one
/// [`DataEvent`]; call it until it returns [`DataEvent::NeedMore`] (then read more and call
/// with the new octets) or [`DataEvent::End`] (the octets after `consumed` are the next
/// command). It never allocates and never copies: body runs borrow from the input.
///
/// ```
/// use smtp_wire::framing::{DataDecoder, DataEvent};
///
/// let mut decoder = DataDecoder::default();
/// let mut body = Vec::new();
/// // Two reads; the second also holds the next command.
/// for read in [&b"Subject: hi\r\n\r\n..dot\r"[..], b"\n.\r\nQUIT\r\n"] {
///     let mut input = read;
///     loop {
///         let d = decoder.decode(input);
///         input = &input[d.consumed..];
///         match d.event {
///             DataEvent::Body(run) => body.extend_from_slice(run),
///             DataEvent::NeedMore => break,
///             DataEvent::End(summary) => {
///                 assert!(summary.is_accepted());
///                 assert_eq!(input, b"QUIT\r\n");
///                 break;
///             }
///             _ => unreachable!(),
///         }
///     }
/// }
/// assert_eq!(body, b"Subject: hi\r\n\r\n.dot\r\n");
/// ```
///
/// A smuggled end of data is body, and by default refuses the body; the decoder still reads
/// on to the real end:
/// ```
/// use smtp_wire::framing::{DataDecoder, DataEvent};
/// use smtp_wire::ParseErrorKind;
///
/// let wire = b"a\n.\r\nMAIL FROM:<x@y>\r\n.\r\nNOOP\r\n";
/// let mut decoder = DataDecoder::default();
/// let mut at = 0;
/// let summary = loop {
///     let d = decoder.decode(&wire[at..]);
///     at += d.consumed;
///     if let DataEvent::End(s) = d.event { break s; }
/// };
/// assert_eq!(&wire[at..], b"NOOP\r\n");
/// let refusal = summary.refusal().unwrap();
/// assert_eq!((refusal.kind(), refusal.offset()), (ParseErrorKind::BareLf, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataDecoder {
    scanner: Scanner,
}

impl Default for DataDecoder {
    fn default() -> Self {
        Self::new(BodyConfig::STRICT)
    }
}

impl DataDecoder {
    /// A decoder for one body, positioned right after the `DATA` command's CRLF (the start of
    /// a line).
    pub const fn new(config: BodyConfig) -> Self {
        Self { scanner: Scanner::new(config, true) }
    }

    /// The configuration in force.
    pub const fn config(&self) -> &BodyConfig {
        self.scanner.config()
    }

    /// Consumes octets from the front of `input` and reports one event.
    ///
    /// Every octet is consumed except those after the end-of-data marker. Octets consumed but
    /// not yet yielded (a line-start `.`, a CR that may start a CRLF) are remembered as state:
    /// do not hand them in again.
    #[inline(always)]
    pub fn decode<'a>(&mut self, input: &'a [u8]) -> Decoded<DataEvent<'a>> {
        let (consumed, step) = self.scanner.scan(input);
        let event = match step {
            Step::Run(run) => DataEvent::Body(run),
            Step::NeedMore => DataEvent::NeedMore,
            Step::End => DataEvent::End(self.scanner.summary()),
        };
        Decoded { consumed, event }
    }

    /// Whether the end-of-data marker has been consumed.
    pub const fn is_done(&self) -> bool {
        self.scanner.is_done()
    }

    /// The refusal found so far, if any: a server may act on it before the end (Sendmail
    /// answers `421` and closes at once), but must otherwise keep reading to the end.
    pub fn refusal(&self) -> Option<ParseError> {
        self.scanner.refusal()
    }

    /// The summary so far (final once [`is_done`](Self::is_done)).
    pub fn summary(&self) -> BodySummary {
        self.scanner.summary()
    }
}

/// A streaming encoder for a body sent after `DATA` (RFC 5321 §4.1.1.4, §4.5.2).
///
/// Hand it the body in any pieces with [`encode`](Self::encode), then call
/// [`finish`](Self::finish). It writes:
/// - every line that starts with `.` with one more `.` in front, wherever the line starts
///   (at the start of the body, or at the start of a later piece after a CRLF that ended the
///   previous one);
/// - the body's CRLFs as they are; a bare CR or LF is refused, or written as CRLF with
///   [`EncoderConfig::with_normalize`], so no bare line end ever reaches the wire;
/// - at the end, `.\r\n` after a body that ends with CRLF (or is empty), and `\r\n.\r\n`
///   after one that does not: a body `b"Hi"` is sent as `Hi\r\n.\r\n` and received as
///   `b"Hi\r\n"`, because SMTP cannot carry a final partial line (the CRLF before the dot is
///   the end of the last line, RFC 5321 §4.1.1.4).
///
/// A strict [`DataDecoder`] reads the output back as exactly the body (with that final CRLF
/// added if it was missing, and bare line ends normalized if configured).
///
/// All or nothing: on an error, nothing of that call is left in `out` (it is truncated back to
/// its length before the call), and the encoder refuses everything after. The body cannot be
/// sent: SMTP has no way to abandon `DATA`, and sending the end-of-data marker would deliver a
/// truncated message, so close the connection (or encode the whole body before sending
/// `DATA`, as the [`Client`](crate::Client) does).
///
/// ```
/// use smtp_wire::framing::DataEncoder;
///
/// let mut out = Vec::new();
/// let mut enc = DataEncoder::default();
/// enc.encode(b".starts with a dot\r", &mut out).unwrap();
/// enc.encode(b"\n.", &mut out).unwrap(); // the line start is in this piece
/// enc.encode(b"\r\n", &mut out).unwrap();
/// enc.finish(&mut out).unwrap();
/// assert_eq!(out, b"..starts with a dot\r\n..\r\n.\r\n");
///
/// let mut out = b"kept".to_vec();
/// let err = DataEncoder::default().encode(b"good line\r\nbare\nLF", &mut out).unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (smtp_wire::ParseErrorKind::BareLf, 15));
/// assert_eq!(out, b"kept"); // nothing of the refused call
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataEncoder {
    writer: Writer,
}

impl Default for DataEncoder {
    fn default() -> Self {
        Self::new(EncoderConfig::STRICT)
    }
}

impl DataEncoder {
    /// An encoder for one body.
    pub const fn new(config: EncoderConfig) -> Self {
        Self { writer: Writer::new(config, true) }
    }

    /// Appends the wire form of the next piece of the body to `out`.
    ///
    /// A CR at the end of `body` is held back until the next piece (or `finish`) shows
    /// whether it starts a CRLF.
    pub fn encode(&mut self, body: &[u8], out: &mut alloc::vec::Vec<u8>) -> Result<(), ParseError> {
        let start = out.len();
        self.writer.write(body, out).inspect_err(|_| out.truncate(start))
    }

    /// Ends the body: appends a CRLF if the body did not end with one, then `.\r\n`.
    pub fn finish(mut self, out: &mut alloc::vec::Vec<u8>) -> Result<(), ParseError> {
        let start = out.len();
        self.writer.end(out).inspect_err(|_| out.truncate(start))?;
        if !self.writer.at_line_start() {
            out.put(b"\r\n");
        }
        out.put(b".\r\n");
        Ok(())
    }

    /// The error that stopped the encoder, if any.
    pub const fn error(&self) -> Option<ParseError> {
        self.writer.error()
    }
}
