//! Message bodies after `DATA`: dot-stuffing and the end-of-data marker (RFC 5321 §4.1.1.4,
//! §4.5.2), immune to SMTP smuggling.
//!
//! # Where a body ends
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
//! # Streaming without copies
//! The decoders are small state machines in the manner of hyper's body decoders: DATA is
//! terminator-delimited, BDAT ([`bdat`](super::bdat)) length-delimited. Each call takes a slice
//! of the input, consumes what it can and reports one [`Decoded`] event: a run of body octets
//! borrowed from the input (or, for a CRLF split across two reads, from a static), a request
//! for more input, or the end with a [`BodySummary`]. Nothing is buffered: what a decoder must
//! remember between reads (a line-start dot, a CR that may start a CRLF) is a state, never
//! bytes, so every octet handed in is consumed, except the ones after the end of the body,
//! which belong to the next command.
//!
//! # Refused bodies stay in step
//! A bare line end (by default), a line longer than the limit, or a body larger than the size
//! limit makes the body *refused*: from the first offending octet on, no more body octets are
//! yielded, but the decoder keeps reading to the true end of data, so the next command is
//! read from the right place. The refusal is a [`ParseError`] whose offset counts octets from
//! the first octet of the body; if there are several, the one at the smallest offset is kept.
//! Because of that, both what is yielded and the summary are the same however the input is
//! split into reads.
//!
//! # Speed
//! The exact loop visits every line end (a 16-octet SWAR probe, then `memchr2`). Regions of
//! short, well-formed lines are taken whole instead: when the numbers of CRs, LFs and CR LF
//! pairs in a region are equal (counted by a loop the compiler vectorizes) there is no bare
//! line end in it, one `memrchr` per line-limit window bounds its lines, and `memmem` finds the
//! next line-start dot. Such a region is one run for the exact loop too, so the fast path
//! changes no result; anything else goes through the exact loop. `benches/data.rs` measures
//! both against a bare `memchr` scan and smtp-proto.
//!
//! # Encoding
//! [`DataEncoder`] writes the wire form of a body: a dot added at the start of every line that
//! begins with `.` (at the start of the body too, and wherever the line starts in a later
//! chunk), CRLF added if the body does not end with one, then `.\r\n`. It never writes a bare
//! CR or LF: a body with bare line ends is refused, or normalized to CRLF if configured
//! ([`EncoderConfig::with_normalize`]). What it writes is read back by a strict
//! [`DataDecoder`] as exactly the body (RUSTSEC-2021-0069 was a dot-stuffing encoder that did
//! not do this).

use memchr::{memchr, memchr2, memmem, memrchr};

use crate::wire::Sink;
use crate::{ParseError, ParseErrorKind};

/// What a decoder does with a CR that is not followed by LF or an LF that is not preceded by
/// CR in a message body.
///
/// Under every policy a bare CR or LF is never a line end for framing: it cannot start the
/// end-of-data marker or a line whose leading dot is removed. The policies differ only in what
/// happens to the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BareLineEnds {
    /// Refuse the body ([`BareCr`](ParseErrorKind::BareCr) /
    /// [`BareLf`](ParseErrorKind::BareLf) at the octet), keep reading to the true end of data.
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
    /// which [`DataEncoder`] stuffs again when the message is relayed). The risk is that the
    /// message is altered: signatures over the original octets (DKIM) may no longer verify.
    Normalize,
    /// Keep bare CR and LF as body octets.
    ///
    /// # Background
    /// Right for `BODY=BINARYMIME` over BDAT (RFC 3030 §3), where the body is arbitrary
    /// octets. For text bodies it is the behaviour that made relays the *first* half of SMTP
    /// smuggling (Microsoft Exchange Online passed `\n.\r\n` on verbatim in 2023): a body
    /// accepted this way must not be written to another server unmodified. [`DataEncoder`]
    /// refuses or normalizes it, so relaying through this crate is safe.
    Allow,
}

/// Policies and limits for the body decoders ([`DataDecoder`] and
/// [`BdatDecoder`](super::bdat::BdatDecoder)). The default is strict.
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
    /// with [`LineTooLong`](ParseErrorKind::LineTooLong) at its first octet past the limit;
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
    /// and the summary reports [`MessageTooLarge`](ParseErrorKind::MessageTooLarge): answer
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
    /// [`MessageTooLarge`](ParseErrorKind::MessageTooLarge), `503` for
    /// [`BdatAfterLast`](ParseErrorKind::BdatAfterLast), `500` for a line too long).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded<E> {
    /// Octets of the input consumed by this step.
    pub consumed: usize,
    /// What the step produced.
    pub event: E,
}

