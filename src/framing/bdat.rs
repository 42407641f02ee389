//! Message bodies sent in `BDAT` chunks (RFC 3030 CHUNKING); see the [framing](super) docs.

use crate::wire::{Counter, Sink, write_num};
use crate::{ParseError, ParseErrorKind};

use super::body::scanner::{Scanner, Step};
use super::body::writer::Writer;
use super::body::{BareLineEnds, BodyConfig, BodySummary, Decoded, EncoderConfig};

/// What one [`BdatDecoder::decode`] step produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BdatEvent<'a> {
    /// Body octets: a non-empty run borrowed from the input (or a static CRLF or CR for a
    /// normalized or bare line end at a chunk boundary).
    Body(&'a [u8]),
    /// Every octet handed in was consumed and the chunk is not complete: read more and call
    /// again with the new octets only.
    NeedMore,
    /// The chunk's last octet has been read; octets after it belong to the next command.
    /// Reported once per chunk (with `consumed` 0 if the chunk ended in an earlier call, or is
    /// empty).
    ChunkEnd(ChunkEnd),
    /// No chunk is in progress: call [`BdatDecoder::start_chunk`] after the next `BDAT`
    /// command. Nothing was consumed.
    Idle,
}

/// The end of one BDAT chunk: its size, whether it was the last, and the message so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChunkEnd {
    size: u64,
    last: bool,
    summary: BodySummary,
}

impl ChunkEnd {
    /// The chunk size from the `BDAT` command.
    pub const fn size(&self) -> u64 {
        self.size
    }
    /// Whether the chunk was marked `LAST`: the message is complete.
    pub const fn is_last(&self) -> bool {
        self.last
    }
    /// The message so far (all of it when [`is_last`](Self::is_last)). A server answers each
    /// chunk: `250` while it is accepted (RFC 3030 §2), a 5yz once it is refused.
    pub const fn summary(&self) -> &BodySummary {
        &self.summary
    }
}

/// The chunk in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Chunk {
    size: u64,
    last: bool,
    remaining: u64,
    /// For the last chunk: a held CR has been resolved.
    finished: bool,
}

/// A streaming decoder for the chunks of one message sent with `BDAT` (RFC 3030).
///
/// ```
/// use smtp_wire::framing::{BdatDecoder, BdatEvent, BodyConfig};
/// use smtp_wire::{Command, CommandBody, Status};
///
/// let wire = b"BDAT 5\r\nHi\r\nxBDAT 3 LAST\r\nyz\nQUIT\r\n";
/// let mut decoder = BdatDecoder::new(BodyConfig::BINARYMIME);
/// let (mut input, mut body) = (&wire[..], Vec::new());
/// while let Status::Complete { value, consumed } = Command::parse_prefix(input).unwrap() {
///     input = &input[consumed..];
///     let &CommandBody::Bdat { size, last } = value.body() else { break };
///     decoder.start_chunk(size, last).unwrap();
///     loop {
///         let d = decoder.decode(input);
///         input = &input[d.consumed..];
///         match d.event {
///             BdatEvent::Body(run) => body.extend_from_slice(run),
///             BdatEvent::ChunkEnd(end) => {
///                 assert!(end.summary().is_accepted());
///                 break;
///             }
///             _ => unreachable!("the whole stream is in `wire`"),
///         }
///     }
/// }
/// assert_eq!(body, b"Hi\r\nxyz\n");
/// assert!(decoder.is_complete());
/// assert_eq!(input, b""); // QUIT was parsed by the loop
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BdatDecoder {
    scanner: Scanner,
    chunk: Option<Chunk>,
    /// The message's `LAST` chunk has ended.
    complete: bool,
}

impl Default for BdatDecoder {
    fn default() -> Self {
        Self::new(BodyConfig::STRICT)
    }
}

impl BdatDecoder {
    /// A decoder for one message (one mail transaction), with no chunk started.
    pub const fn new(config: BodyConfig) -> Self {
        Self { scanner: Scanner::new(config, false), chunk: None, complete: false }
    }

    /// The configuration in force.
    pub const fn config(&self) -> &BodyConfig {
        self.scanner.config()
    }

    /// Forgets the message (after `RSET`, or for the next transaction). The configuration is
    /// kept. An unfinished chunk is forgotten too, so only call this between chunks.
    pub fn reset(&mut self) {
        *self = Self::new(*self.scanner.config());
    }

