//! Commands to their exact wire octets (RFC 5321 §4.1.1).

use alloc::vec::Vec;

use super::{AuthResponse, Command, CommandBody, InitialResponse, Spelling, verb_name};
use crate::Encode;
use crate::params::Params;
use crate::wire::sink::InPlace;
use crate::wire::{Counter, Sink, WriteWire, apply_case, impl_encode, write_num};

impl WriteWire for Command<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        if self.spelling.is_canonical() {
            self.write_canonical(out);
        } else {
            self.write_spelled(out);
        }
    }
}

impl Command<'_> {
    /// Any command, canonically spelled: the fixed words as one piece each where they can
    /// be, with their spaces and colon.
    #[inline(always)]
    fn write_canonical(&self, out: &mut impl Sink) {
        match &self.body {
            CommandBody::Helo { host } => {
                out.put(b"HELO ");
                host.write_wire(out);
            }
            CommandBody::Ehlo { host } => {
                out.put(b"EHLO ");
                host.write_wire(out);
            }
            CommandBody::Lhlo { host } => {
                out.put(b"LHLO ");
                host.write_wire(out);
            }
            CommandBody::Mail { reverse_path, params } => {
                out.put(b"MAIL FROM:");
                reverse_path.write_wire(out);
                params_after(out, params);
            }
            CommandBody::Rcpt { forward_path, params } => {
                out.put(b"RCPT TO:");
                forward_path.write_wire(out);
                params_after(out, params);
            }
            CommandBody::Data => return out.put(b"DATA\r\n"),
            CommandBody::Rset => return out.put(b"RSET\r\n"),
            CommandBody::Quit => return out.put(b"QUIT\r\n"),
            CommandBody::StartTls => return out.put(b"STARTTLS\r\n"),
            CommandBody::Noop { arg: None } => return out.put(b"NOOP\r\n"),
            CommandBody::Bdat { size, last } => {
                out.put(b"BDAT ");
                write_num(out, *size);
                if *last {
                    out.put(b" LAST");
                }
            }
            CommandBody::Other { verb, .. } => {
                out.put(verb.as_str().as_bytes());
                self.write_args(out);
            }
            _ => {
                out.put(verb_name(&self.body).as_bytes());
                self.write_args(out);
            }
        }
        out.put(b"\r\n");
    }

    /// What follows the verb of a command whose arguments have one spelling: ` String`
    /// (VRFY, EXPN, RFC 5321 §4.1.1.6–4.1.1.7), `[ SP String ]` (HELP, NOOP, §4.1.1.8–4.1.1.9),
    /// ` sasl-mech [SP initial-response]` (AUTH, RFC 4954 §4), ETRN's argument (RFC 1985 §5),
    /// or an unknown verb's arguments verbatim; nothing for the others.
    #[inline(always)]
    fn write_args(&self, out: &mut impl Sink) {
        match &self.body {
            CommandBody::Vrfy { arg } | CommandBody::Expn { arg } => {
                out.put(b" ");
                out.put(arg.as_str().as_bytes());
            }
            CommandBody::Help { arg: Some(arg) } | CommandBody::Noop { arg: Some(arg) } => {
                out.put(b" ");
                out.put(arg.as_str().as_bytes());
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
            CommandBody::Other { args: Some(a), .. } => {
                out.put(b" ");
                out.put(a.as_str().as_bytes());
            }
            _ => {}
        }
    }
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
    /// the canonical case saves and restores only the registers it needs.
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
            _ => self.write_args(out),
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
    /// A canonically spelled command is written in place ([`InPlace`]: one capacity check
    /// for the line, each piece a few fixed-size copies, no call). Another spelling, a line
    /// longer than the block, or a buffer without the room takes the general writer, out of
    /// line.
    fn encode(&self, out: &mut Vec<u8>) {
        if self.spelling.is_canonical() {
            let start = out.len();
            if let Some(mut line) = InPlace::claim(out) {
                self.write_canonical(&mut line);
                match line.written() {
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
