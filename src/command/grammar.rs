//! The command line grammar (RFC 5321 §4.1.1, RFC 1985, RFC 2033, RFC 3030, RFC 3207,
//! RFC 4954).

use alloc::borrow::Cow;

use super::{AuthResponse, Command, CommandBody, InitialResponse, Spelling};
use crate::domain::grammar::{domain, host_in};
use crate::framing::line::{exact_line, scan_line};
use crate::params::Params;
use crate::params::grammar::{Context, validate};
use crate::parse::inherent_parse;
use crate::path::grammar::{forward_path, reverse_path};
use crate::path::{ForwardPath, ReversePath};
use crate::token::{Base64, Keyword, Mechanism, SmtpString, Text};
use crate::wire::class::{self as abnf, ATEXT};
use crate::wire::lex::{check_base64, keyword, mechanism_in, smtp_string_in, text_in};
use crate::wire::scan::{
    PErr, PResult, Utf8Line, expected, fail, finish, number, offset_in, split, starts_with_ci, to_str,
};
use crate::wire::swar::{fold_front, fold8};
use crate::{BuildError, BuildErrorKind, Limits, Parse, ParseError, ParseErrorKind, ParseOptions, ParsePrefix, Status};

impl<'a> Parse<'a> for Command<'a> {
    /// Parses exactly one command line, CRLF included, under `opts`.
    ///
    /// The line is held to [`Limits::command_line`], or to [`Limits::sasl_line`] for `AUTH`
    /// (RFC 4954 §4), before any grammar runs.
    fn parse_with(line: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        if let Some((body, n)) = bare_verb(line, opts) {
            if n == line.len() {
                return Ok(Command { body: body.body(), spelling: Spelling::CANONICAL });
            }
        }
        grammar_line(line, opts)
    }
}

impl<'a> ParsePrefix<'a> for Command<'a> {
    /// Parses the first command line at the front of `buf`, or asks for more input.
    ///
    /// A line over the limit is an error ([`LineTooLong`](ParseErrorKind::LineTooLong)); to
    /// skip such a line and go on, frame with [`LineFramer`](crate::framing::LineFramer).
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        if let Some((body, consumed)) = bare_verb(buf, opts) {
            return Ok(Status::Complete {
                value: Command { body: body.body(), spelling: Spelling::CANONICAL },
                consumed,
            });
        }
        grammar_prefix(buf, opts)
    }
}

/// What the grammar says of the whole line `line`: [`Command::parse_with`] without the
/// [`bare_verb`] shortcut (which a unit test holds to this).
fn grammar_line<'a>(line: &'a [u8], opts: &ParseOptions) -> Result<Command<'a>, ParseError> {
    let body = exact_line(line, line_limit(line, opts))?;
    command(body, opts).map_err(|e| at(body, e))
}

/// What the grammar says of the line at the front of `buf`: [`Command::parse_prefix_with`]
/// without the [`bare_verb`] shortcut.
fn grammar_prefix<'a>(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Command<'a>>, ParseError> {
    let Some(n) = scan_line(buf, line_limit(buf, opts))? else {
        return Ok(Status::Incomplete);
    };
    let body = buf.get(..n.saturating_sub(2)).unwrap_or(&[]);
    let value = command(body, opts).map_err(|e| at(body, e))?;
    Ok(Status::Complete { value, consumed: n })
}
inherent_parse!(prefix Command<'a>);

/// A verb [`bare_verb`] reads. (Its command is made where the parse returns it, so that the
/// value is written once, in place: a `Command` made here and moved out would be copied
/// in wide loads from narrow stores not yet written back, which stalls the copy.)
#[derive(Debug, Clone, Copy)]
enum Bare {
    Data,
    Rset,
    Quit,
    Noop,
    StartTls,
}

impl Bare {
    #[inline(always)]
    fn body(self) -> CommandBody<'static> {
        match self {
            Self::Data => CommandBody::Data,
            Self::Rset => CommandBody::Rset,
            Self::Quit => CommandBody::Quit,
            Self::Noop => CommandBody::Noop { arg: None },
            Self::StartTls => CommandBody::StartTls,
        }
    }
}