/// What one [`DataDecoder::decode`] step produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

// --- The scanner shared by the DATA and BDAT decoders -----------------------------------------

/// Where the scanner is in the octet stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// At the start of a line: after a CRLF, or the first octet of a DATA body.
    LineStart,
    /// Inside a line.
    Text,
    /// A CR was consumed inside a line and not yielded: it may start a CRLF.
    Cr,
    /// A line-start `.` was consumed (never yielded).
    Dot,
    /// A line-start `.` and a CR were consumed: LF now ends the data.
    DotCr,
    /// The end-of-data marker was consumed.
    Done,
}

/// What one scan step found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    /// Body octets to yield (non-empty).
    Run(&'a [u8]),
    /// All input consumed.
    NeedMore,
    /// The end-of-data marker was consumed (DATA only).
    End,
}

/// Orders refusals that share an offset, so the one kept does not depend on which was found
/// first.
const fn rank(kind: ParseErrorKind) -> u8 {
    match kind {
        ParseErrorKind::BdatAfterLast => 0,
        ParseErrorKind::BareCr | ParseErrorKind::BareLf => 1,
        ParseErrorKind::LineTooLong { .. } => 2,
        _ => 3,
    }
}

fn to_offset(at: u64) -> usize {
    usize::try_from(at).unwrap_or(usize::MAX)
}

/// The body state machine: line starts, dot removal (when `dots`), the end-of-data marker,
/// bare line ends, the line and size limits. All offsets are stream offsets from the first
/// octet of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scanner {
    config: BodyConfig,
    dots: bool,
    at: At,
    /// Stream offset of the next octet to consume.
    pos: u64,
    /// Stream offset of the first content octet of the current line.
    line_start: u64,
    /// Decoded octets so far, yielded or not.
    body_len: u64,
    /// The refusal with the smallest (offset, rank).
    refusal: Option<(u64, u8, ParseErrorKind)>,
    /// The fast path is not tried again before this stream offset (it just failed nearby).
    fast_from: u64,
}

/// The fast path needs at least this many octets to be worth its fixed cost.
const FAST_MIN: usize = 256;
/// After the fast path fails, the exact loop runs this far before it is tried again.
const FAST_BACKOFF: u64 = 4096;
/// The fast path pays off for short lines only: for lines longer than this, one `memchr2`
/// per line is cheaper than counting every octet.
const FAST_LINE: usize = 256;
/// The position of the first CR or LF in `s`. The next 16 octets are tested first as one
/// 128-bit word (exact byte masks, SWAR, no branch on where the match is): short lines, as in
/// dot-heavy bodies, then cost no `memchr2` call.
#[inline(always)]
fn find_line_end(s: &[u8]) -> Option<usize> {
    const LO7: u128 = 0x7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f_7f7f;
    const ONES: u128 = 0x0101_0101_0101_0101_0101_0101_0101_0101;
    let Some((word, rest)) = s.split_first_chunk::<16>() else { return memchr2(b'\r', b'\n', s) };
    let w = u128::from_le_bytes(*word);
    // The high bit of every octet of `x` that is zero, and no other bit.
    let zero = |x: u128| !(((x & LO7).wrapping_add(LO7)) | x | LO7);
    let m = zero(w ^ (ONES * u128::from(b'\r'))) | zero(w ^ (ONES * u128::from(b'\n')));
    if m != 0 {
        return Some((m.trailing_zeros() / 8) as usize);
    }
    memchr2(b'\r', b'\n', rest).map(|i| i + 16)
}

