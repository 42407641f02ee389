//! The text writer behind [`DataEncoder`](crate::framing::DataEncoder) and
//! [`BdatEncoder`](crate::framing::BdatEncoder): checks or normalizes line ends, checks line
//! lengths and, for DATA, stuffs a `.` at every line start.

use super::fast::{FAST_BACKOFF, FAST_MIN, clean_prefix, find_line_end};
use super::{EncoderConfig, to_offset};
use crate::wire::Sink;
use crate::{ParseError, ParseErrorKind};

/// The text writer shared by the DATA and BDAT encoders: checks or normalizes line ends,
/// checks line lengths and, when `dots`, stuffs a `.` at every line start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