/// The line at the front of `buf` if it is `DATA`, `RSET`, `QUIT`, `NOOP` or `STARTTLS` in
/// upper case and its CRLF (RFC 5321 §4.1.1.4, §4.1.1.5, §4.1.1.10, §4.1.1.9; RFC 3207 §4),
/// within the command line limit: the command and the line's length, read by comparing
/// whole words. These lines are a third of the lines of `benches/command.rs`'s mix (one per
/// message or session each); the grammar says the same of them (a unit test holds this
/// function to it), and `None` leaves every other line, other spellings included, to the
/// grammar.
#[inline(always)]
fn bare_verb(buf: &[u8], opts: &ParseOptions) -> Option<(Bare, usize)> {
    const DATA: u32 = w(b"DATA");
    const RSET: u32 = w(b"RSET");
    const QUIT: u32 = w(b"QUIT");
    const NOOP: u32 = w(b"NOOP");
    const START: u32 = w(b"STAR");
    let head = u32::from_le_bytes(*buf.first_chunk::<4>()?);
    let (body, n) = match (head, buf.get(4..6)) {
        (DATA, Some(b"\r\n")) => (Bare::Data, 6),
        (RSET, Some(b"\r\n")) => (Bare::Rset, 6),
        (QUIT, Some(b"\r\n")) => (Bare::Quit, 6),
        (NOOP, Some(b"\r\n")) => (Bare::Noop, 6),
        (START, _) if buf.get(4..10) == Some(b"TTLS\r\n".as_slice()) => (Bare::StartTls, 10),
        _ => return None,
    };
    (n <= opts.limits().command_line()).then_some((body, n))
}

/// The public error for a failure of [`command`] inside `body`.
#[cold]
fn at<'a>(body: &'a [u8], e: nom::Err<PErr<'a>>) -> ParseError {
    // What `finish` gives: no grammar here asks for more input, but were one to, the error
    // would stand at the end of the line, not at its start.
    match e {
        nom::Err::Incomplete(_) => ParseError::new(body.len(), ParseErrorKind::Syntax { expected: "more input" }),
        nom::Err::Error(e) | nom::Err::Failure(e) => ParseError::new(offset_in(body, e.at), e.kind),
    }
}

/// The octet limit for the line at the front of `buf`: the SASL limit for `AUTH`, else the
/// command limit.
fn line_limit(buf: &[u8], opts: &ParseOptions) -> usize {
    let l = opts.limits();
    // `AUTH ` in either case: the four letters folded (see [`verb`]), then the space.
    let auth = buf.get(4) == Some(&b' ') && fold_front(buf.get(..4).unwrap_or(&[])) == fold8(b"AUTH");
    if auth { l.command_line().max(l.sasl_line()) } else { l.command_line() }
}

impl<'a> Command<'a> {
    /// A command with the canonical spelling (upper-case words).
    ///
    /// Fails when the body could not be parsed back: ESMTP parameters that belong on the
    /// other command (build them with [`Params::mail`] / [`Params::rcpt`]), a path longer
    /// than RFC 5321's 256 octets, or a [`CommandBody::Other`] with a known verb.
    pub fn new(body: CommandBody<'a>) -> Result<Self, BuildError> {
        check_body(&body)?;
        Ok(Self::canonical(body))
    }

    /// `MAIL FROM:<reverse-path> [params]` (RFC 5321 §4.1.1.2); see [`Command::new`] for what
    /// is checked.
    pub fn mail(reverse_path: ReversePath<'a>, params: Params<'a>) -> Result<Self, BuildError> {
        Self::new(CommandBody::Mail { reverse_path, params })
    }

    /// `RCPT TO:<forward-path> [params]` (RFC 5321 §4.1.1.3); see [`Command::new`].
    pub fn rcpt(forward_path: ForwardPath<'a>, params: Params<'a>) -> Result<Self, BuildError> {
        Self::new(CommandBody::Rcpt { forward_path, params })
    }

    /// `AUTH mechanism [initial-response]` (RFC 4954 §4); see [`Command::new`].
    pub fn auth(mechanism: Mechanism<'a>, initial_response: Option<InitialResponse<'a>>) -> Result<Self, BuildError> {
        Self::new(CommandBody::Auth { mechanism, initial_response })
    }
}

