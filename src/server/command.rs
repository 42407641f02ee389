//! Command lines: framing, parsing, the RFC 5321 §4.1.4 sequence rules and the replies the
//! server gives on its own.

use super::event::{HelloKind, ServerEvent, Violation};
use super::reply::{Canned, echo};
use super::state::{Bdat, Pending, Phase, Server, Step, body_config};
use crate::framing::{BdatDecoder, Line};
use crate::session::TlsPolicy;
use crate::session::pipeline::ends_group;
use crate::{
    AuthResponse, BodyType, Command, CommandBody, Param, Params, ParseErrorKind, ParseOptions, ReversePath, Status,
};

/// The verb of a line, before it is parsed: decides the parse options, the TLS gate and the
/// syntax reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Hello,
    Mail,
    Rcpt,
    Bdat,
    Auth,
    StartTls,
    /// NOOP, RSET, QUIT: allowed before STARTTLS under a required policy.
    Basic,
    /// Any other known verb.
    Other,
    Unknown,
}

fn verb(line: &[u8]) -> Verb {
    let end = line.iter().position(|&b| b == b' ' || b == b'\r').unwrap_or(line.len());
    let word = line.get(..end).unwrap_or(&[]);
    let is = |w: &str| word.eq_ignore_ascii_case(w.as_bytes());
    if is("EHLO") || is("HELO") || is("LHLO") {
        Verb::Hello
    } else if is("MAIL") {
        Verb::Mail
    } else if is("RCPT") {
        Verb::Rcpt
    } else if is("BDAT") {
        Verb::Bdat
    } else if is("AUTH") {
        Verb::Auth
    } else if is("STARTTLS") {
        Verb::StartTls
    } else if is("NOOP") || is("RSET") || is("QUIT") {
        Verb::Basic
    } else if ["DATA", "VRFY", "EXPN", "HELP", "ETRN", "SEND", "SOML", "SAML", "TURN"].iter().any(|w| is(w)) {
        Verb::Other
    } else {
        Verb::Unknown
    }
}

