//! [`Client::submit`] and [`Client::body_chunk`]: one message, its envelope checked against
//! the server's offer before anything is written, its body whole or streamed.

use alloc::vec::Vec;

use super::envelope::Envelope;
use super::event::{Awaiting, ClientError};
use super::state::{BodyStream, Client, Txn};
use crate::framing::{BdatEncoder, DataEncoder, EncoderConfig};
use crate::session::TlsPolicy;
use crate::{BodyType, Command, Encode, Extension, Param, Params};

/// The extension a known parameter belongs to; the server must offer it (RFC 5321 §4.1.1.11:
/// a parameter is only used with the extension that defines it).
fn extension_of(param: &Param<'_>) -> Option<Extension> {
    Some(match param {
        Param::Size(_) => Extension::Size,
        Param::Body(BodyType::SevenBit) => return None,
        Param::Body(BodyType::EightBitMime) => Extension::EightBitMime,
        Param::Body(BodyType::BinaryMime) => Extension::BinaryMime,
        Param::SmtpUtf8 => Extension::SmtpUtf8,
        Param::RequireTls => Extension::RequireTls,
        Param::Ret(_) | Param::EnvId(_) | Param::Notify(_) | Param::Orcpt(_) => Extension::Dsn,
        Param::Auth(_) => Extension::Auth,
        Param::MtPriority(_) => Extension::MtPriority,
        Param::HoldFor(_) | Param::HoldUntil(_) => Extension::FutureRelease,
        Param::By(_) => Extension::DeliverBy,
        Param::Rrvs(_) => Extension::Rrvs,
        // An extension the crate does not know: the application's responsibility.
        _ => return None,
    })
}

