//! The body scanner behind [`DataDecoder`](crate::framing::DataDecoder) and
//! [`BdatDecoder`](crate::framing::BdatDecoder): line starts, dot removal, the end-of-data
//! marker, bare line ends, the line and size limits.

use super::fast::{FAST_BACKOFF, FAST_MIN, clean_prefix, find_line_end};
use super::{BareLineEnds, BodyConfig, BodySummary, to_offset};
use crate::{ParseError, ParseErrorKind};

/// Where the scanner is in the octet stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// The body state machine: line starts, dot removal (when `dots`), the end-of-data marker,
/// bare line ends, the line and size limits. All offsets are stream offsets from the first
/// octet of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
