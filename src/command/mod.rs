//! Client commands (RFC 5321 §4.1.1 and the extensions that add verbs).
//!
//! The values live here; [`grammar`] reads a command line (and holds the parsers and the
//! checked constructors), [`encode`] writes one.

pub(crate) mod encode;
pub(crate) mod grammar;
mod spelling;

pub use spelling::Spelling;

use crate::domain::Host;
use crate::params::Params;
use crate::path::{ForwardPath, ReversePath};
use crate::token::{Base64, Keyword, Mechanism, SmtpString, Text};

/// One SMTP command line, parsed: what it says ([`CommandBody`]) and how its fixed words were
/// written ([`Spelling`]), so it re-encodes to the exact octets it came from.
///
/// ```
/// use smtp_wire::{Command, CommandBody, Encode};
///
/// let line = b"MAIL FROM:<alice@example.org> SIZE=1024\r\n";
/// let cmd = Command::parse(line).unwrap();
/// let CommandBody::Mail { reverse_path, params } = cmd.body() else { panic!() };
/// assert_eq!(reverse_path.mailbox().unwrap().to_string(), "alice@example.org");
/// assert_eq!(params.size(), Some(1024));
/// assert_eq!(cmd.to_vec(), line);
/// ```
///
/// Parsing never allocates: every text value borrows from the input line.
/// [`into_owned`](Self::into_owned) makes a `'static` copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Command<'a> {
    pub(crate) body: CommandBody<'a>,
    pub(crate) spelling: Spelling,
}

/// What a command says.
///
/// Each variant quotes its grammar. Unknown verbs are kept as [`CommandBody::Other`] so a server
/// can answer `500`/`502` and everything round-trips.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CommandBody<'a> {
    /// `helo = "HELO" SP Domain CRLF` (RFC 5321 §4.1.1.1; an address literal is accepted
    /// too, as every major server does).
    Helo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `ehlo = "EHLO" SP ( Domain / address-literal ) CRLF` (RFC 5321 §4.1.1.1)
    Ehlo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `LHLO` (RFC 2033 §4.1), EHLO's LMTP twin.
    Lhlo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF` (RFC 5321 §4.1.1.2)
    Mail {
        /// The sender, or `<>`.
        reverse_path: ReversePath<'a>,
        /// The ESMTP parameters.
        params: Params<'a>,
    },
    /// `rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )
    /// [SP Rcpt-parameters] CRLF` (RFC 5321 §4.1.1.3)
    Rcpt {
        /// The recipient.
        forward_path: ForwardPath<'a>,
        /// The ESMTP parameters.
        params: Params<'a>,
    },
    /// `data = "DATA" CRLF` (RFC 5321 §4.1.1.4)
    Data,
    /// `bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF`, `chunk-size = 1*DIGIT`,
    /// `end-marker = "LAST"` (RFC 3030 §2)
    Bdat {
        /// The number of octets that follow the CRLF.
        size: u64,
        /// Whether this is the last chunk.
        last: bool,
    },
    /// `rset = "RSET" CRLF` (RFC 5321 §4.1.1.5)
    Rset,
    /// `vrfy = "VRFY" SP String CRLF` (RFC 5321 §4.1.1.6)
    Vrfy {
        /// The name or mailbox to verify.
        arg: SmtpString<'a>,
    },
    /// `expn = "EXPN" SP String CRLF` (RFC 5321 §4.1.1.7)
    Expn {
        /// The list to expand.
        arg: SmtpString<'a>,
    },
    /// `help = "HELP" [ SP String ] CRLF` (RFC 5321 §4.1.1.8)
    Help {
        /// The topic.
        arg: Option<SmtpString<'a>>,
    },
    /// `noop = "NOOP" [ SP String ] CRLF` (RFC 5321 §4.1.1.9)
    Noop {
        /// Ignored text.
        arg: Option<SmtpString<'a>>,
    },
    /// `quit = "QUIT" CRLF` (RFC 5321 §4.1.1.10)
    Quit,
    /// `STARTTLS` with no argument (RFC 3207 §4; a server answers an argument with 501).
    StartTls,
    /// `auth-command = "AUTH" SP sasl-mech [SP initial-response] CRLF`,
    /// `initial-response = base64 / "="` (RFC 4954 §4)
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism<'a>,
        /// The initial response, if sent.
        initial_response: Option<InitialResponse<'a>>,
    },
    /// `"ETRN" SP [ "@" / "#" ] ( domain / queue )` (RFC 1985 §5)
    Etrn {
        /// The node or queue, with its `@` or `#` prefix if any.
        arg: Text<'a>,
    },
    /// A verb this crate does not know, and its arguments verbatim.
    Other {
        /// The verb as written.
        verb: Keyword<'a>,
        /// Everything after the first space, if anything.
        args: Option<Text<'a>>,
    },
}