impl<'a> Parse<'a> for AuthResponse<'a> {
    /// Parses exactly one response line, CRLF included, within [`Limits::sasl_line`].
    fn parse_with(line: &'a [u8], opts: &ParseOptions) -> Result<Self, ParseError> {
        let body = exact_line(line, opts.limits().sasl_line())?;
        finish(body, auth_response(body))
    }
}

impl<'a> ParsePrefix<'a> for AuthResponse<'a> {
    /// Parses the response line at the front of `buf` within [`Limits::sasl_line`], or asks
    /// for more input.
    fn parse_prefix_with(buf: &'a [u8], opts: &ParseOptions) -> Result<Status<Self>, ParseError> {
        let Some(n) = scan_line(buf, opts.limits().sasl_line())? else {
            return Ok(Status::Incomplete);
        };
        let body = buf.get(..n.saturating_sub(2)).unwrap_or(&[]);
        let value = finish(body, auth_response(body))?;
        Ok(Status::Complete { value, consumed: n })
    }
}
inherent_parse!(prefix AuthResponse<'a>);

/// The known verbs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Helo,
    Ehlo,
    Lhlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Vrfy,
    Expn,
    Help,
    Noop,
    Quit,
    StartTls,
    Auth,
    Etrn,
}

/// Four octets as one integer, the first in the lowest octet (how a line's first four are
/// loaded and compared).
const fn w(s: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*s)
}

fn verb(word: &[u8]) -> Option<Verb> {
    // Case-insensitive (RFC 5321 §2.4). OR-ing 0x20 into each octet maps exactly the upper-
    // and lower-case forms of a letter onto the lower-case letter and nothing else onto a
    // letter, so one integer compare matches a four-letter verb in either case; the match on
    // constants compiles to a search over integers, not a chain of compares. This is
    // `wire::swar::fold_front` narrowed to the one length a verb has: the general fold (two
    // loads for four octets) cost 3 % of command parsing here.
    const HELO: u32 = w(b"helo");
    const EHLO: u32 = w(b"ehlo");
    const LHLO: u32 = w(b"lhlo");
    const MAIL: u32 = w(b"mail");
    const RCPT: u32 = w(b"rcpt");
    const DATA: u32 = w(b"data");
    const BDAT: u32 = w(b"bdat");
    const RSET: u32 = w(b"rset");
    const VRFY: u32 = w(b"vrfy");
    const EXPN: u32 = w(b"expn");
    const HELP: u32 = w(b"help");
    const NOOP: u32 = w(b"noop");
    const QUIT: u32 = w(b"quit");
    const AUTH: u32 = w(b"auth");
    const ETRN: u32 = w(b"etrn");
    const STARTTLS: u64 = u64::from_le_bytes(*b"starttls");
    match word.first_chunk::<4>() {
        Some(four) if word.len() == 4 => Some(match u32::from_le_bytes(*four) | 0x2020_2020 {
            HELO => Verb::Helo,
            EHLO => Verb::Ehlo,
            LHLO => Verb::Lhlo,
            MAIL => Verb::Mail,
            RCPT => Verb::Rcpt,
            DATA => Verb::Data,
            BDAT => Verb::Bdat,
            RSET => Verb::Rset,
            VRFY => Verb::Vrfy,
            EXPN => Verb::Expn,
            HELP => Verb::Help,
            NOOP => Verb::Noop,
            QUIT => Verb::Quit,
            AUTH => Verb::Auth,
            ETRN => Verb::Etrn,
            _ => return None,
        }),
        _ => match word.first_chunk::<8>() {
            Some(eight) if word.len() == 8 && u64::from_le_bytes(*eight) | 0x2020_2020_2020_2020 == STARTTLS => {
                Some(Verb::StartTls)
            }
            _ => None,
        },
    }
}

/// `SP x` at the front of `i`: the rest after the space.
fn sp<'a>(i: &'a [u8], what: &'static str) -> Result<&'a [u8], nom::Err<PErr<'a>>> {
    match i.strip_prefix(b" ") {
        Some(r) => Ok(r),
        None if i.is_empty() => Err(nom::Err::Error(PErr { at: i, kind: ParseErrorKind::Syntax { expected: what } })),
        None => Err(nom::Err::Error(PErr { at: i, kind: ParseErrorKind::Syntax { expected: "SP" } })),
    }
}