/// The parameters of a MAIL (`mail`) or RCPT line; none is an empty list.
fn build_params(params: &[Param<'static>], mail: bool) -> Result<Params<'static>, ClientError> {
    if params.is_empty() {
        return Ok(Params::default());
    }
    let built = if mail { Params::mail(params.iter()) } else { Params::rcpt(params.iter()) };
    built.map_err(ClientError::Build)
}

impl Client {
    /// Sends one message. The client adds `SIZE` (RFC 1870) when the server offers it,
    /// `BODY=8BITMIME` (RFC 6152) when the body has 8-bit octets (for a streamed body,
    /// whenever offered) and `SMTPUTF8` (RFC 6531) when an address is not ASCII; it uses BDAT
    /// (RFC 3030) for `BODY=BINARYMIME` and when configured and offered, DATA with
    /// dot-stuffing otherwise. Events follow: each recipient accepted or refused, for a
    /// streamed body [`ClientEvent::SendBody`](super::ClientEvent::SendBody), then the
    /// message accepted or refused.
    ///
    /// # Errors
    /// Nothing is written on an error: [`ClientError::NotReady`] before
    /// [`ClientEvent::Ready`](super::ClientEvent::Ready) or during a transaction,
    /// [`ClientError::NoRecipients`], [`ClientError::TooLarge`] over the server's SIZE,
    /// [`ClientError::ExtensionMissing`] for a parameter (given or needed) whose extension
    /// the server does not offer, [`ClientError::EightBitUndeclared`] for 8-bit octets in a
    /// body declared `BODY=7BIT`, [`ClientError::RequireTlsUnverified`] (REQUIRETLS, RFC
    /// 8689, needs verified TLS), [`ClientError::Body`] for a body the encoder refuses (a
    /// bare CR or LF, a line over 1000 octets), [`ClientError::Build`].
    pub fn submit(&mut self, envelope: Envelope) -> Result<(), ClientError> {
        if !self.is_ready() {
            return Err(ClientError::NotReady);
        }
        // Under Required the session is never Ready in plaintext; checked again here.
        if self.config.tls_policy == TlsPolicy::Required && self.tls.is_none() {
            return Err(ClientError::NotReady);
        }
        if envelope.recipients.is_empty() {
            return Err(ClientError::NoRecipients);
        }
        let caps = self.caps;
        let mut params = envelope.mail_params.clone();
        let has = |params: &[Param<'_>], f: fn(&Param<'_>) -> bool| params.iter().any(f);
        let declared = has(&params, |p| matches!(p, Param::Body(_)));
        let seven_bit = has(&params, |p| matches!(p, Param::Body(BodyType::SevenBit)));
        // One pass over the body for its first 8-bit octet (a streamed body has none yet).
        let first_8bit = envelope.body.iter().position(|b| !b.is_ascii());
        if let Some(at) = first_8bit {
            if seven_bit {
                return Err(ClientError::EightBitUndeclared { offset: at as u64 });
            }
            if !declared && !caps.offers(Extension::EightBitMime) {
                return Err(ClientError::ExtensionMissing(Extension::EightBitMime));
            }
        }
        if !declared && (envelope.streamed || first_8bit.is_some()) && caps.offers(Extension::EightBitMime) {
            params.push(Param::Body(BodyType::EightBitMime));
        }
        let utf8 = !envelope.reverse_path.is_ascii() || envelope.recipients.iter().any(|(p, _)| !p.is_ascii());
        if utf8 && !has(&params, |p| matches!(p, Param::SmtpUtf8)) {
            params.push(Param::SmtpUtf8);
        }
        if envelope.require_tls && !has(&params, |p| matches!(p, Param::RequireTls)) {
            params.push(Param::RequireTls);
        }
        // RFC 8689 §4.2.1: only over TLS with a verified peer (however it was asked for), and
        // only to a server that offers REQUIRETLS (checked with every extension below).
        if has(&params, |p| matches!(p, Param::RequireTls)) && !self.tls.as_ref().is_some_and(|(_, i)| i.peer_verified)
        {
            return Err(ClientError::RequireTlsUnverified);
        }
        if let (Some(size), Some(limit)) = (envelope.size, caps.size_limit) {
            if size > limit {
                return Err(ClientError::TooLarge { size, limit });
            }
        }
        if let Some(size) = envelope.size.filter(|_| caps.offers(Extension::Size)) {
            if !has(&params, |p| matches!(p, Param::Size(_))) {
                params.push(Param::Size(size));
            }
        }
        let binary = has(&params, |p| matches!(p, Param::Body(BodyType::BinaryMime)));
        // Every parameter's extension must be offered; BINARYMIME travels in BDAT only.
        let needed = params.iter().chain(envelope.recipients.iter().flat_map(|(_, p)| p.iter()));
        for ext in needed.filter_map(extension_of).chain(binary.then_some(Extension::Chunking)) {
            if !caps.offers(ext) {
                return Err(ClientError::ExtensionMissing(ext));
            }
        }
        let eight_bit = has(&params, |p| matches!(p, Param::Body(BodyType::EightBitMime | BodyType::BinaryMime)));
        let mail_params = build_params(&params, true)?;
        let mail = Command::mail(envelope.reverse_path.clone(), mail_params).map_err(ClientError::Build)?.to_vec();
        let mut rcpts = Vec::with_capacity(envelope.recipients.len());
        for (path, params) in &envelope.recipients {
            let params = build_params(params, false)?;
            rcpts.push(Command::rcpt(path.clone(), params).map_err(ClientError::Build)?.to_vec());
        }
        let bdat = binary || (self.config.chunking && caps.offers(Extension::Chunking));
        // LMTP answers BDAT LAST once per accepted recipient, a count not known before the
        // RCPT replies; a streamed body waits for them too. Such a BDAT is written after them.
        let late_bdat = bdat && (self.config.lmtp || envelope.streamed);
        let bdat_encoder = if binary { BdatEncoder::binarymime() } else { BdatEncoder::new(EncoderConfig::STRICT) };
        let mut body = Vec::new();
        let stream = if envelope.streamed {
            Some(if bdat {
                BodyStream::Bdat(bdat_encoder)
            } else {
                BodyStream::Data(DataEncoder::new(EncoderConfig::STRICT))
            })
        } else {
            // Framed into a buffer of its own: a refused body leaves nothing to send.
            if bdat {
                bdat_encoder.finish(&envelope.body, &mut body).map_err(ClientError::Body)?;
            } else {
                let mut enc = DataEncoder::new(EncoderConfig::STRICT);
                enc.encode(&envelope.body, &mut body).map_err(ClientError::Body)?;
                enc.finish(&mut body).map_err(ClientError::Body)?;
            }
            None
        };
        let rset = if self.needs_rset { Command::rset().to_vec() } else { Vec::new() };
        self.needs_rset = false;
        let txn = Txn {
            mail,
            rcpts,
            body,
            bdat,
            late_bdat,
            stream,
            eight_bit,
            wants_body: false,
            streamed_octets: 0,
            mail_written: false,
            data_written: false,
            rcpts_written: 0,
            rcpt_replies: 0,
            accepted_indices: Vec::new(),
            lmtp_replies: 0,
            delivered: 0,
            mail_accepted: false,
            refusal: None,
            dot_only: false,
        };
        self.start(txn, rset);
        Ok(())
    }

    /// The next piece of a streamed body, after [`ClientEvent::SendBody`]; `last` ends the
    /// body. Pieces are framed as they come: dot-stuffed for DATA, one `BDAT` chunk each
    /// (an empty piece sends nothing unless it is the last). Transmit between pieces to keep
    /// the output buffer small.
    ///
    /// With DATA, and with BDAT to a server that offers PIPELINING, pieces may follow each
    /// other at once. Otherwise (and always under LMTP) each BDAT chunk waits for its reply
    /// (RFC 3030 §2): after a piece that wrote a chunk, wait for the next `SendBody`.
    ///
    /// A piece is written whole or not at all. A refused piece cannot be taken back from
    /// the pieces already sent, so the refusal ends the session: close the connection, and
    /// the server discards the unfinished message (RFC 5321 §4.1.1.4; RFC 3030 §2).
    ///
    /// # Errors
    /// [`ClientError::NotReady`] when no body is wanted (before `SendBody`, after the last
    /// piece, or after the server refused a chunk: a
    /// [`MessageRefused`](super::ClientEvent::MessageRefused) event comes or came); ending
    /// the session: [`ClientError::Body`] for a bare CR or LF or an over-long line,
    /// [`ClientError::ExtensionMissing`] for an 8-bit octet when the server lacks 8BITMIME,
    /// [`ClientError::EightBitUndeclared`] for one in a body declared `BODY=7BIT`.
    ///
    /// [`ClientEvent::SendBody`]: super::ClientEvent::SendBody
    pub fn body_chunk(&mut self, piece: &[u8], last: bool) -> Result<(), ClientError> {
        let lock_step = self.lock_step_chunks();
        let offers_8bit = self.caps.offers(Extension::EightBitMime);
        let Some(txn) = self.txn.as_mut().filter(|t| t.wants_body) else { return Err(ClientError::NotReady) };
        let first_8bit = if txn.eight_bit { None } else { piece.iter().position(|b| !b.is_ascii()) };
        if let Some(at) = first_8bit {
            // Declared 7BIT, or 8BITMIME not offered: the body cannot go on.
            let error = if offers_8bit {
                ClientError::EightBitUndeclared { offset: txn.streamed_octets + at as u64 }
            } else {
                ClientError::ExtensionMissing(Extension::EightBitMime)
            };
            return Err(self.abort(false, error));
        }
        let before = self.out.len();
        let replies = if self.config.lmtp { txn.accepted() } else { 1 };
        let written = match txn.stream.as_mut() {
            Some(BodyStream::Data(enc)) => {
                let r = enc.encode(piece, &mut self.out);
                match r {
                    Ok(()) if last => enc.finish(&mut self.out).map(|()| Some(Awaiting::Body)),
                    Ok(()) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            Some(BodyStream::Bdat(enc)) if last => enc.finish(piece, &mut self.out).map(|()| Some(Awaiting::Bdat)),
            Some(BodyStream::Bdat(enc)) => {
                enc.encode(piece, &mut self.out).map(|()| (self.out.len() > before).then_some(Awaiting::Chunk))
            }
            None => return Err(ClientError::NotReady),
        };
        let awaiting = match written {
            Ok(a) => a,
            Err(e) => {
                self.out.truncate(before);
                return Err(self.abort(false, ClientError::Body(e)));
            }
        };
        txn.streamed_octets += piece.len() as u64;
        if last {
            txn.wants_body = false;
            txn.stream = None;
        } else if lock_step && awaiting == Some(Awaiting::Chunk) {
            // The next piece waits for this chunk's reply (a new SendBody).
            txn.wants_body = false;
        }
        if let Some(awaiting) = awaiting {
            self.write(&[], awaiting);
            if awaiting != Awaiting::Chunk {
                self.expect_more(awaiting, replies);
            }
        }
        Ok(())
    }
}