/// Counts CRs, LFs and CR LF pairs in `s`. Written so that the compiler vectorizes it (octet
/// counters over 255-octet strips): this is what lets the fast path check a whole region for
/// bare line ends at several GiB/s without `unsafe`.
fn line_end_counts(s: &[u8]) -> (usize, usize, usize) {
    let (Some(&first), Some(&last)) = (s.first(), s.last()) else { return (0, 0, 0) };
    let a = s.get(..s.len() - 1).unwrap_or(&[]);
    let b = s.get(1..).unwrap_or(&[]);
    // CRs of s[..len-1] and the last octet; LFs of s[1..] and the first octet; pairs.
    let (mut cr, mut lf, mut pairs) = (usize::from(last == b'\r'), usize::from(first == b'\n'), 0usize);
    for (sa, sb) in a.chunks(255).zip(b.chunks(255)) {
        let (mut c, mut l, mut p) = (0u8, 0u8, 0u8);
        for (&x, &y) in sa.iter().zip(sb) {
            let (is_cr, is_lf) = (x == b'\r', y == b'\n');
            c += u8::from(is_cr);
            l += u8::from(is_lf);
            p += u8::from(is_cr & is_lf);
        }
        cr += usize::from(c);
        lf += usize::from(l);
        pairs += usize::from(p);
    }
    (cr, lf, pairs)
}

/// The fast path shared by the decoders and the encoders. `rest` starts inside a line, with
/// no CR pending, and `carried` content octets of that line before it. Returns the length of a
/// prefix of `rest` of at least [`FAST_MIN`] octets that ends with a CRLF and holds no bare CR
/// or LF, no line-start dot (when `dots`) and no line over `max_line`, if one is found cheaply:
/// up to the first `\n.` (with `dots`) or the last LF. With `lenient` (bare line ends are data
/// and there is no line limit) only the last LF must end a CRLF.
///
/// For such a prefix the exact loops would find nothing to report and change nothing but
/// their position, so taking it whole changes no result. Bare line ends are ruled out by
/// counting (every CR is followed by LF and every LF preceded by CR exactly when the numbers
/// of CRs, LFs and CR LF pairs are equal), line lengths by one `memrchr` per line-limit
/// window. Only short lines are worth it: for long ones the exact loops' one `memchr2` per
/// line is cheaper than counting every octet.
#[inline(never)]
fn clean_prefix(rest: &[u8], dots: bool, lenient: bool, max_line: Option<usize>, carried: u64) -> Option<usize> {
    // Short lines only: the line after the first LF must end within FAST_LINE octets.
    let first = memchr(b'\n', rest.get(..4 * FAST_LINE).unwrap_or(rest))?;
    memchr(b'\n', rest.get(first + 1..(first + 1 + FAST_LINE).min(rest.len()))?)?;
    let end = match dots.then(|| memmem::find(rest, b"\n.")).flatten() {
        Some(p) => p + 1,
        None => memrchr(b'\n', rest)? + 1,
    };
    if end < FAST_MIN {
        return None;
    }
    let region = rest.get(..end)?;
    if lenient {
        if region.get(end - 2) != Some(&b'\r') {
            return None;
        }
    } else {
        let (cr, lf, pairs) = line_end_counts(region);
        if cr != pairs || lf != pairs {
            return None;
        }
    }
    if let Some(max) = max_line {
        let allowed = max.saturating_sub(2);
        // The first line carries what came before; its content ends at the CR.
        if carried.saturating_add(first as u64).saturating_sub(1) > allowed as u64 {
            return None;
        }
        // Then from each LF, the next one must come within `allowed + 2` octets.
        let mut lf = first;
        while lf + 1 < end {
            let window = region.get(lf + 1..(lf + 1).saturating_add(allowed + 2).min(end))?;
            lf += 1 + memrchr(b'\n', window)?;
        }
    }
    Some(end)
}

impl Scanner {
    pub(crate) const fn new(config: BodyConfig, dots: bool) -> Self {
        Self { config, dots, at: At::LineStart, pos: 0, line_start: 0, body_len: 0, refusal: None, fast_from: 0 }
    }

    pub(crate) const fn config(&self) -> &BodyConfig {
        &self.config
    }

    pub(crate) const fn is_done(&self) -> bool {
        matches!(self.at, At::Done)
    }

    pub(crate) fn refusal(&self) -> Option<ParseError> {
        self.refusal.map(|(at, _, kind)| ParseError::new(to_offset(at), kind))
    }

    pub(crate) fn summary(&self) -> BodySummary {
        BodySummary { refusal: self.refusal(), body_len: self.body_len, wire_len: self.pos }
    }

