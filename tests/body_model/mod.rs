//! A reference model of the body decoders, written to be obviously right rather than fast:
//! it looks at the whole stream at once, one octet at a time, and states each rule of RFC 5321
//! §4.1.1.4/§4.5.2 and of the crate's policies directly. The streaming decoders must agree
//! with it on every input and every split (the property tests and the fuzz targets check that).
//!
//! Rules, as the crate documents them:
//! - a line starts at the first octet of a DATA body and after every CRLF (a CR immediately
//!   followed by an LF); nothing else starts a line;
//! - at a line start, `.` CR LF ends the data; any other `.` there is removed;
//! - every other octet is body; a bare CR or LF is refused (offset of the octet), kept, or
//!   replaced by CRLF, by policy; a replaced one ends the line for the line limit;
//! - a line's content (octets after its start and any removed dot, before its CRLF) may have at
//!   most `max_line - 2` octets; the refusal is at the first octet past that;
//! - the body may have at most `max_size` decoded octets; the refusal is at the wire octet that
//!   produced the first decoded octet past that;
//! - of several refusals the one at the smallest offset wins (ties: bare line end before line
//!   length before size); the output is every decoded octet produced by a wire octet before
//!   the refusal.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use smtp_wire::ParseErrorKind;
use smtp_wire::framing::{
    BareLineEnds, BdatDecoder, BdatEvent, BodyConfig, BodySummary, ChunkEnd, DataDecoder, DataEvent,
};

/// What the model says about a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The octets a decoder must yield.
    pub output: Vec<u8>,
    /// The refusal, as (offset, kind).
    pub refusal: Option<(u64, ParseErrorKind)>,
    /// Every decoded octet, refused or not.
    pub body_len: u64,
    /// Octets of the stream that belong to the body (DATA: through the final `.\r\n`).
    pub wire_len: u64,
}

fn rank(k: ParseErrorKind) -> u8 {
    match k {
        ParseErrorKind::BdatAfterLast => 0,
        ParseErrorKind::BareCr | ParseErrorKind::BareLf => 1,
        ParseErrorKind::LineTooLong { .. } => 2,
        _ => 3,
    }
}

struct Acc<'c> {
    cfg: &'c BodyConfig,
    /// (decoded octet, wire offset it came from)
    full: Vec<(u8, u64)>,
    refusals: Vec<(u64, ParseErrorKind)>,
    content_start: u64,
}

impl Acc<'_> {
    fn line_ends_at(&mut self, end: u64) {
        if let Some(max) = self.cfg.max_line() {
            let allowed = (max as u64).saturating_sub(2);
            if end - self.content_start > allowed {
                self.refusals.push((self.content_start + allowed, ParseErrorKind::LineTooLong { limit: max }));
            }
        }
    }

    /// A bare CR or LF at wire offset `i`.
    fn bare(&mut self, c: u8, i: u64) {
        match self.cfg.bare_line_ends() {
            BareLineEnds::Reject => {
                let kind = if c == b'\r' { ParseErrorKind::BareCr } else { ParseErrorKind::BareLf };
                self.refusals.push((i, kind));
                self.full.push((c, i));
            }
            BareLineEnds::Normalize => {
                self.line_ends_at(i);
                self.full.push((b'\r', i));
                self.full.push((b'\n', i));
                self.content_start = i + 1;
            }
            _ => self.full.push((c, i)),
        }
    }

    fn finish(mut self, wire_len: u64, pre: Option<(u64, ParseErrorKind)>) -> Model {
        if let Some(max) = self.cfg.max_size() {
            if let Some(&(_, w)) = self.full.get(max as usize) {
                self.refusals.push((w, ParseErrorKind::MessageTooLarge { limit: max }));
            }
        }
        self.refusals.extend(pre);
        let refusal = self.refusals.iter().copied().min_by_key(|&(o, k)| (o, rank(k)));
        let output = self.full.iter().filter(|&&(_, w)| refusal.is_none_or(|(o, _)| w < o)).map(|&(c, _)| c).collect();
        Model { output, refusal, body_len: self.full.len() as u64, wire_len }
    }
}