/// Requires the end of the line.
fn end(i: &[u8]) -> PResult<'_, ()> {
    match i.first() {
        None => Ok((i, ())),
        Some(b' ') if i.len() == 1 => expected(i, "end of line (no trailing space)"),
        Some(c) if !c.is_ascii() => fail(i, ParseErrorKind::NonAscii),
        Some(_) => expected(i, "end of line"),
    }
}

/// One command line without its CRLF. Inlined into its two callers, so that the 120-octet
/// `Command` is built where the caller returns it instead of being moved through each layer.
#[inline(always)]
pub(crate) fn command<'a>(i: &'a [u8], opts: &ParseOptions) -> Result<Command<'a>, nom::Err<PErr<'a>>> {
    // A verb is four letters (eight for STARTTLS) and holds no space: where those octets
    // spell one and a space or the end follows, the verb word ends there, without a search
    // for the first space (which is where it ends in every case).
    let at = |n: usize| i.len() == n || i.get(n) == Some(&b' ');
    let known = match (at(4), at(8)) {
        (true, _) => verb(i.get(..4).unwrap_or(&[])).map(|v| (v, 4)),
        (_, true) => verb(i.get(..8).unwrap_or(&[])).map(|v| (v, 8)),
        _ => None,
    };
    let (v, word, rest) = match known {
        Some((v, n)) => {
            let (word, rest) = split(i, n);
            (v, word, rest)
        }
        None => {
            let n = i.iter().position(|&c| c == b' ').unwrap_or(i.len());
            let (word, rest) = split(i, n);
            match verb(word) {
                Some(v) => (v, word, rest),
                None => return other(i, word, rest, opts, Utf8Line::new(i)).map(|(_, c)| c),
            }
        }
    };
    // One UTF-8 validation for the line; each token is then a slice of it. Verbs
    // without arguments never need it.
    let line = || Utf8Line::new(i);
    let canonical = |body| Command { body, spelling: Spelling::from_parts(word, b"", false) };
    match v {
        Verb::Helo | Verb::Ehlo | Verb::Lhlo => {
            let r = sp(rest, "SP and a domain or address literal")?;
            let (r, host) = host_in(r, opts, line())?;
            end(r)?;
            let body = match v {
                Verb::Helo => CommandBody::Helo { host },
                Verb::Ehlo => CommandBody::Ehlo { host },
                _ => CommandBody::Lhlo { host },
            };
            Ok(canonical(body))
        }
        Verb::Mail | Verb::Rcpt => {
            let kw: &[u8] = if v == Verb::Mail { b"FROM" } else { b"TO" };
            let r = sp(rest, if v == Verb::Mail { "SP FROM:" } else { "SP TO:" })?;
            // `FROM:` / `TO:`, letters in either case, compared folded (see [`verb`]).
            let head = r.get(..kw.len()).unwrap_or(&[]);
            if r.get(kw.len()) != Some(&b':') || head.len() != kw.len() || fold_front(head) != fold_front(kw) {
                return expected(r, if v == Verb::Mail { "FROM:" } else { "TO:" }).map(|(_, c)| c);
            }
            let mut r = r.get(kw.len() + 1..).unwrap_or(&[]);
            let space = opts.space_after_colon() && r.first() == Some(&b' ');
            if space {
                r = r.get(1..).unwrap_or(&[]);
            }
            let word_len = kw.len();
            let mut lenient = ParseOptions::STRICT;
            let spelling = Spelling::from_parts(word, head.get(..word_len).unwrap_or(&[]), space);
            let line = line();
            // Each branch returns its command itself: made in place, not moved out of a value
            // the two share (a copy in wide loads of what narrow stores just wrote stalls).
            if v == Verb::Mail {
                let (r, reverse_path) = reverse_path(r, envelope(opts, &mut lenient), line)?;
                let (r, params) = params_after(r, Context::Mail, opts, line)?;
                // The parameters run to the end of the line; what `finish` would check.
                if !r.is_empty() {
                    return expected(r, "end of input").map(|(_, c)| c);
                }
                Ok(Command { body: CommandBody::Mail { reverse_path, params }, spelling })
            } else {
                let (r, forward_path) = forward_path(r, envelope(opts, &mut lenient), line)?;
                let (r, params) = params_after(r, Context::Rcpt, opts, line)?;
                if !r.is_empty() {
                    return expected(r, "end of input").map(|(_, c)| c);
                }
                Ok(Command { body: CommandBody::Rcpt { forward_path, params }, spelling })
            }
        }
        Verb::Data | Verb::Rset | Verb::Quit | Verb::StartTls => {
            if !rest.is_empty() {
                return fail(rest, ParseErrorKind::UnexpectedArgument).map(|(_, c)| c);
            }
            let body = match v {
                Verb::Data => CommandBody::Data,
                Verb::Rset => CommandBody::Rset,
                Verb::Quit => CommandBody::Quit,
                _ => CommandBody::StartTls,
            };
            Ok(canonical(body))
        }
        Verb::Bdat => {
            let r = sp(rest, "SP and a chunk size")?;
            let zeros = r.iter().take_while(|&&c| c == b'0').count().min(abnf::span(r, abnf::DIGIT).saturating_sub(1));
            if zeros > 19 {
                return expected(r.get(19..).unwrap_or(&[]), "chunk size with at most 19 leading zeros")
                    .map(|(_, c)| c);
            }
            let (r, size) = number(r, 20, "chunk size")?;
            let (r, last, word2) = match r.strip_prefix(b" ") {
                Some(t) if starts_with_ci(t, b"LAST") => {
                    let (w, t) = split(t, 4);
                    (t, true, w)
                }
                Some(t) => return expected(t, "LAST").map(|(_, c)| c),
                None => (r, false, &b""[..]),
            };
            end(r)?;
            let spelling = Spelling::from_parts(word, word2, false).with_leading_zeros(zeros as u8);
            Ok(Command { body: CommandBody::Bdat { size, last }, spelling })
        }
        Verb::Vrfy | Verb::Expn => {
            let r = sp(rest, "SP and a string")?;
            let (r, s) = smtp_string_in(r, opts.smtputf8(), line())?;
            end(r)?;
            let arg = SmtpString(Cow::Borrowed(s));
            Ok(canonical(if v == Verb::Vrfy { CommandBody::Vrfy { arg } } else { CommandBody::Expn { arg } }))
        }
        Verb::Help | Verb::Noop => {
            let (r, arg) = if rest.is_empty() {
                (rest, None)
            } else {
                let r = sp(rest, "SP")?;
                let (r, s) = smtp_string_in(r, opts.smtputf8(), line())?;
                (r, Some(SmtpString(Cow::Borrowed(s))))
            };
            end(r)?;
            Ok(canonical(if v == Verb::Help { CommandBody::Help { arg } } else { CommandBody::Noop { arg } }))
        }
        Verb::Auth => {
            let r = sp(rest, "SP and a SASL mechanism")?;
            let line = line();
            let (r, mech) = mechanism_in(r, line)?;
            let (r, initial_response) = match r.strip_prefix(b" ") {
                None => (r, None),
                Some(b"=") => (&[][..], Some(InitialResponse::Empty)),
                Some(t) => {
                    check_base64(t).map_err(nom::Err::Error)?;
                    if t.is_empty() {
                        return expected(t, "initial response").map(|(_, c)| c);
                    }
                    let s = line.str(t, false).map_err(nom::Err::Error)?;
                    (&[][..], Some(InitialResponse::Data(Base64(Cow::Borrowed(s)))))
                }
            };
            end(r)?;
            Ok(canonical(CommandBody::Auth { mechanism: Mechanism(Cow::Borrowed(mech)), initial_response }))
        }
        Verb::Etrn => {
            let r = sp(rest, "SP and a node or queue")?;
            let line = line();
            let (r, ()) = etrn_arg(r, opts, line)?;
            let raw = rest.get(1..rest.len() - r.len()).unwrap_or(&[]);
            let s = line.str(raw, opts.smtputf8()).map_err(nom::Err::Error)?;
            end(r)?;
            Ok(canonical(CommandBody::Etrn { arg: Text(Cow::Borrowed(s)) }))
        }
    }
}

