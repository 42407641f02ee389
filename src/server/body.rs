//! Message bodies: DATA through [`DataDecoder`](crate::framing::DataDecoder), BDAT chunks
//! through [`BdatDecoder`](crate::framing::BdatDecoder), refused chunks skipped.

use super::event::ServerEvent;
use super::reply::Canned;
use super::state::{Pending, Phase, Server, Step};
use crate::framing::{BdatEvent, BodySummary, DataEvent};
use crate::{BodyType, ParseError, ParseErrorKind};

impl Server {
    /// Octets of a DATA body.
    pub(super) fn step_data<'a>(&mut self, rest: &'a [u8]) -> Step<'a> {
        let Phase::Data(mut decoder) = self.phase else { return Step::Progress(0) };
        let d = decoder.0.decode(rest);
        self.phase = Phase::Data(decoder);
        match d.event {
            DataEvent::Body(run) => self.body(d.consumed, run),
            DataEvent::End(summary) => {
                self.phase = Phase::Command;
                self.message_end(d.consumed, summary)
            }
            _ => Step::Blocked(d.consumed),
        }
    }

    /// Octets of a BDAT chunk.
    pub(super) fn step_chunk<'a>(&mut self, rest: &'a [u8]) -> Step<'a> {
        let Some(mut decoder) = self.tx.and_then(|t| t.bdat) else {
            self.phase = Phase::Command;
            return Step::Progress(0);
        };
        let d = decoder.0.decode(rest);
        if let Some(tx) = self.tx.as_mut() {
            tx.bdat = Some(decoder);
        }
        match d.event {
            BdatEvent::Body(run) => self.body(d.consumed, run),
            BdatEvent::ChunkEnd(end) => {
                self.phase = Phase::Command;
                if end.is_last() {
                    self.out.flush();
                    return self.message_end(d.consumed, *end.summary());
                }
                // RFC 3030 §2: a reply per chunk; after a refusal the rest of the message
                // is still read, chunk by chunk, until LAST or RSET. The application hears
                // of the refusal once, at the first refused chunk, so it drops the body.
                match end.summary().refusal() {
                    Some(reason) => {
                        self.put(refusal_reply(reason.kind()));
                        match self.tx.as_mut() {
                            Some(tx) if !tx.refused => {
                                tx.refused = true;
                                Step::Event(d.consumed, ServerEvent::MessageRefused { reason })
                            }
                            _ => Step::Progress(d.consumed),
                        }
                    }
                    None => {
                        self.put(Canned::ChunkOk);
                        Step::Progress(d.consumed)
                    }
                }
            }
            BdatEvent::NeedMore => Step::Blocked(d.consumed),
            _ => {
                self.phase = Phase::Command;
                Step::Progress(d.consumed)
            }
        }
    }

    /// Octets of a BDAT chunk refused on its command line.
    pub(super) fn step_skip<'a>(&mut self, rest: &'a [u8]) -> Step<'a> {
        let Phase::Skip { remaining, reply } = self.phase else { return Step::Progress(0) };
        let take = usize::try_from(remaining).map_or(rest.len(), |r| r.min(rest.len()));
        let left = remaining - take as u64;
        if left > 0 {
            self.phase = Phase::Skip { remaining: left, reply };
            return Step::Blocked(take);
        }
        self.phase = Phase::Command;
        if reply.is_client_error() {
            self.fail(take, reply)
        } else {
            self.put(reply);
            Step::Progress(take)
        }
    }

    /// Body octets for the application; notes 8-bit octets MAIL did not declare.
    fn body<'a>(&mut self, n: usize, run: &'a [u8]) -> Step<'a> {
        if let Some(tx) = self.tx.as_mut() {
            let declared = matches!(tx.body, Some(BodyType::EightBitMime | BodyType::BinaryMime));
            if !declared && !tx.undeclared_8bit && !run.is_ascii() {
                tx.undeclared_8bit = true;
            }
        }
        Step::Event(n, ServerEvent::Body(run))
    }

    /// The end of a message: refused by the framing (5yz, the transaction ends) or a
    /// question for the application.
    fn message_end<'a>(&mut self, n: usize, summary: BodySummary) -> Step<'a> {
        let undeclared_8bit = self.tx.is_some_and(|t| t.undeclared_8bit);
        let refusal = match summary.refusal() {
            None if undeclared_8bit && self.config.reject_undeclared_8bit => {
                Some(ParseError::new(0, ParseErrorKind::NonAscii))
            }
            other => other,
        };
        if let Some(reason) = refusal {
            // RFC 2033 §4.2: in LMTP one reply per accepted recipient, refusals included.
            let replies = if self.config.lmtp { self.tx.map_or(1, |t| t.rcpts.max(1)) } else { 1 };
            for _ in 0..replies {
                self.put(refusal_reply(reason.kind()));
            }
            self.out.flush();
            let announced = self.tx.is_some_and(|t| t.refused);
            self.tx = None;
            if announced {
                return Step::Progress(n);
            }
            return Step::Event(n, ServerEvent::MessageRefused { reason });
        }
        let recipients = self.tx.map_or(0, |t| t.rcpts);
        let left = if self.config.lmtp { recipients.max(1) } else { 1 };
        self.pending = Some(Pending::Message { left });
        let needs_smtputf8 = self.tx.is_some_and(|t| t.needs_smtputf8);
        Step::Event(n, ServerEvent::MessageComplete { summary, recipients, undeclared_8bit, needs_smtputf8 })
    }
}

/// The reply to a body the framing refused.
fn refusal_reply(kind: ParseErrorKind) -> Canned {
    match kind {
        ParseErrorKind::MessageTooLarge { .. } => Canned::BodySize,
        ParseErrorKind::BareCr | ParseErrorKind::BareLf => Canned::BodyBareLineEnd,
        ParseErrorKind::LineTooLong { .. } => Canned::BodyLineTooLong,
        ParseErrorKind::BdatAfterLast => Canned::BadSequence,
        ParseErrorKind::NonAscii => Canned::Undeclared8bit,
        _ => Canned::BodyRefused,
    }
}