/// The DATA body at the front of `stream` (the octets after the `DATA` command's CRLF), or
/// `None` if the stream ends before the end-of-data marker.
pub fn data(stream: &[u8], cfg: &BodyConfig) -> Option<Model> {
    let mut acc = Acc { cfg, full: Vec::new(), refusals: Vec::new(), content_start: 0 };
    let line_start = |i: usize| i == 0 || (i >= 2 && &stream[i - 2..i] == b"\r\n");
    let mut i = 0;
    let mut dot_removed_at = usize::MAX;
    loop {
        if i >= stream.len() {
            return None;
        }
        if line_start(i) && dot_removed_at != i {
            let rest = &stream[i..];
            if rest.starts_with(b".\r\n") {
                return Some(acc.finish(i as u64 + 3, None));
            }
            if rest[0] == b'.' {
                // Undecidable until the octets after the dot are known.
                if b".\r\n".starts_with(rest) {
                    return None;
                }
                i += 1;
                acc.content_start = i as u64;
                dot_removed_at = i;
                continue;
            }
        }
        let c = stream[i];
        let w = i as u64;
        if c == b'\r' && stream.get(i + 1) == Some(&b'\n') {
            acc.line_ends_at(w);
            acc.full.push((b'\r', w));
            acc.full.push((b'\n', w + 1));
            i += 2;
            acc.content_start = i as u64;
        } else if c == b'\r' && i + 1 == stream.len() {
            return None;
        } else if c == b'\r' || c == b'\n' {
            acc.bare(c, w);
            i += 1;
        } else {
            acc.full.push((c, w));
            i += 1;
        }
    }
}

/// A whole BDAT message: `payload` is the concatenation of its chunks. `after_last` marks a
/// message whose chunks came after the transaction's LAST chunk.
pub fn bdat(payload: &[u8], cfg: &BodyConfig, after_last: bool) -> Model {
    let mut acc = Acc { cfg, full: Vec::new(), refusals: Vec::new(), content_start: 0 };
    let mut i = 0;
    while i < payload.len() {
        let c = payload[i];
        let w = i as u64;
        if c == b'\r' && payload.get(i + 1) == Some(&b'\n') {
            acc.line_ends_at(w);
            acc.full.push((b'\r', w));
            acc.full.push((b'\n', w + 1));
            i += 2;
            acc.content_start = i as u64;
        } else if c == b'\r' || c == b'\n' {
            acc.bare(c, w);
            i += 1;
        } else {
            acc.full.push((c, w));
            i += 1;
        }
    }
    // The last line needs no CRLF in BDAT: its content is checked up to the end.
    acc.line_ends_at(payload.len() as u64);
    let pre = after_last.then_some((0, ParseErrorKind::BdatAfterLast));
    acc.finish(payload.len() as u64, pre)
}