/// The options for the path of MAIL or RCPT: `opts`, or with SMTPUTF8 on (kept in `slot`)
/// under [`ParseOptions::with_utf8_envelope`].
fn envelope<'o>(opts: &'o ParseOptions, slot: &'o mut ParseOptions) -> &'o ParseOptions {
    if opts.utf8_envelope() {
        *slot = opts.with_smtputf8(true);
        slot
    } else {
        opts
    }
}

/// `[ "@" / "#" ] ( Domain / queue-name )` (RFC 1985 §5); a queue name is `1*(atext / ".")`.
fn etrn_arg<'a>(i: &'a [u8], opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, ()> {
    match i.first() {
        Some(b'#') => {
            let q = i.get(1..).unwrap_or(&[]);
            let n = q.iter().position(|&c| !(c == b'.' || abnf::is(c, ATEXT))).unwrap_or(q.len());
            if n == 0 {
                return expected(q, "queue name");
            }
            Ok((q.get(n..).unwrap_or(&[]), ()))
        }
        Some(b'@') => domain(i.get(1..).unwrap_or(&[]), opts, line).map(|(r, _)| (r, ())),
        _ => domain(i, opts, line).map(|(r, _)| (r, ())),
    }
}

/// `[SP params]` after a path, to the end of the line (inlined: most paths end the line).
#[inline(always)]
fn params_after<'a>(i: &'a [u8], ctx: Context, opts: &ParseOptions, line: Utf8Line<'a>) -> PResult<'a, Params<'a>> {
    match i.first() {
        None => Ok((i, Params(Cow::Borrowed("")))),
        Some(b' ') => validate(i.get(1..).unwrap_or(&[]), ctx, opts, line),
        Some(c) if !c.is_ascii() => fail(i, ParseErrorKind::NonAscii),
        Some(_) => expected(i, "SP or end of line after the path"),
    }
}