    /// Starts the chunk announced by `BDAT size` (`last` for `BDAT size LAST`). The next
    /// `size` octets are the chunk's.
    ///
    /// A chunk after the message's `LAST` chunk starts a new message that is refused with
    /// [`BdatAfterLast`](ParseErrorKind::BdatAfterLast) (RFC 3030 §2 requires `503` and then
    /// `RSET`); its octets are still read. `BDAT 0` without `LAST` is an empty chunk (RFC 3030
    /// does not forbid it; Postfix refuses it with `551`, which a server can do on seeing the
    /// command).
    ///
    /// # Errors
    /// [`ChunkInProgress`](ParseErrorKind::ChunkInProgress) if the previous chunk has not been
    /// read to its end (its [`BdatEvent::ChunkEnd`] not yet returned); nothing changes.
    pub fn start_chunk(&mut self, size: u64, last: bool) -> Result<(), ParseError> {
        if self.chunk.is_some() {
            return Err(ParseError::new(0, ParseErrorKind::ChunkInProgress));
        }
        if self.complete {
            self.scanner = Scanner::new(*self.scanner.config(), false);
            self.scanner.refuse(0, ParseErrorKind::BdatAfterLast);
            self.complete = false;
        }
        self.chunk = Some(Chunk { size, last, remaining: size, finished: false });
        Ok(())
    }

    /// Whether a chunk is in progress (started and its [`BdatEvent::ChunkEnd`] not yet
    /// returned).
    pub const fn in_chunk(&self) -> bool {
        self.chunk.is_some()
    }

    /// Whether the message's `LAST` chunk has ended.
    pub const fn is_complete(&self) -> bool {
        self.complete
    }

    /// The refusal found so far, if any.
    pub fn refusal(&self) -> Option<ParseError> {
        self.scanner.refusal()
    }

    /// The message so far.
    pub fn summary(&self) -> BodySummary {
        self.scanner.summary()
    }

    /// Consumes octets of the current chunk from the front of `input` and reports one event.
    ///
    /// Call it until it returns [`BdatEvent::ChunkEnd`] (octets after `consumed` are the next
    /// command) or [`BdatEvent::NeedMore`] (read more). A `ChunkEnd` may come from a call that
    /// consumes nothing, so keep calling after the last body run even if the input is empty.
    #[inline]
    pub fn decode<'a>(&mut self, input: &'a [u8]) -> Decoded<BdatEvent<'a>> {
        let Some(mut chunk) = self.chunk else { return Decoded { consumed: 0, event: BdatEvent::Idle } };
        let mut consumed = 0usize;
        let event = loop {
            if chunk.remaining == 0 {
                if chunk.last && !chunk.finished {
                    chunk.finished = true;
                    let run = self.scanner.finish();
                    if !run.is_empty() {
                        break BdatEvent::Body(run);
                    }
                }
                self.chunk = None;
                self.complete = chunk.last;
                return Decoded {
                    consumed,
                    event: BdatEvent::ChunkEnd(ChunkEnd {
                        size: chunk.size,
                        last: chunk.last,
                        summary: self.scanner.summary(),
                    }),
                };
            }
            let rest = input.get(consumed..).unwrap_or(&[]);
            let n = usize::try_from(chunk.remaining).map_or(rest.len(), |r| r.min(rest.len()));
            if n == 0 {
                break BdatEvent::NeedMore;
            }
            let part = rest.get(..n).unwrap_or(&[]);
            let config = self.scanner.config();
            if config.bare_line_ends() == BareLineEnds::Allow && config.max_line().is_none() {
                // Opaque octets (BINARYMIME): nothing to look for.
                consumed += n;
                chunk.remaining -= n as u64;
                let run = self.scanner.opaque(part);
                if !run.is_empty() {
                    break BdatEvent::Body(run);
                }
                continue;
            }
            let (used, step) = self.scanner.scan(part);
            consumed += used;
            chunk.remaining -= used as u64;
            match step {
                Step::Run(run) => break BdatEvent::Body(run),
                // The scanner consumed all of `part`; go on (the chunk may have ended).
                Step::NeedMore | Step::End => {}
            }
        };
        self.chunk = Some(chunk);
        Decoded { consumed, event }
    }
}