    /// Records a refusal at stream offset `at`; the earliest one wins.
    pub(crate) fn refuse(&mut self, at: u64, kind: ParseErrorKind) {
        let key = (at, rank(kind));
        match self.refusal {
            Some((o, r, _)) if (o, r) <= key => {}
            _ => self.refusal = Some((at, key.1, kind)),
        }
    }

    /// The current line's content runs up to stream offset `end` (exclusive): refuse the body
    /// if that is longer than the limit allows.
    #[inline]
    fn check_line(&mut self, end: u64) {
        if let Some(max) = self.config.max_line {
            let allowed = (max as u64).saturating_sub(2);
            if end.saturating_sub(self.line_start) > allowed {
                let at = self.line_start.saturating_add(allowed);
                self.refuse(at, ParseErrorKind::LineTooLong { limit: max });
            }
        }
    }

    /// Counts `run` into the body and returns the part of it that may be yielded: the octets
    /// that came from wire offsets before the refusal, if any. Octet `i` of `run` came from
    /// wire offset `wire + i` if `contiguous`, else from `wire` (a normalized line end).
    #[inline]
    fn emit<'a>(&mut self, run: &'a [u8], wire: u64, contiguous: bool) -> &'a [u8] {
        let before = self.body_len;
        let n = run.len() as u64;
        self.body_len = before.saturating_add(n);
        if let Some(max) = self.config.max_size {
            if before <= max && self.body_len > max {
                let k = max - before;
                self.refuse(
                    if contiguous { wire.saturating_add(k) } else { wire },
                    ParseErrorKind::MessageTooLarge { limit: max },
                );
            }
        }
        match self.refusal {
            None => run,
            Some((off, _, _)) if contiguous => {
                let keep = off.saturating_sub(wire).min(n);
                run.get(..keep as usize).unwrap_or(&[])
            }
            Some((off, _, _)) => {
                if wire < off {
                    run
                } else {
                    &[]
                }
            }
        }
    }

    /// A bare CR or LF (`c`) at stream offset `at`, already consumed, that was not yielded as
    /// part of a run. Returns what to yield for it.
    fn bare(&mut self, c: u8, at: u64) -> &'static [u8] {
        let single: &'static [u8] = if c == b'\r' { b"\r" } else { b"\n" };
        match self.config.bare_line_ends {
            BareLineEnds::Reject => {
                self.refuse(at, if c == b'\r' { ParseErrorKind::BareCr } else { ParseErrorKind::BareLf });
                self.check_line(at.saturating_add(1));
                self.emit(single, at, true)
            }
            BareLineEnds::Allow => {
                self.check_line(at.saturating_add(1));
                self.emit(single, at, true)
            }
            BareLineEnds::Normalize => {
                self.check_line(at);
                self.line_start = at.saturating_add(1);
                self.emit(b"\r\n", at, false)
            }
        }
    }

    /// Feeds octets that are not text (BINARYMIME with no checks): all of `input` is body.
    pub(crate) fn opaque<'a>(&mut self, input: &'a [u8]) -> &'a [u8] {
        let wire = self.pos;
        self.pos = wire.saturating_add(input.len() as u64);
        self.at = At::Text;
        self.emit(input, wire, true)
    }

    /// At the end of a BDAT message: a CR still held at the very end is a bare CR. Returns
    /// what to yield for it.
    pub(crate) fn finish(&mut self) -> &'static [u8] {
        if self.at == At::Cr {
            self.at = At::Text;
            let at = self.pos.saturating_sub(1);
            self.bare(b'\r', at)
        } else {
            &[]
        }
    }

    /// Consumes octets from the front of `input` until there is a run to yield, the end of
    /// data, or no more input.
    #[inline(always)]
    pub(crate) fn scan<'a>(&mut self, input: &'a [u8]) -> (usize, Step<'a>) {
        let base = self.pos;
        let (consumed, step) = self.scan_from(input, base);
        self.pos = base.saturating_add(consumed as u64);
        (consumed, step)
    }

    #[inline(always)]
    fn scan_from<'a>(&mut self, input: &'a [u8], base: u64) -> (usize, Step<'a>) {
        let off = |i: usize| base.saturating_add(i as u64);
        let mut i = 0usize;
        loop {
            match self.at {
                At::Done => return (i, Step::End),
                At::LineStart => match input.get(i) {
                    None => return (i, Step::NeedMore),
                    Some(b'.') if self.dots => {
                        i += 1;
                        self.line_start = off(i);
                        self.at = At::Dot;
                    }
                    Some(_) => self.at = At::Text,
                },
                At::Dot => match input.get(i) {
                    None => return (i, Step::NeedMore),
                    Some(b'\r') => {
                        i += 1;
                        self.at = At::DotCr;
                    }
                    // The dot was transparency: dropped. The line goes on from here.
                    Some(_) => self.at = At::Text,
                },
                At::Cr | At::DotCr => {
                    let Some(&c) = input.get(i) else { return (i, Step::NeedMore) };
                    // The held CR is the octet just before this one.
                    let cr = off(i).saturating_sub(1);
                    if c == b'\n' {
                        i += 1;
                        if self.at == At::DotCr {
                            self.at = At::Done;
                            return (i, Step::End);
                        }
                        self.check_line(cr);
                        self.at = At::LineStart;
                        self.line_start = off(i);
                        let run = self.emit(b"\r\n", cr, true);
                        if !run.is_empty() {
                            return (i, Step::Run(run));
                        }
                    } else {
                        self.at = At::Text;
                        let run = self.bare(b'\r', cr);
                        if !run.is_empty() {
                            return (i, Step::Run(run));
                        }
                    }
                }
                At::Text => {
                    if i >= input.len() {
                        return (i, Step::NeedMore);
                    }
                    let (next, run) = self.text(input, i, base);
                    i = next;
                    if !run.is_empty() {
                        return (i, Step::Run(run));
                    }
                }
            }
        }
    }

    /// Whether the scan must stop at line start `j`: before a dot (DATA only) or at the end of
    /// the input.
    #[inline]
    fn at_line_start_stop(&self, input: &[u8], j: usize) -> bool {
        match input.get(j) {
            Some(b'.') => self.dots,
            Some(_) => false,
            None => true,
        }
    }

    /// The fast path for the decoders: see [`clean_prefix`]. `rest` starts inside a line
    /// (state `Text`, no CR pending) at stream offset `at`.
    fn clean_region(&self, rest: &[u8], at: u64) -> Option<usize> {
        let lenient = self.config.bare_line_ends == BareLineEnds::Allow && self.config.max_line.is_none();
        clean_prefix(rest, self.dots, lenient, self.config.max_line, at.saturating_sub(self.line_start))
    }

    /// The hot loop: from `start` (inside a line, `start < input.len()`), scans for CR and LF
    /// and returns where it stopped and the run to yield (possibly empty if refused). Stops at
    /// the end of input, before a line-start `.`, at a CR that ends the input, and around a
    /// bare line end that is normalized.
    #[inline(always)]
    fn text<'a>(&mut self, input: &'a [u8], start: usize, base: u64) -> (usize, &'a [u8]) {
        let off = |i: usize| base.saturating_add(i as u64);
        let mut j = start;
        if input.len() - start >= FAST_MIN && off(start) >= self.fast_from {
            match self.clean_region(input.get(start..).unwrap_or(&[]), off(start)) {
                Some(len) => {
                    // `len` octets of whole, well-formed lines: the exact loop would scan them
                    // and find nothing to report. The next octet starts a line.
                    j = start + len;
                    self.line_start = off(j);
                    if self.at_line_start_stop(input, j) {
                        self.at = At::LineStart;
                        let run = input.get(start..j).unwrap_or(&[]);
                        return (j, self.emit(run, off(start), true));
                    }
                }
                None => self.fast_from = off(start).saturating_add(FAST_BACKOFF),
            }
        }
        loop {
            let rest = input.get(j..).unwrap_or(&[]);
            let Some(k) = find_line_end(rest) else {
                let end = input.len();
                self.check_line(off(end));
                let run = input.get(start..end).unwrap_or(&[]);
                return (end, self.emit(run, off(start), true));
            };
            let p = j + k;
            self.check_line(off(p));
            let is_cr = input.get(p) == Some(&b'\r');
            let after = input.get(p + 1).copied();
            if is_cr && after == Some(b'\n') {
                // CRLF: the line ends, the next one starts at p + 2.
                j = p + 2;
                self.line_start = off(j);
                if !self.at_line_start_stop(input, j) {
                    continue;
                }
                let run = input.get(start..j).unwrap_or(&[]);
                // A line-start dot followed by something other than CR is transparency:
                // consume it here (it is never yielded) and go on inside the line.
                if let Some(&c) = input.get(j + 1) {
                    if c != b'\r' && input.get(j) == Some(&b'.') {
                        self.line_start = off(j + 1);
                        return (j + 1, self.emit(run, off(start), true));
                    }
                }
                self.at = At::LineStart;
                return (j, self.emit(run, off(start), true));
            }
            if is_cr && after.is_none() {
                // A CR ends the input: hold it until the next octet says what it is.
                self.at = At::Cr;
                let run = input.get(start..p).unwrap_or(&[]);
                return (p + 1, self.emit(run, off(start), true));
            }
            // A bare CR (followed by something other than LF) or a bare LF at p.
            let c = if is_cr { b'\r' } else { b'\n' };
            match self.config.bare_line_ends {
                BareLineEnds::Normalize => {
                    if p > start {
                        let run = input.get(start..p).unwrap_or(&[]);
                        return (p, self.emit(run, off(start), true));
                    }
                    return (p + 1, self.bare(c, off(p)));
                }
                BareLineEnds::Reject => {
                    self.refuse(off(p), if is_cr { ParseErrorKind::BareCr } else { ParseErrorKind::BareLf });
                    j = p + 1;
                }
                BareLineEnds::Allow => j = p + 1,
            }
        }
    }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