/// The optional initial response of `AUTH` (RFC 4954 §4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InitialResponse<'a> {
    /// `=`: present and empty.
    Empty,
    /// Base64 data (its `Debug` is redacted).
    Data(Base64<'a>),
}

impl<'a> Command<'a> {
    /// `EHLO host` (RFC 5321 §4.1.1.1).
    ///
    /// ```
    /// use smtp_wire::{Command, Domain, Encode, Params, ReversePath};
    ///
    /// let ehlo = Command::ehlo(Domain::new("client.example")?);
    /// assert_eq!(ehlo.to_vec(), b"EHLO client.example\r\n");
    /// let mail = Command::mail(ReversePath::Null, Params::EMPTY)?;
    /// assert_eq!(mail.to_vec(), b"MAIL FROM:<>\r\n");
    /// # Ok::<(), smtp_wire::BuildError>(())
    /// ```
    pub fn ehlo(host: impl Into<Host<'a>>) -> Self {
        Self::canonical(CommandBody::Ehlo { host: host.into() })
    }

    /// `HELO host` (RFC 5321 §4.1.1.1).
    pub fn helo(host: impl Into<Host<'a>>) -> Self {
        Self::canonical(CommandBody::Helo { host: host.into() })
    }

    /// `LHLO host` (RFC 2033 §4.1).
    pub fn lhlo(host: impl Into<Host<'a>>) -> Self {
        Self::canonical(CommandBody::Lhlo { host: host.into() })
    }

    /// `DATA` (RFC 5321 §4.1.1.4).
    pub fn data() -> Self {
        Self::canonical(CommandBody::Data)
    }

    /// `BDAT size [LAST]` (RFC 3030 §2).
    pub fn bdat(size: u64, last: bool) -> Self {
        Self::canonical(CommandBody::Bdat { size, last })
    }

    /// `RSET` (RFC 5321 §4.1.1.5).
    pub fn rset() -> Self {
        Self::canonical(CommandBody::Rset)
    }

    /// `NOOP` (RFC 5321 §4.1.1.9).
    pub fn noop() -> Self {
        Self::canonical(CommandBody::Noop { arg: None })
    }

    /// `QUIT` (RFC 5321 §4.1.1.10).
    pub fn quit() -> Self {
        Self::canonical(CommandBody::Quit)
    }

    /// `STARTTLS` (RFC 3207 §4).
    pub fn starttls() -> Self {
        Self::canonical(CommandBody::StartTls)
    }

    /// A body that needs no check beyond its parts' own validation.
    pub(crate) fn canonical(body: CommandBody<'a>) -> Self {
        Self { body, spelling: Spelling::CANONICAL }
    }

    /// What the command says.
    pub fn body(&self) -> &CommandBody<'a> {
        &self.body
    }

    /// The body, by value.
    pub fn into_body(self) -> CommandBody<'a> {
        self.body
    }

    /// How its fixed words were written.
    pub fn spelling(&self) -> Spelling {
        self.spelling
    }

    /// The same command written with `spelling` (only the parts that apply to this command
    /// are kept, so equal texts compare equal).
    #[must_use]
    pub fn with_spelling(mut self, spelling: Spelling) -> Self {
        self.spelling = mask_spelling(&self.body, spelling);
        self
    }

    /// The verb in canonical upper case (for [`CommandBody::Other`], as written).
    pub fn verb(&self) -> &str {
        verb_name(&self.body)
    }

    /// A copy that owns all its text.
    pub fn into_owned(self) -> Command<'static> {
        Command { body: self.body.into_owned(), spelling: self.spelling }
    }
}