/// An unknown verb: `keyword [SP text]`, kept verbatim.
fn other<'a>(
    i: &'a [u8],
    word: &'a [u8],
    rest: &'a [u8],
    opts: &ParseOptions,
    line: Utf8Line<'a>,
) -> PResult<'a, Command<'a>> {
    match keyword(word) {
        Ok(([], _)) => {}
        Ok((r, _)) if r.first().is_some_and(|c| !c.is_ascii()) => return fail(r, ParseErrorKind::NonAscii),
        Ok((r, _)) => return expected(r, "command verb (letters, digits, '-')"),
        Err(_) if word.first().is_some_and(|c| !c.is_ascii()) => {
            return fail(i, ParseErrorKind::NonAscii);
        }
        Err(_) => return expected(i, "command verb"),
    }
    let verb = Keyword(Cow::Borrowed(line.str(word, false).map_err(nom::Err::Error)?));
    let (r, args) = if rest.is_empty() {
        (rest, None)
    } else {
        let r = sp(rest, "SP")?;
        let (r, t) = text_in(r, opts.smtputf8(), line)?;
        (r, Some(Text(Cow::Borrowed(t))))
    };
    end(r)?;
    Ok((r, Command { body: CommandBody::Other { verb, args }, spelling: Spelling::CANONICAL }))
}

/// `(base64 / "*")` — the client's SASL line (RFC 4954 §4).
pub(crate) fn auth_response(i: &[u8]) -> PResult<'_, AuthResponse<'_>> {
    if i == b"*" {
        return Ok((&[], AuthResponse::Cancel));
    }
    check_base64(i).map_err(nom::Err::Error)?;
    let s = to_str(i, false).map_err(nom::Err::Error)?;
    Ok((&[], AuthResponse::Data(Base64(Cow::Borrowed(s)))))
}

