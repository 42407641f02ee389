//! Framing: where a command line, a reply or a message body ends.
//!
//! This is the only place where "need more bytes" is decided, and there is one line-end rule
//! for all of it: CRLF only, a bare CR or bare LF refused at its offset, a limit in octets
//! (RFC 5321 §2.3.8, §4.5.3.1). Everything above it parses complete input with
//! complete-input combinators.
//!
//! ## Lines
//!
//! SMTP lines end with CRLF and nothing else. A CR that is not followed by LF and an LF that
//! is not preceded by CR are errors here, at the offset of the offending octet: accepting them
//! is how command injection through bare line ends and SMTP smuggling start (RFC 5321 §2.3.8,
//! CVE-2023-51764).
//! [`LineFramer`] frames a stream of command lines and skips over-long ones to their CRLF;
//! [`Command::parse_prefix`](crate::Command::parse_prefix) and the reply parsers frame with
//! the same rule.
//!
//! ## DATA bodies
//! §4.5.2), immune to SMTP smuggling.
//!
//! ### Where a body ends
//! After the server's `354`, the client sends the message as CRLF-terminated lines and ends
//! it with a line holding a single `.`: the octets `CRLF . CRLF`, where the CRLF that ended
//! the `DATA` command counts as the first CRLF (RFC 5321 §4.1.1.4). So a body starts *at the
//! start of a line*, and `.\r\n` as the very first octets is an empty body. A line that starts
//! with `.` and is not the marker had a dot added by the sender (transparency, §4.5.2); the
//! decoder removes it. Every CRLF before the marker is part of the body, including the one that
//! ends its last line (RFC 1870 §3 counts them too).
//!
//! Nothing else ends a body. In December 2023 SMTP smuggling (CVE-2023-51764 Postfix,
//! CVE-2023-51765 Sendmail, CVE-2023-51766 Exim) showed what happens when two servers disagree:
//! a body that carries `\n.\r\n` passes through one as data and ends the message at the
//! other, and the rest of it becomes a second, spoofed message. [`DataDecoder`] ends a body
//! only at `CRLF . CRLF`, under every [`BareLineEnds`] policy: a bare CR or bare LF is never a
//! line end here, so it can neither start the marker nor start a line whose dot is removed.
//!
//! | octets after a line | what the decoder does |
//! |---|---|
//! | `.\r\n` | end of data |
//! | `.` then anything else | the dot is removed (transparency), the rest is body |
//! | `\n.\n`, `\n.\r\n`, `\r.\r`, `\r.\n`, `\n.\r`, `\r.\r\n` | body; bare CR/LF handled by policy |
//! | `\r\n.\n`, `\r\n.\r` + not LF, `\r\n.\r\r\n`, `\r\r\n.\r\r\n` | body (dot removed); bare CR/LF handled by policy |
//! | `\r\n\x00.\r\n`, `\r\n.\x00\r\n` | body: NUL is data and is never removed |
//!
//! ### Streaming without copies
//! The decoders are small state machines in the manner of hyper's body decoders: DATA is
//! terminator-delimited, BDAT ([`BdatDecoder`]) length-delimited. Each call takes a slice
//! of the input, consumes what it can and reports one [`Decoded`] event: a run of body octets
//! borrowed from the input (or, for a CRLF split across two reads, from a static), a request
//! for more input, or the end with a [`BodySummary`]. Nothing is buffered: what a decoder must
//! remember between reads (a line-start dot, a CR that may start a CRLF) is a state, never
//! bytes, so every octet handed in is consumed, except the ones after the end of the body,
//! which belong to the next command.
//!
//! ### Refused bodies stay in step
//! A bare line end (by default), a line longer than the limit, or a body larger than the size
//! limit makes the body *refused*: from the first offending octet on, no more body octets are
//! yielded, but the decoder keeps reading to the true end of data, so the next command is
//! read from the right place. The refusal is a [`ParseError`](crate::ParseError) whose offset counts octets from
//! the first octet of the body; if there are several, the one at the smallest offset is kept.
//! Because of that, both what is yielded and the summary are the same however the input is
//! split into reads.
//!
//! ### Speed
//! The exact loop visits every line end (a 16-octet SWAR probe, then `memchr2`). Regions of
//! short, well-formed lines are taken whole instead: when the numbers of CRs, LFs and CR LF
//! pairs in a region are equal (counted by a loop the compiler vectorizes) there is no bare
//! line end in it, one `memrchr` per line-limit window bounds its lines, and `memmem` finds the
//! next line-start dot. Such a region is one run for the exact loop too, so the fast path
//! changes no result; anything else goes through the exact loop. `benches/data.rs` measures
//! both against a bare `memchr` scan and smtp-proto.
//!
//! ### Encoding
//! [`DataEncoder`] writes the wire form of a body: a dot added at the start of every line that
//! begins with `.` (at the start of the body too, and wherever the line starts in a later
//! chunk), CRLF added if the body does not end with one, then `.\r\n`. It never writes a bare
//! CR or LF: a body with bare line ends is refused, or normalized to CRLF if configured
//! ([`EncoderConfig::with_normalize`]). What it writes is read back by a strict
//! [`DataDecoder`] as exactly the body (RUSTSEC-2021-0069 was a dot-stuffing encoder that did
//! not do this).
//!
//! ## BDAT bodies
//! semantics.
//!
//! `bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF`, `chunk-size = 1*DIGIT`,
//! `end-marker = "LAST"` (RFC 3030 §2). Exactly `chunk-size` octets follow the command's CRLF;
//! nothing in them is a command, a line end or an end-of-data marker. The command itself is
//! parsed by [`Command::parse`](crate::Command::parse) into
//! [`CommandBody::Bdat`](crate::CommandBody::Bdat), which refuses sizes past `u64::MAX`
//! ([`NumberOverflow`](crate::ParseErrorKind::NumberOverflow): a 30-digit size is an error,
//! never a wrapped number).
//!
//! [`BdatDecoder`] follows one mail transaction: [`start_chunk`](BdatDecoder::start_chunk)
//! with the size and `LAST` flag of each `BDAT` command, then [`decode`](BdatDecoder::decode)
//! until [`BdatEvent::ChunkEnd`]. The body is the concatenation of the chunks, checked as one
//! stream against the same [`BodyConfig`] as a DATA body: text bodies (7BIT, 8BITMIME) must be
//! canonical with CRLF line ends (RFC 3030 §3; Postfix's `smtpd_forbid_bare_newline` applies
//! to BDAT too), and a CRLF may be split across two chunks. For `BODY=BINARYMIME` use
//! [`BodyConfig::BINARYMIME`]: the octets are passed through untouched.
//!
//! A refused chunk is still read to its last octet, and so is every later chunk of the same
//! message (RFC 3030 §2: the receiver must consume the chunk before replying; Postfix keeps
//! discarding chunks after an error until `LAST` or `RSET`). A chunk after the `LAST` one is
//! read too and refused with [`BdatAfterLast`](crate::ParseErrorKind::BdatAfterLast).
//!
//! [`BdatEncoder`] writes `BDAT n[ LAST]\r\n` and the chunk's octets, with the same line-end
//! checks as the DATA encoder (no dot-stuffing), or none for BINARYMIME.

mod bdat;
mod body;
mod data;
pub(crate) mod line;
pub(crate) mod reply;

pub use bdat::{BdatDecoder, BdatEncoder, BdatEvent, ChunkEnd};
pub use body::{BareLineEnds, BodyConfig, BodySummary, Decoded, EncoderConfig};
pub use data::{DataDecoder, DataEncoder, DataEvent};
pub use line::{Line, LineFramer};
