//! Commands to their exact wire octets (RFC 5321 §4.1.1).

use alloc::vec::Vec;

use super::{AuthResponse, Command, CommandBody, InitialResponse, Spelling, verb_name};
use crate::Encode;
use crate::params::Params;
use crate::wire::sink::InPlace;
use crate::wire::{Counter, Sink, WriteWire, apply_case, impl_encode, write_num};

impl WriteWire for Command<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        if !(self.spelling.is_canonical() && self.write_common(out)) {
            self.write_spelled(out);
        }
    }
}

impl Command<'_> {
    /// The common commands, canonically spelled: the fixed words as one piece each, with
    /// their spaces and colon. Writes nothing and returns `false` for the others.
    #[inline(always)]
    fn write_common<S: Sink>(&self, out: &mut S) -> bool {
        match &self.body {
            CommandBody::Helo { host } => line(out, b"HELO ", |out| host.write_wire(out)),
            CommandBody::Ehlo { host } => line(out, b"EHLO ", |out| host.write_wire(out)),
            CommandBody::Lhlo { host } => line(out, b"LHLO ", |out| host.write_wire(out)),
            CommandBody::Mail { reverse_path, params } => line(out, b"MAIL FROM:", |out| {
                reverse_path.write_wire(out);
                params_after(out, params);
            }),
            CommandBody::Rcpt { forward_path, params } => line(out, b"RCPT TO:", |out| {
                forward_path.write_wire(out);
                params_after(out, params);
            }),
            CommandBody::Data => out.put(b"DATA\r\n"),
            CommandBody::Rset => out.put(b"RSET\r\n"),
            CommandBody::Quit => out.put(b"QUIT\r\n"),
            CommandBody::StartTls => out.put(b"STARTTLS\r\n"),
            CommandBody::Noop { arg: None } => out.put(b"NOOP\r\n"),
            _ => return false,
        }
        true
    }
}

/// `head`, what `rest` writes, CRLF.
#[inline(always)]
fn line<S: Sink>(out: &mut S, head: &[u8], rest: impl FnOnce(&mut S)) {
    out.put(head);
    rest(out);
    out.put(b"\r\n");
}

/// ` params`, when there are any.
#[inline(always)]
fn params_after(out: &mut impl Sink, params: &Params<'_>) {
    if !params.is_empty() {
        out.put(b" ");
        params.write_wire(out);
    }
}

impl Command<'_> {
    /// Any command, its fixed words in the spelling it was read with. Kept out of line, so
    /// the common case above saves and restores only the registers it needs.
    #[inline(never)]
    fn write_spelled(&self, out: &mut impl Sink) {
        let s = self.spelling;
        let verb = verb_name(&self.body);
        match &self.body {
            CommandBody::Other { .. } => out.put(verb.as_bytes()),
            _ => apply_case(verb.as_bytes(), s.verb_mask(), out),
        }
        match &self.body {
            CommandBody::Helo { host } | CommandBody::Ehlo { host } | CommandBody::Lhlo { host } => {
                out.put(b" ");
                host.write_wire(out);
            }
            CommandBody::Mail { reverse_path, params } => path_command(out, b"FROM", s, reverse_path, params),
            CommandBody::Rcpt { forward_path, params } => path_command(out, b"TO", s, forward_path, params),
            CommandBody::Bdat { size, last } => {
                out.put(b" ");
                for _ in 0..s.leading_zeros() {
                    out.put(b"0");
                }
                write_num(out, *size);
                if *last {
                    out.put(b" ");
                    apply_case(b"LAST", s.word_mask(), out);
                }
            }
            CommandBody::Vrfy { arg } | CommandBody::Expn { arg } => {
                out.put(b" ");
                out.put(arg.as_str().as_bytes());
            }
            CommandBody::Help { arg } | CommandBody::Noop { arg } => {
                if let Some(arg) = arg {
                    out.put(b" ");
                    out.put(arg.as_str().as_bytes());
                }
            }
            CommandBody::Auth { mechanism, initial_response } => {
                out.put(b" ");
                out.put(mechanism.as_str().as_bytes());
                match initial_response {
                    None => {}
                    Some(InitialResponse::Empty) => out.put(b" ="),
                    Some(InitialResponse::Data(d)) => {
                        out.put(b" ");
                        out.put(d.as_str().as_bytes());
                    }
                }
            }
            CommandBody::Etrn { arg } => {
                out.put(b" ");
                out.put(arg.as_str().as_bytes());
            }
            CommandBody::Other { args, .. } => {
                if let Some(a) = args {
                    out.put(b" ");
                    out.put(a.as_str().as_bytes());
                }
            }
            CommandBody::Data | CommandBody::Rset | CommandBody::Quit | CommandBody::StartTls => {}
        }
        out.put(b"\r\n");
    }
}

/// ` FROM:<path>[ params]` / ` TO:<path>[ params]` (RFC 5321 §4.1.1.2–4.1.1.3).
fn path_command(out: &mut impl Sink, word: &[u8], s: Spelling, path: &impl WriteWire, params: &Params<'_>) {
    out.put(b" ");
    apply_case(word, s.word_mask(), out);
    out.put(if s.has_space_after_colon() { b": " } else { b":" });
    path.write_wire(out);
    params_after(out, params);
}

impl WriteWire for AuthResponse<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        match self {
            AuthResponse::Cancel => out.put(b"*"),
            AuthResponse::Data(d) => out.put(d.as_str().as_bytes()),
        }
        out.put(b"\r\n");
    }
}

impl_encode!(AuthResponse);

impl Encode for Command<'_> {
    /// A common command canonically spelled is written in place ([`InPlace`]: one capacity
    /// check for the line, each piece a few fixed-size copies, no call). Anything else, or a
    /// buffer without the room, takes the general writer, out of line.
    fn encode(&self, out: &mut Vec<u8>) {
        if self.spelling.is_canonical() {
            let start = out.len();
            if let Some(mut line) = InPlace::claim(out) {
                let written = if self.write_common(&mut line) { line.written() } else { None };
                match written {
                    Some(n) => return out.truncate(start + n),
                    None => out.truncate(start),
                }
            }
        }
        self.encode_general(out);
    }

    fn encoded_len(&self) -> usize {
        let mut c = Counter::default();
        self.write_wire(&mut c);
        c.0
    }
}

impl Command<'_> {
    /// [`WriteWire::write_wire`] into the buffer, piece by piece.
    #[inline(never)]
    fn encode_general(&self, out: &mut Vec<u8>) {
        self.write_wire(out);
    }
}
