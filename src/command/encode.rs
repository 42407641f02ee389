//! Commands to their exact wire octets (RFC 5321 §4.1.1).

use alloc::vec::Vec;

use super::{AuthResponse, Command, CommandBody, InitialResponse, Spelling, verb_name};
use crate::Encode;
use crate::params::Params;
use crate::path::{ForwardPath, ReversePath};
use crate::wire::sink::{CLAIM, InPlace, LONG_CLAIM};
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
            // The brackets joined to the words around them: `MAIL FROM:<`, `>\r\n` or `> `.
            CommandBody::Mail { reverse_path, params } => {
                out.put(b"MAIL FROM:<");
                if let ReversePath::Path(p) = reverse_path {
                    p.write_inside(out);
                }
                return path_end(out, params);
            }
            CommandBody::Rcpt { forward_path, params } => {
                out.put(b"RCPT TO:<");
                match forward_path {
                    ForwardPath::Postmaster(p) => p.write(out),
                    ForwardPath::Path(p) => p.write_inside(out),
                }
                return path_end(out, params);
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

/// `>`, the parameters after a space if there are any, CRLF.
#[inline(always)]
fn path_end(out: &mut impl Sink, params: &Params<'_>) {
    if params.is_empty() {
        out.put(b">\r\n");
    } else {
        out.put(b"> ");
        params.write_wire(out);
        out.put(b"\r\n");
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
    /// A canonically spelled command is written in place in the buffer's spare room (one
    /// capacity check for the line, each piece a few fixed-size copies, no call). Another
    /// spelling, a line longer than the block, or a buffer without the room takes the general
    /// writer, out of line.
    fn encode(&self, out: &mut Vec<u8>) {
        if !(self.spelling.is_canonical() && self.encode_in_place::<CLAIM>(out)) {
            self.encode_general(out);
        }
    }

    fn encoded_len(&self) -> usize {
        let mut c = Counter::default();
        self.write_wire(&mut c);
        c.0
    }

    /// The exact-size buffer is written piece by piece: a line of a block's length or more
    /// would claim the block, not fit it, and be written again.
    fn to_vec(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode_general(&mut v);
        v
    }
}

impl Command<'_> {
    /// A canonically spelled command written in place in a block of `N` octets, if the
    /// buffer has the room and the line fits; else the buffer is left as it was.
    #[inline(always)]
    fn encode_in_place<const N: usize>(&self, out: &mut Vec<u8>) -> bool {
        let start = out.len();
        let Some(mut line) = InPlace::<N>::claim(out) else { return false };
        self.write_canonical(&mut line);
        match line.written() {
            Some(n) => {
                out.truncate(start + n);
                true
            }
            None => {
                out.truncate(start);
                false
            }
        }
    }

    /// A line longer than the first block, in place in a larger one; anything else, or a
    /// buffer without the room, piece by piece.
    #[inline(never)]
    fn encode_general(&self, out: &mut Vec<u8>) {
        if !(self.spelling.is_canonical() && self.encode_in_place::<LONG_CLAIM>(out)) {
            self.write_wire(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;
    use crate::ParseOptions;
    use crate::wire::sink::{CLAIM, LONG_CLAIM};

    /// Lines of every kind, canonical and not, short, past the first block and past the
    /// second.
    fn lines() -> Vec<Vec<u8>> {
        let mut lines: Vec<Vec<u8>> = [
            &b"EHLO client.example\r\n"[..],
            b"HELO [192.0.2.1]\r\n",
            b"LHLO [IPv6:2001:db8::1]\r\n",
            b"MAIL FROM:<>\r\n",
            b"MAIL FROM:<@a.example,@b.example:\"john \\\"q\\\" smith\"@[192.0.2.1]> X-FOO=bar\r\n",
            b"RCPT TO:<Postmaster>\r\n",
            b"RCPT TO:<postmaster@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+40example.org\r\n",
            b"DATA\r\n",
            b"BDAT 0 LAST\r\n",
            b"BDAT 18446744073709551615\r\n",
            b"BDAT 100000000\r\n",
            b"RSET\r\n",
            b"VRFY \"John Smith\"\r\n",
            b"EXPN list\r\n",
            b"HELP\r\n",
            b"HELP MAIL\r\n",
            b"NOOP\r\n",
            b"NOOP x\r\n",
            b"QUIT\r\n",
            b"STARTTLS\r\n",
            b"AUTH PLAIN\r\n",
            b"AUTH PLAIN =\r\n",
            b"AUTH PLAIN AHVzZXIAcGFzcw==\r\n",
            b"ETRN #queue\r\n",
            b"XCLIENT NAME=x ADDR=192.0.2.1\r\n",
            b"mail From:<a@b.example>\r\n",
            b"Bdat 007 last\r\n",
            b"ehlo x.example\r\n",
        ]
        .iter()
        .map(|l| l.to_vec())
        .collect();
        // Parameters enough to run past each block.
        for n in [CLAIM / 8, CLAIM / 4, LONG_CLAIM / 8, LONG_CLAIM / 5] {
            let mut l = b"MAIL FROM:<a@b.example>".to_vec();
            for k in 0..n {
                l.extend_from_slice(alloc::format!(" X-P{k}=v").as_bytes());
            }
            l.extend_from_slice(b"\r\n");
            lines.push(l);
        }
        let local = "l".repeat(64);
        lines.push(alloc::format!("RCPT TO:<{local}@{}.example>\r\n", "d".repeat(60)).into_bytes());
        lines
    }

    /// Written in place or piece by piece (whatever room the buffer has, after whatever it
    /// already holds), a command is the octets it was read from.
    #[test]
    fn in_place_writes_what_was_read() {
        let opts = ParseOptions::default().with_smtputf8(true);
        for line in lines() {
            let parsed = Command::parse_with(&line, &opts);
            assert!(parsed.is_ok(), "{}", line.escape_ascii());
            let Ok(cmd) = parsed else { continue };
            assert_eq!(cmd.encoded_len(), line.len());
            assert_eq!(cmd.to_vec(), line);
            for room in [0, 1, CLAIM - 1, CLAIM, CLAIM + 1, LONG_CLAIM - 1, LONG_CLAIM, 4096] {
                let mut out = Vec::with_capacity(3 + room);
                out.extend_from_slice(b"abc");
                cmd.encode(&mut out);
                let mut want = vec![b'a', b'b', b'c'];
                want.extend_from_slice(&line);
                assert_eq!(out, want, "{} with room {room}", line.escape_ascii());
            }
        }
    }
}