/// Checks what a constructed body must satisfy to parse back: parameters valid on their
/// command, paths within RFC 5321's 256 octets, a known verb in its own variant, an ETRN
/// argument of its grammar, a non-empty initial response written as data.
fn check_body(body: &CommandBody<'_>) -> Result<(), BuildError> {
    use crate::Encode;
    let utf8 = ParseOptions::STRICT.with_smtputf8(true);
    let limit = Limits::RFC5321.path();
    let check_len = |len: usize| {
        if len > limit { Err(BuildError::new("path", BuildErrorKind::TooLong { limit })) } else { Ok(()) }
    };
    let check_params = |params: &Params<'_>, ctx| {
        let p = params.as_str().as_bytes();
        if p.is_empty() {
            return Ok(());
        }
        finish(p, validate(p, ctx, &utf8, Utf8Line::from_str(params.as_str())))
            .map(|_| ())
            .map_err(|e| BuildError::grammar("parameters", e))
    };
    match body {
        CommandBody::Mail { reverse_path, params } => {
            if let ReversePath::Path(_) = reverse_path {
                check_len(reverse_path.encoded_len())?;
            }
            check_params(params, Context::Mail)?;
        }
        CommandBody::Rcpt { forward_path, params } => {
            if let ForwardPath::Path(_) = forward_path {
                check_len(forward_path.encoded_len())?;
            }
            check_params(params, Context::Rcpt)?;
        }
        CommandBody::Other { verb, .. } if self::verb(verb.as_str().as_bytes()).is_some() => {
            return Err(BuildError::new("verb of CommandBody::Other", BuildErrorKind::KnownKeyword));
        }
        CommandBody::Etrn { arg } => {
            let a = arg.as_str().as_bytes();
            finish(a, etrn_arg(a, &utf8, Utf8Line::from_str(arg.as_str())))
                .map_err(|e| BuildError::grammar("ETRN argument", e))?;
        }
        CommandBody::Auth { initial_response: Some(InitialResponse::Data(d)), .. } if d.as_str().is_empty() => {
            return Err(BuildError::new("initial response (use InitialResponse::Empty)", BuildErrorKind::Empty));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::vec::Vec;

    use super::{bare_verb, grammar_line, grammar_prefix};
    use crate::{Command, Limits, ParseOptions};

    /// The word-compare shortcut for `DATA`, `RSET`, `QUIT`, `NOOP` and `STARTTLS` gives what
    /// the grammar gives (value and spelling, or error), whole and as a prefix cut at every
    /// length, for those verbs and their near misses in other cases, with every kind of line
    /// end and what may follow, under limits around their lengths; and it is taken for the
    /// upper-case lines.
    #[test]
    fn bare_verbs_are_the_grammar() {
        let verbs: [&[u8]; 16] = [
            b"DATA",
            b"RSET",
            b"QUIT",
            b"NOOP",
            b"STARTTLS",
            b"data",
            b"Rset",
            b"quiT",
            b"nOOP",
            b"StartTLS",
            b"DAT",
            b"DATAX",
            b"STARTTL",
            b"STARTTLSS",
            b"HELP",
            b"STAR",
        ];
        let ends: [&[u8]; 9] =
            [b"\r\n", b"\r\nMAIL FROM:<>\r\n", b"\n", b"\r", b"", b" \r\n", b" x\r\n", b"\r\r\n", b"\r\n\r\n"];
        let mut taken = 0;
        for limit in [1, 5, 6, 7, 9, 10, 11, 512] {
            let opts = ParseOptions::default().with_limits(Limits::RFC5321.with_command_line(limit));
            for verb in verbs {
                for end in ends {
                    let line: Vec<u8> = [verb, end].concat();
                    let fast = Command::parse_with(&line, &opts);
                    assert_eq!(
                        format!("{fast:?}"),
                        format!("{:?}", grammar_line(&line, &opts)),
                        "{}",
                        line.escape_ascii()
                    );
                    // As a prefix, cut at every length (a stream read one octet at a time).
                    for part in (0..=line.len()).filter_map(|n| line.get(..n)) {
                        let fast = Command::parse_prefix_with(part, &opts);
                        let want = grammar_prefix(part, &opts);
                        assert_eq!(format!("{fast:?}"), format!("{want:?}"), "{}", part.escape_ascii());
                    }
                    taken += usize::from(bare_verb(&line, &opts).is_some());
                }
            }
        }
        // The upper-case verbs with a CRLF (alone, or followed by more), three line ends of
        // the nine, under the limits their lines fit: DATA, RSET, QUIT and NOOP (six octets)
        // under 6 of the 8 limits, STARTTLS (ten) under 3.
        assert_eq!(taken, 4 * 3 * 6 + 3 * 3);
    }
}