impl Server {
    /// One line in the command or SASL-response phase.
    pub(super) fn step_line<'a>(&mut self, rest: &'a [u8]) -> Step<'a> {
        let (line, n) = match self.framer.0.next_line(rest) {
            Err(e) => {
                self.put(Canned::BareLineEnd);
                return self.close(0, super::event::Close::Violation(Violation::BareLineEnd(e)));
            }
            Ok(Status::Incomplete) => return Step::Blocked(0),
            Ok(Status::Complete { value: Line::Complete(line), consumed }) => (line, consumed),
            Ok(Status::Complete { value: Line::TooLong { .. }, consumed }) => {
                let in_auth = self.phase == Phase::AuthResponse;
                self.phase = Phase::Command;
                return match self.fail(consumed, Canned::LineTooLong) {
                    // The exchange is over (RFC 4954 §4: 500 5.5.6): tell the application.
                    Step::Progress(n) if in_auth => {
                        self.out.flush();
                        Step::Event(n, ServerEvent::AuthAborted)
                    }
                    step => step,
                };
            }
            Ok(Status::Complete { consumed, .. }) => return Step::Progress(consumed),
        };
        if self.phase == Phase::AuthResponse {
            return self.auth_response(line, n);
        }
        self.command(line, n, rest.len().saturating_sub(n))
    }

    fn opts(&self, utf8: bool) -> ParseOptions {
        ParseOptions::default()
            .with_limits(self.config.limits)
            .with_smtputf8(utf8)
            .with_exact_parameter_repeats(self.config.exact_parameter_repeats)
            .with_utf8_envelope(self.lenient_utf8())
    }

    /// Whether a UTF-8 path without `SMTPUTF8` on MAIL is accepted (and marked).
    fn lenient_utf8(&self) -> bool {
        self.config.utf8_envelope && self.config.smtputf8
    }

    /// A SASL response line (RFC 4954 §4).
    fn auth_response<'a>(&mut self, line: &'a [u8], n: usize) -> Step<'a> {
        self.phase = Phase::Command;
        match AuthResponse::parse_with(line, &self.opts(false)) {
            Ok(AuthResponse::Data(response)) => {
                self.pending = Some(Pending::Auth);
                Step::Event(n, ServerEvent::AuthResponse { response })
            }
            Ok(AuthResponse::Cancel) => {
                self.put(Canned::AuthCancelled);
                self.out.flush();
                Step::Event(n, ServerEvent::AuthAborted)
            }
            Err(e) => {
                let r = if matches!(e.kind(), ParseErrorKind::LineTooLong { .. }) {
                    Canned::LineTooLong
                } else {
                    Canned::AuthBase64
                };
                match self.fail(n, r) {
                    Step::Progress(n) => {
                        self.out.flush();
                        Step::Event(n, ServerEvent::AuthAborted)
                    }
                    other => other,
                }
            }
        }
    }

    /// One command line (CRLF included) of `n` octets, with `after` octets handed in behind it.
    fn command<'a>(&mut self, line: &'a [u8], n: usize, after: usize) -> Step<'a> {
        let v = verb(line);
        let utf8 = match v {
            Verb::Mail => self.config.smtputf8,
            Verb::Rcpt => self.tx.is_some_and(|t| t.utf8),
            _ => false,
        };
        // RFC 3207 §4: under a required policy, only these before STARTTLS.
        let gated = self.config.tls_policy == TlsPolicy::Required
            && self.tls.is_none()
            && !matches!(v, Verb::Hello | Verb::Basic | Verb::StartTls);
        // One fixed refusal for whatever the command is: every command but QUIT in a session
        // turned away with 554 (RFC 5321 §3.1: 503), else under a required policy every
        // command but those before STARTTLS.
        let gate = if self.refused { Some(Canned::Refused) } else { gated.then_some(Canned::MustStartTls) };
        let cmd = match Command::parse_with(line, &self.opts(utf8)) {
            Ok(cmd) => cmd,
            Err(_) if v == Verb::Bdat => {
                // The chunk's length is unknowable: the next command cannot be found.
                self.put(Canned::BdatSyntax);
                return self.close(n, super::event::Close::Violation(Violation::BdatSyntax));
            }
            Err(e) => {
                if let Some(r) = gate {
                    return self.fail(n, r);
                }
                let r = match (e.kind(), v) {
                    (ParseErrorKind::LineTooLong { .. }, _) => Canned::LineTooLong,
                    (ParseErrorKind::NonAscii, Verb::Mail | Verb::Rcpt) => Canned::NonAscii,
                    (_, Verb::Mail) => Canned::SyntaxMail,
                    (_, Verb::Rcpt) => Canned::SyntaxRcpt,
                    (_, Verb::Hello) => Canned::SyntaxHelo,
                    (_, Verb::Auth) => Canned::SyntaxAuth,
                    (_, Verb::StartTls) => Canned::SyntaxStartTls,
                    (_, Verb::Unknown) => Canned::Unrecognized,
                    _ => Canned::Syntax,
                };
                return self.fail(n, r);
            }
        };
        // (QUIT is never gated by the policy: it is one of the commands before STARTTLS.)
        if let Some(reply) = gate.filter(|_| !matches!(cmd.body(), CommandBody::Quit)) {
            // A BDAT's octets are read first (RFC 3030 §2), then the refusal goes out.
            if let CommandBody::Bdat { size, .. } = cmd.body() {
                self.phase = Phase::Skip { remaining: *size, reply };
                return Step::Progress(n);
            }
            return self.fail(n, reply);
        }
        // RFC 2920 §3.2: replies wait for the end of the group.
        let group_end = ends_group(cmd.body());
        let step = self.dispatch(cmd.into_body(), n, after);
        if group_end {
            self.out.flush();
        }
        step
    }

    fn dispatch<'a>(&mut self, body: CommandBody<'a>, n: usize, after: usize) -> Step<'a> {
        match body {
            CommandBody::Ehlo { host } => self.hello(HelloKind::Ehlo, host, n),
            CommandBody::Helo { host } => self.hello(HelloKind::Helo, host, n),
            CommandBody::Lhlo { host } => self.hello(HelloKind::Lhlo, host, n),
            CommandBody::Mail { reverse_path, params } => self.mail(reverse_path, params, n),
            CommandBody::Rcpt { forward_path, params } => self.rcpt(forward_path, params, n),
            CommandBody::Data => self.data(n),
            CommandBody::Bdat { size, last } => self.bdat(size, last, n),
            CommandBody::Rset => {
                self.tx = None;
                self.put(Canned::Ok);
                Step::Progress(n)
            }
            CommandBody::Noop { .. } => {
                self.put(Canned::Ok);
                Step::Progress(n)
            }
            CommandBody::Help { .. } => {
                self.put(Canned::Help);
                Step::Progress(n)
            }
            CommandBody::Quit => {
                self.put(Canned::Bye);
                self.close(n, super::event::Close::Quit)
            }
            CommandBody::Vrfy { arg } if self.config.vrfy => {
                self.pending = Some(Pending::Vrfy);
                Step::Event(n, ServerEvent::Vrfy { arg })
            }
            CommandBody::Vrfy { .. } => self.fail(n, Canned::VrfyDisabled),
            CommandBody::Expn { arg } if self.config.expn => {
                self.pending = Some(Pending::Expn);
                Step::Event(n, ServerEvent::Expn { arg })
            }
            CommandBody::Expn { .. } => self.fail(n, Canned::ExpnDisabled),
            CommandBody::StartTls => self.starttls(n, after),
            CommandBody::Auth { mechanism, initial_response } => {
                let r = if self.config.auth_mechanisms.is_none() {
                    Some(Canned::AuthUnavailable)
                } else if self.hello.is_none() {
                    Some(Canned::HelloFirst)
                } else if self.authenticated {
                    Some(Canned::AuthAlready)
                } else if self.tx.is_some() {
                    Some(Canned::AuthInTransaction)
                } else if let Some(mechs) = self.auth_offer() {
                    (!mechs.contains(mechanism.as_str())).then_some(Canned::AuthMechanism)
                } else {
                    Some(Canned::AuthEncryption)
                };
                if let Some(r) = r {
                    return self.fail(n, r);
                }
                self.pending = Some(Pending::Auth);
                Step::Event(n, ServerEvent::Auth { mechanism, initial_response })
            }
            CommandBody::Other { verb, .. } => {
                let known = ["SEND", "SOML", "SAML", "TURN"].iter().any(|w| verb.as_str().eq_ignore_ascii_case(w));
                if known {
                    return self.fail(n, Canned::NotImplemented);
                }
                echo(self.out.buf(), "500 5.5.2 Error: command not recognized: ", verb.as_str().as_bytes(), "");
                self.count_error(n)
            }
            _ => self.fail(n, Canned::NotImplemented),
        }
    }

    fn hello<'a>(&mut self, kind: HelloKind, host: crate::Host<'a>, n: usize) -> Step<'a> {
        if self.config.lmtp != (kind == HelloKind::Lhlo) {
            return self.fail(n, if self.config.lmtp { Canned::LmtpHello } else { Canned::SmtpHello });
        }
        // RFC 5321 §4.1.4: an EHLO/HELO the server accepts resets the state like RSET (on
        // `accept`); a refused one leaves it as it was.
        self.pending = Some(Pending::Hello(kind));
        Step::Event(n, ServerEvent::Hello { kind, host })
    }

    /// Whether the session was opened with EHLO or LHLO. After HELO no service extension is
    /// in effect (RFC 5321 §2.2.1: a client that wants extensions opens with EHLO, and the
    /// server names them in its reply; HELO's reply names none): ESMTP parameters on MAIL and
    /// RCPT get 555 (§4.1.1.11) and BDAT gets 502 as when CHUNKING is off (RFC 3030 §2).
    fn extended(&self) -> bool {
        self.hello != Some(HelloKind::Helo)
    }

    /// Whether the server offers `p` on MAIL now (RFC 5321 §4.1.1.11: else 555): none after
    /// HELO ([`extended`](Self::extended)).
    fn mail_param_offered(&self, p: &Param<'_>) -> bool {
        if !self.extended() {
            return false;
        }
        let c = &self.config;
        match p {
            Param::Size(_) => true,
            Param::Body(BodyType::SevenBit) => true,
            Param::Body(BodyType::EightBitMime) => c.eight_bit_mime,
            Param::Body(BodyType::BinaryMime) => c.binarymime && c.chunking,
            Param::SmtpUtf8 => c.smtputf8,
            Param::RequireTls => c.requiretls && self.tls.is_some(),
            Param::Ret(_) | Param::EnvId(_) => c.dsn,
            Param::Auth(_) => self.auth_offer().is_some(),
            _ => false,
        }
    }

    fn mail<'a>(&mut self, reverse_path: ReversePath<'a>, params: Params<'a>, n: usize) -> Step<'a> {
        if self.hello.is_none() {
            return self.fail(n, Canned::HelloFirst);
        }
        if self.tx.is_some() {
            return self.fail(n, Canned::NestedMail);
        }
        if !params.iter().all(|p| self.mail_param_offered(&p)) {
            return self.fail(n, Canned::Params);
        }
        // RFC 1870 §6.1: a declared size over the fixed limit gets 552 at once.
        if let (Some(size), Some(max)) = (params.size(), self.config.max_message_size) {
            if size > max {
                self.put(Canned::SizeExceeded);
                return Step::Progress(n);
            }
        }
        let utf8 = params.smtputf8();
        // RFC 6531 §3.4: UTF-8 only in a transaction that declared SMTPUTF8; a UTF-8 path
        // without it only under `utf8_envelope`, which marks the transaction.
        let undeclared = !utf8 && !reverse_path.is_ascii();
        if !utf8 && (!params.is_ascii() || (undeclared && !self.lenient_utf8())) {
            return self.fail(n, Canned::NonAscii);
        }
        self.pending = Some(Pending::Mail { utf8, body: params.body(), undeclared_utf8: undeclared });
        Step::Event(n, ServerEvent::Mail { reverse_path, params })
    }

    fn rcpt<'a>(&mut self, forward_path: crate::ForwardPath<'a>, params: Params<'a>, n: usize) -> Step<'a> {
        let Some(tx) = self.tx else { return self.fail(n, Canned::NeedMail) };
        if tx.bdat.is_some() {
            return self.fail(n, Canned::BadSequence);
        }
        let dsn = self.config.dsn && self.extended();
        if !params.iter().all(|p| matches!(p, Param::Notify(_) | Param::Orcpt(_) if dsn)) {
            return self.fail(n, Canned::Params);
        }
        if tx.rcpts >= self.config.max_recipients {
            // RFC 5321 §4.5.3.1.10: 452, not an error of the client's.
            self.put(Canned::TooManyRecipients);
            return Step::Progress(n);
        }
        // Only under `utf8_envelope` does a UTF-8 path get here without SMTPUTF8 on MAIL.
        self.pending = Some(Pending::Rcpt { undeclared_utf8: !tx.utf8 && !forward_path.is_ascii() });
        Step::Event(n, ServerEvent::Rcpt { forward_path, params })
    }

    fn data<'a>(&mut self, n: usize) -> Step<'a> {
        let r = match self.tx {
            None => Some(Canned::NeedMail),
            Some(tx) if tx.rcpts == 0 => Some(self.no_recipients()),
            // RFC 3030 §2: DATA after BDAT in one transaction MUST get 503.
            Some(tx) if tx.bdat.is_some() => Some(Canned::DataAfterBdat),
            Some(tx) if tx.body == Some(BodyType::BinaryMime) => Some(Canned::DataBinary),
            Some(_) => None,
        };
        if let Some(r) = r {
            return self.fail(n, r);
        }
        let body = self.tx.and_then(|t| t.body);
        self.put(Canned::StartMailInput);
        self.out.flush();
        self.phase = Phase::Data(super::state::Data(crate::framing::DataDecoder::new(body_config(&self.config, body))));
        Step::Progress(n)
    }

    fn bdat<'a>(&mut self, size: u64, last: bool, n: usize) -> Step<'a> {
        // A refused BDAT still has its octets read (RFC 3030 §2), then the reply goes out.
        let refuse = match self.tx {
            _ if !self.config.chunking || !self.extended() => Some(Canned::BdatNoChunking),
            None => Some(Canned::NeedMail),
            Some(tx) if tx.rcpts == 0 => Some(self.no_recipients()),
            Some(_) => None,
        };
        if let Some(reply) = refuse {
            self.phase = Phase::Skip { remaining: size, reply };
            return Step::Progress(n);
        }
        let config = body_config(&self.config, self.tx.and_then(|t| t.body));
        if let Some(tx) = self.tx.as_mut() {
            let decoder = tx.bdat.get_or_insert(Bdat(BdatDecoder::new(config)));
            if decoder.0.start_chunk(size, last).is_err() {
                self.phase = Phase::Skip { remaining: size, reply: Canned::BadSequence };
                return Step::Progress(n);
            }
        }
        self.phase = Phase::Chunk;
        Step::Progress(n)
    }

    /// DATA or BDAT with no accepted recipient: `554` (RFC 5321 §3.3), `503` in LMTP
    /// (RFC 2033 §4.2).
    fn no_recipients(&self) -> Canned {
        if self.config.lmtp { Canned::NoValidRecipientsLmtp } else { Canned::NoValidRecipients }
    }

    fn starttls<'a>(&mut self, n: usize, after: usize) -> Step<'a> {
        let r = if self.config.tls_policy == TlsPolicy::Disabled {
            Some(Canned::StartTlsUnavailable)
        } else if self.tls.is_some() {
            Some(Canned::TlsActive)
        } else if self.hello.is_none() {
            Some(Canned::HelloFirst)
        } else {
            None
        };
        if let Some(r) = r {
            return self.fail(n, r);
        }
        if after > 0 {
            // CVE-2011-0411: octets behind STARTTLS were sent in plaintext; never read them.
            return self.injection(n, after);
        }
        self.put(Canned::StartTls);
        self.tx = None;
        self.phase = Phase::StartTls;
        self.out.flush();
        Step::Event(n, ServerEvent::StartTls)
    }
}