// --- Encoders ----------------------------------------------------------------------------------

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
    /// [`BareCr`](ParseErrorKind::BareCr)/[`BareLf`](ParseErrorKind::BareLf).
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
    /// body with a longer line is refused with [`LineTooLong`](ParseErrorKind::LineTooLong)
    /// rather than sent to servers that would refuse it or split it (lettre issue #347 sent
    /// whole attachments as one line). Lifting the limit is for peers known to accept long
    /// lines; encode such content with a MIME transfer encoding instead when you can.
    #[must_use]
    pub const fn with_max_line(mut self, octets: Option<usize>) -> Self {
        self.max_line = octets;
        self
    }
}

/// The text writer shared by the DATA and BDAT encoders: checks or normalizes line ends,
/// checks line lengths and, when `dots`, stuffs a `.` at every line start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Writer {
    config: EncoderConfig,
    dots: bool,
    at_line_start: bool,
    /// The last octet seen was a CR that has not been written yet.
    held_cr: bool,
    /// Body offset of the next input octet.
    pos: u64,
    /// Body offset of the first content octet of the current line.
    line_start: u64,
    error: Option<ParseError>,
    /// The fast path is not tried again before this body offset.
    fast_from: u64,
}

impl Writer {
    pub(crate) const fn new(config: EncoderConfig, dots: bool) -> Self {
        Self { config, dots, at_line_start: true, held_cr: false, pos: 0, line_start: 0, error: None, fast_from: 0 }
    }