impl CommandBody<'_> {
    /// A copy that owns all its text.
    pub fn into_owned(self) -> CommandBody<'static> {
        match self {
            Self::Helo { host } => CommandBody::Helo { host: host.into_owned() },
            Self::Ehlo { host } => CommandBody::Ehlo { host: host.into_owned() },
            Self::Lhlo { host } => CommandBody::Lhlo { host: host.into_owned() },
            Self::Mail { reverse_path, params } => {
                CommandBody::Mail { reverse_path: reverse_path.into_owned(), params: params.into_owned() }
            }
            Self::Rcpt { forward_path, params } => {
                CommandBody::Rcpt { forward_path: forward_path.into_owned(), params: params.into_owned() }
            }
            Self::Data => CommandBody::Data,
            Self::Bdat { size, last } => CommandBody::Bdat { size, last },
            Self::Rset => CommandBody::Rset,
            Self::Vrfy { arg } => CommandBody::Vrfy { arg: arg.into_owned() },
            Self::Expn { arg } => CommandBody::Expn { arg: arg.into_owned() },
            Self::Help { arg } => CommandBody::Help { arg: arg.map(SmtpString::into_owned) },
            Self::Noop { arg } => CommandBody::Noop { arg: arg.map(SmtpString::into_owned) },
            Self::Quit => CommandBody::Quit,
            Self::StartTls => CommandBody::StartTls,
            Self::Auth { mechanism, initial_response } => CommandBody::Auth {
                mechanism: mechanism.into_owned(),
                initial_response: initial_response.map(InitialResponse::into_owned),
            },
            Self::Etrn { arg } => CommandBody::Etrn { arg: arg.into_owned() },
            Self::Other { verb, args } => {
                CommandBody::Other { verb: verb.into_owned(), args: args.map(Text::into_owned) }
            }
        }
    }
}

impl InitialResponse<'_> {
    /// A copy that owns its text.
    pub fn into_owned(self) -> InitialResponse<'static> {
        match self {
            Self::Empty => InitialResponse::Empty,
            Self::Data(d) => InitialResponse::Data(d.into_owned()),
        }
    }
}

/// The client's line in answer to a `334` challenge during AUTH (RFC 4954 §4): base64 data, or
/// `*` to cancel the exchange.
///
/// ```abnf
/// line = (base64 / "*") CRLF      ; RFC 4954 §4; at most 12288 octets by default
/// ```
///
/// ```
/// use smtp_wire::AuthResponse;
///
/// assert_eq!(AuthResponse::parse(b"*\r\n").unwrap(), AuthResponse::Cancel);
/// let AuthResponse::Data(d) = AuthResponse::parse(b"dXNlcg==\r\n").unwrap() else { panic!() };
/// assert_eq!(d.decode(), b"user");
/// assert!(AuthResponse::parse(b"dXNlcg=\r\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthResponse<'a> {
    /// `*`: the client cancels the exchange (the server answers 501).
    Cancel,
    /// Base64 data (may be empty).
    Data(Base64<'a>),
}

impl AuthResponse<'_> {
    /// A copy that owns its text.
    pub fn into_owned(self) -> AuthResponse<'static> {
        match self {
            Self::Cancel => AuthResponse::Cancel,
            Self::Data(d) => AuthResponse::Data(d.into_owned()),
        }
    }
}

/// The canonical verb of a body.
pub(crate) fn verb_name<'b>(body: &'b CommandBody<'_>) -> &'b str {
    match body {
        CommandBody::Helo { .. } => "HELO",
        CommandBody::Ehlo { .. } => "EHLO",
        CommandBody::Lhlo { .. } => "LHLO",
        CommandBody::Mail { .. } => "MAIL",
        CommandBody::Rcpt { .. } => "RCPT",
        CommandBody::Data => "DATA",
        CommandBody::Bdat { .. } => "BDAT",
        CommandBody::Rset => "RSET",
        CommandBody::Vrfy { .. } => "VRFY",
        CommandBody::Expn { .. } => "EXPN",
        CommandBody::Help { .. } => "HELP",
        CommandBody::Noop { .. } => "NOOP",
        CommandBody::Quit => "QUIT",
        CommandBody::StartTls => "STARTTLS",
        CommandBody::Auth { .. } => "AUTH",
        CommandBody::Etrn { .. } => "ETRN",
        CommandBody::Other { verb, .. } => verb.as_str(),
    }
}

/// Keeps only the spelling bits that apply to `body`.
pub(crate) fn mask_spelling(body: &CommandBody<'_>, s: Spelling) -> Spelling {
    match body {
        CommandBody::Mail { .. } => s.masked(4, 4, true, false),
        CommandBody::Rcpt { .. } => s.masked(4, 2, true, false),
        CommandBody::Bdat { last, .. } => s.masked(4, if *last { 4 } else { 0 }, false, true),
        CommandBody::Other { .. } => Spelling::CANONICAL,
        b => s.masked(verb_name(b).len(), 0, false, false),
    }
}