/// Writes a message as `BDAT` chunks (RFC 3030 §2).
///
/// Each [`encode`](Self::encode) call writes one chunk, `BDAT n\r\n` and its octets;
/// [`finish`](Self::finish) writes the last, `BDAT n LAST\r\n` (`BDAT 0 LAST` when empty).
/// A text encoder (built from an [`EncoderConfig`]) refuses or normalizes bare line ends and
/// checks line lengths across chunk boundaries exactly like [`DataEncoder`](super::DataEncoder),
/// without dot-stuffing (BDAT has none). A CR that ends a chunk is held back and sent at the
/// start of the next one, since only the next octet tells whether it starts a CRLF; so chunk
/// sizes on the wire can differ from the pieces handed in by that one octet. A message that
/// does not end with CRLF is sent as it is: BDAT carries exact octets.
/// [`BdatEncoder::binarymime`] writes the octets untouched.
///
/// On an error nothing of that chunk is written, and the encoder refuses everything after: send
/// `RSET` to abandon the transaction (unlike DATA, BDAT allows it).
///
/// ```
/// use smtp_wire::framing::{BdatEncoder, EncoderConfig};
///
/// let mut out = Vec::new();
/// let mut enc = BdatEncoder::new(EncoderConfig::default().with_normalize(true));
/// enc.encode(b"Subject: hi\n\n", &mut out).unwrap();
/// enc.finish(b".no stuffing\n", &mut out).unwrap();
/// assert_eq!(out, b"BDAT 15\r\nSubject: hi\r\n\r\nBDAT 14 LAST\r\n.no stuffing\r\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BdatEncoder {
    /// `None` for BINARYMIME.
    writer: Option<Writer>,
    error: Option<ParseError>,
}

impl Default for BdatEncoder {
    fn default() -> Self {
        Self::new(EncoderConfig::STRICT)
    }
}

impl BdatEncoder {
    /// A text encoder (7BIT or 8BITMIME bodies): line ends and lengths checked per `config`.
    pub const fn new(config: EncoderConfig) -> Self {
        Self { writer: Some(Writer::new(config, false)), error: None }
    }

    /// An encoder for `BODY=BINARYMIME` (RFC 3030 §3): octets written as they are.
    pub const fn binarymime() -> Self {
        Self { writer: None, error: None }
    }

    /// Writes `chunk` as one `BDAT` chunk (not the last). An empty `chunk` (or one that is
    /// only a held-back CR) writes nothing.
    pub fn encode(&mut self, chunk: &[u8], out: &mut alloc::vec::Vec<u8>) -> Result<(), ParseError> {
        self.chunk(chunk, false, out)
    }

    /// Writes `chunk` as the `LAST` chunk, ending the message.
    pub fn finish(mut self, chunk: &[u8], out: &mut alloc::vec::Vec<u8>) -> Result<(), ParseError> {
        self.chunk(chunk, true, out)
    }

    /// The error that stopped the encoder, if any.
    pub const fn error(&self) -> Option<ParseError> {
        self.error
    }

    fn chunk(&mut self, chunk: &[u8], last: bool, out: &mut alloc::vec::Vec<u8>) -> Result<(), ParseError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let Some(writer) = self.writer.as_mut() else {
            if chunk.is_empty() && !last {
                return Ok(());
            }
            header(out, chunk.len() as u64, last);
            out.put(chunk);
            return Ok(());
        };
        // Dry run on a copy: the size for the header, and any error before writing a thing.
        let mut probe = *writer;
        let mut count = Counter::default();
        let dry = probe.write(chunk, &mut count).and_then(|()| if last { probe.end(&mut count) } else { Ok(()) });
        if let Err(e) = dry {
            self.error = Some(e);
            return Err(e);
        }
        if count.0 == 0 && !last {
            // Nothing to send yet (an empty piece, or only a held CR): keep the state.
            *writer = probe;
            return Ok(());
        }
        header(out, count.0 as u64, last);
        // The same octets through the same state: cannot fail where the dry run did not.
        writer.write(chunk, out).and_then(|()| if last { writer.end(out) } else { Ok(()) })
    }
}

/// `BDAT n\r\n` or `BDAT n LAST\r\n`, as [`Command`](crate::Command) writes it.
fn header(out: &mut impl Sink, size: u64, last: bool) {
    out.put(b"BDAT ");
    write_num(out, size);
    out.put(if last { b" LAST\r\n" } else { b"\r\n" });
}