    pub(crate) const fn at_line_start(&self) -> bool {
        self.at_line_start
    }

    pub(crate) const fn error(&self) -> Option<ParseError> {
        self.error
    }

    /// Writes `body` (the next octets of the body) to `out`. On error, `out` holds the
    /// encoding of every octet before the offending one and the writer refuses all further
    /// input with the same error.
    pub(crate) fn write(&mut self, body: &[u8], out: &mut impl Sink) -> Result<(), ParseError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let base = self.pos;
        let r = self.write_from(body, out, base);
        self.pos = base.saturating_add(body.len() as u64);
        if let Err(e) = r {
            self.error = Some(e);
        }
        r
    }

    /// At the end of the body: resolves a held CR (a bare CR, since nothing follows it).
    pub(crate) fn end(&mut self, out: &mut impl Sink) -> Result<(), ParseError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.held_cr {
            self.held_cr = false;
            let at = self.pos.saturating_sub(1);
            if !self.config.normalize {
                let e = ParseError::new(to_offset(at), ParseErrorKind::BareCr);
                self.error = Some(e);
                return Err(e);
            }
            out.put(b"\r\n");
            self.at_line_start = true;
            self.line_start = self.pos;
        }
        Ok(())
    }

    /// The line's content runs to body offset `end`: an error at the first octet past the
    /// limit, if any.
    #[inline]
    fn check_line(&self, end: u64) -> Result<(), u64> {
        if let Some(max) = self.config.max_line {
            let allowed = (max as u64).saturating_sub(2);
            if end.saturating_sub(self.line_start) > allowed {
                return Err(self.line_start.saturating_add(allowed));
            }
        }
        Ok(())
    }

    fn write_from(&mut self, body: &[u8], out: &mut impl Sink, base: u64) -> Result<(), ParseError> {
        let off = |i: usize| base.saturating_add(i as u64);
        let too_long = |at: u64, max: Option<usize>| {
            ParseError::new(to_offset(at), ParseErrorKind::LineTooLong { limit: max.unwrap_or(0) })
        };
        let mut i = 0usize;
        if self.held_cr {
            let Some(&c) = body.first() else { return Ok(()) };
            self.held_cr = false;
            if c == b'\n' {
                i = 1;
            } else if !self.config.normalize {
                return Err(ParseError::new(to_offset(base.saturating_sub(1)), ParseErrorKind::BareCr));
            }
            out.put(b"\r\n");
            self.at_line_start = true;
            self.line_start = off(i);
        }
        // Octets from `s` up to the current position are still to be written.
        let mut s = i;
        loop {
            if self.at_line_start {
                match body.get(i) {
                    None => {
                        out.put(body.get(s..i).unwrap_or(&[]));
                        return Ok(());
                    }
                    Some(b'.') if self.dots => {
                        out.put(body.get(s..i).unwrap_or(&[]));
                        out.put(b".");
                        s = i;
                    }
                    Some(_) => {}
                }
                self.at_line_start = false;
            }
            let rest = body.get(i..).unwrap_or(&[]);
            if rest.len() >= FAST_MIN && off(i) >= self.fast_from {
                let carried = off(i).saturating_sub(self.line_start);
                match clean_prefix(rest, self.dots, false, self.config.max_line, carried) {
                    Some(len) => {
                        // Whole, well-formed lines with no line-start dot: written as they are.
                        i += len;
                        self.line_start = off(i);
                        self.at_line_start = true;
                        continue;
                    }
                    None => self.fast_from = off(i).saturating_add(FAST_BACKOFF),
                }
            }
            let Some(k) = find_line_end(rest) else {
                if let Err(at) = self.check_line(off(body.len())) {
                    let upto = usize::try_from(at.saturating_sub(base)).unwrap_or(body.len());
                    out.put(body.get(s..upto).unwrap_or(&[]));
                    return Err(too_long(at, self.config.max_line));
                }
                out.put(body.get(s..).unwrap_or(&[]));
                return Ok(());
            };
            let p = i + k;
            if let Err(at) = self.check_line(off(p)) {
                let upto = usize::try_from(at.saturating_sub(base)).unwrap_or(p);
                out.put(body.get(s..upto).unwrap_or(&[]));
                return Err(too_long(at, self.config.max_line));
            }
            let is_cr = body.get(p) == Some(&b'\r');
            let after = body.get(p + 1).copied();
            if is_cr && after == Some(b'\n') {
                i = p + 2;
                self.line_start = off(i);
                self.at_line_start = true;
                continue;
            }
            out.put(body.get(s..p).unwrap_or(&[]));
            if is_cr && after.is_none() {
                self.held_cr = true;
                return Ok(());
            }
            if !self.config.normalize {
                let kind = if is_cr { ParseErrorKind::BareCr } else { ParseErrorKind::BareLf };
                return Err(ParseError::new(to_offset(off(p)), kind));
            }
            out.put(b"\r\n");
            i = p + 1;
            s = i;
            self.line_start = off(i);
            self.at_line_start = true;
        }
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
/// On an error, `out` holds the encoding of every body octet before the offending one and the
/// encoder refuses everything after. The body cannot be sent: SMTP has no way to abandon
/// `DATA`, and sending the end-of-data marker would deliver a truncated message, so close the
/// connection (or check the body before sending `DATA`).
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
/// let err = DataEncoder::default().encode(b"bare\nLF", &mut Vec::new()).unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (smtp_wire::ParseErrorKind::BareLf, 4));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        self.writer.write(body, out)
    }

    /// Ends the body: appends a CRLF if the body did not end with one, then `.\r\n`.
    pub fn finish(mut self, out: &mut alloc::vec::Vec<u8>) -> Result<(), ParseError> {
        self.writer.end(out)?;
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