/// What a body with bare line ends becomes under `Normalize`: every bare CR and bare LF
/// replaced by CRLF.
pub fn normalize(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        match (body[i], body.get(i + 1)) {
            (b'\r', Some(b'\n')) => {
                out.extend_from_slice(b"\r\n");
                i += 2;
            }
            (b'\r' | b'\n', _) => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The offset of the first bare CR or bare LF in `body`, with its kind.
pub fn first_bare(body: &[u8]) -> Option<(usize, ParseErrorKind)> {
    let mut i = 0;
    while i < body.len() {
        match (body[i], body.get(i + 1)) {
            (b'\r', Some(b'\n')) => i += 2,
            (b'\r', _) => return Some((i, ParseErrorKind::BareCr)),
            (b'\n', _) => return Some((i, ParseErrorKind::BareLf)),
            _ => i += 1,
        }
    }
    None
}

/// A body as the DATA encoder sends it and a strict decoder reads it back: CRLF appended to a
/// body that does not end with one.
pub fn with_final_crlf(body: &[u8]) -> Vec<u8> {
    let mut v = body.to_vec();
    if !v.is_empty() && !v.ends_with(b"\r\n") {
        v.extend_from_slice(b"\r\n");
    }
    v
}

/// The reference dot-stuffing: a `.` added at the start of every line (after every CRLF and at
/// the start) that begins with `.`, then the final CRLF if missing and `.\r\n`. Only for
/// bodies without bare line ends.
pub fn stuff(body: &[u8]) -> Vec<u8> {
    let body = with_final_crlf(body);
    let mut out = Vec::new();
    for line in body.split_inclusive(|&c| c == b'\n') {
        if line.first() == Some(&b'.') {
            out.push(b'.');
        }
        out.extend_from_slice(line);
    }
    out.extend_from_slice(b".\r\n");
    out
}

// --- Drivers: the streaming decoders fed in pieces, as a network reader would ---------------

/// The cut points as sorted piece ends within `len`, ending with `len`.
fn pieces(len: usize, cuts: &[usize]) -> Vec<usize> {
    let mut v: Vec<usize> = cuts.iter().map(|&c| c.min(len)).collect();
    v.push(len);
    v.sort_unstable();
    v
}

/// What a [`DataDecoder`] did with a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRun {
    /// Every body octet yielded, in order.
    pub output: Vec<u8>,
    /// Where the body ended in the stream (octets through the final LF) and the summary.
    pub end: Option<(usize, BodySummary)>,
    /// The summary when the stream ran out (equal to the end summary if it ended).
    pub summary: BodySummary,
}

/// Runs a [`DataDecoder`] over `stream`, handed in as pieces that end at `cuts`. Checks the
/// decoder's contract on the way: never consumes more than it is given, consumes everything
/// before the end, yields non-empty runs, makes progress, and `End` is fused.
pub fn run_data(stream: &[u8], cfg: BodyConfig, cuts: &[usize]) -> DataRun {
    let mut dec = DataDecoder::new(cfg);
    let mut output = Vec::new();
    let mut fed = 0;
    let mut steps = 0usize;
    for cut in pieces(stream.len(), cuts) {
        let mut input = &stream[fed..cut];
        fed = cut;
        loop {
            steps += 1;
            assert!(steps <= 4 * stream.len() + 16, "no progress");
            let d = dec.decode(input);
            assert!(d.consumed <= input.len());
            input = &input[d.consumed..];
            match d.event {
                DataEvent::Body(run) => {
                    assert!(!run.is_empty(), "empty body run");
                    output.extend_from_slice(run);
                }
                DataEvent::NeedMore => {
                    assert!(input.is_empty(), "NeedMore with {} octets left", input.len());
                    assert!(!dec.is_done());
                    break;
                }
                DataEvent::End(summary) => {
                    assert!(dec.is_done());
                    let at = cut - input.len();
                    assert_eq!(summary.wire_len(), at as u64);
                    assert_eq!(summary, dec.summary());
                    // Fused: the same end again, nothing consumed.
                    let again = dec.decode(input);
                    assert_eq!((again.consumed, again.event), (0, DataEvent::End(summary)));
                    return DataRun { output, end: Some((at, summary)), summary };
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    DataRun { output, end: None, summary: dec.summary() }
}

/// What a [`BdatDecoder`] did with a sequence of chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BdatRun {
    /// Every body octet yielded, in order.
    pub output: Vec<u8>,
    /// The end of every chunk that was read to its end.
    pub ends: Vec<ChunkEnd>,
}

/// Runs one [`BdatDecoder`] over `chunks` (size, last) whose octets are `payload`, handed in
/// as pieces ending at `cuts`. Stops when the payload runs out.
pub fn run_bdat(chunks: &[(u64, bool)], payload: &[u8], cfg: BodyConfig, cuts: &[usize]) -> BdatRun {
    let mut dec = BdatDecoder::new(cfg);
    let ends_at = pieces(payload.len(), cuts);
    let mut next_piece = 0;
    let mut fed = 0;
    let mut input: &[u8] = &[];
    let mut output = Vec::new();
    let mut ends = Vec::new();
    let mut steps = 0usize;
    assert_eq!(dec.decode(b"xyz").event, BdatEvent::Idle);
    for &(size, last) in chunks {
        dec.start_chunk(size, last).unwrap();
        assert!(dec.in_chunk());
        assert_eq!(
            dec.start_chunk(1, false).unwrap_err().kind(),
            ParseErrorKind::ChunkInProgress,
            "a second chunk while one is open"
        );
        loop {
            steps += 1;
            assert!(steps <= 4 * payload.len() + 4 * chunks.len() + 16, "no progress");
            let d = dec.decode(input);
            assert!(d.consumed <= input.len());
            input = &input[d.consumed..];
            match d.event {
                BdatEvent::Body(run) => {
                    assert!(!run.is_empty(), "empty body run");
                    output.extend_from_slice(run);
                }
                BdatEvent::NeedMore => {
                    assert!(input.is_empty());
                    let Some(&cut) = ends_at.get(next_piece) else { return BdatRun { output, ends } };
                    next_piece += 1;
                    input = &payload[fed..cut];
                    fed = cut;
                }
                BdatEvent::ChunkEnd(end) => {
                    assert_eq!((end.size(), end.is_last()), (size, last));
                    assert_eq!(*end.summary(), dec.summary());
                    assert!(!dec.in_chunk());
                    assert_eq!(dec.is_complete(), last);
                    assert_eq!(dec.decode(input).event, BdatEvent::Idle);
                    ends.push(end);
                    break;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    BdatRun { output, ends }
}

/// The model's view of a chunk sequence: one model per message (a message ends at a LAST
/// chunk; chunks after it start a message refused as BDAT-after-LAST).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BdatModel {
    /// The output of the complete messages, in order.
    pub output: Vec<u8>,
    /// The final state of each complete message.
    pub messages: Vec<Model>,
    /// The chunks read so far of a message without its LAST chunk, modelled as if it ended
    /// there: a decoder's output for it must be a prefix of this model's output (it cannot
    /// yield a CR at the end before it knows the next octet).
    pub unfinished: Option<Model>,
}

impl BdatModel {
    /// Checks a decoder run against the model.
    pub fn check(&self, run: &BdatRun) {
        assert!(run.output.starts_with(&self.output), "output of complete messages differs from the model");
        let rest = &run.output[self.output.len()..];
        match &self.unfinished {
            Some(m) => assert!(m.output.starts_with(rest), "unfinished message: yielded octets the model does not"),
            None => assert!(rest.is_empty(), "output after the last message"),
        }
        let lasts: Vec<_> = run.ends.iter().filter(|e| e.is_last()).collect();
        assert_eq!(lasts.len(), self.messages.len());
        for (e, m) in lasts.iter().zip(&self.messages) {
            let s = e.summary();
            assert_eq!((s.body_len(), s.wire_len()), (m.body_len, m.wire_len));
            assert_eq!(s.refusal().map(|e| (e.offset() as u64, e.kind())), m.refusal);
        }
    }
}

/// Models `chunks` (size, last) over `payload`, which may end inside a chunk.
pub fn bdat_messages(chunks: &[(u64, bool)], payload: &[u8], cfg: &BodyConfig) -> BdatModel {
    let mut output = Vec::new();
    let mut messages = Vec::new();
    let mut at = 0usize;
    let mut start = 0usize;
    let mut after_last = false;
    for &(size, last) in chunks {
        if at + size as usize > payload.len() {
            // The stream ends inside this chunk: what arrived belongs to the unfinished message.
            at = payload.len();
            break;
        }
        at += size as usize;
        if last {
            let m = bdat(&payload[start..at], cfg, after_last);
            output.extend_from_slice(&m.output);
            messages.push(m);
            start = at;
            after_last = true;
        }
    }
    let unfinished = (start < at).then(|| bdat(&payload[start..at], cfg, after_last));
    BdatModel { output, messages, unfinished }
}

/// Reads a whole stream of `BDAT` commands and their chunks, as an encoder wrote it, with the
/// real command parser and [`BdatDecoder`](smtp_wire::framing::BdatDecoder) under `cfg`.
/// Checks that every header re-encodes exactly, that no `BDAT 0` lacks `LAST`, that every chunk
/// is accepted and that nothing follows the `LAST` chunk. Returns the decoded body and the raw
/// chunk octets as sent.
pub fn decode_bdat_wire(wire: &[u8], cfg: BodyConfig) -> (Vec<u8>, Vec<u8>) {
    use smtp_wire::framing::{BdatDecoder, BdatEvent};
    use smtp_wire::{Command, CommandBody, Encode, Status};
    let mut decoder = BdatDecoder::new(cfg);
    let mut rest = wire;
    let (mut out, mut payload) = (Vec::new(), Vec::new());
    while !decoder.is_complete() {
        let Ok(Status::Complete { value, consumed }) = Command::parse_prefix(rest) else {
            panic!("not a BDAT command: {}", rest.escape_ascii())
        };
        assert_eq!(value.to_vec(), &rest[..consumed], "header re-encodes");
        let &CommandBody::Bdat { size, last } = value.body() else { panic!("{value:?}") };
        assert!(size > 0 || last, "BDAT 0 without LAST");
        rest = &rest[consumed..];
        payload.extend_from_slice(&rest[..size as usize]);
        decoder.start_chunk(size, last).unwrap();
        loop {
            let d = decoder.decode(rest);
            rest = &rest[d.consumed..];
            match d.event {
                BdatEvent::Body(b) => out.extend_from_slice(b),
                BdatEvent::ChunkEnd(e) => {
                    assert!(e.summary().is_accepted(), "{:?}", e.summary());
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(rest.is_empty(), "octets after the LAST chunk");
    (out, payload)
}
