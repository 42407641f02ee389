//! [`ServerConfig`]: what the server offers and enforces. Every default is justified where it
//! is set.

use alloc::string::String;

use crate::framing::BareLineEnds;
use crate::session::{Timeouts, TlsPolicy};
use crate::{AuthMechanisms, Domain, Limits, Reply};

/// The server's configuration, shared by every session (`Arc<ServerConfig>`).
///
/// Build it with [`ServerConfig::new`] and change the public fields:
/// ```
/// use smtp_wire::{Domain, ServerConfig, TlsPolicy};
///
/// let mut config = ServerConfig::new(Domain::new("mx.example.org").unwrap());
/// config.tls_policy = TlsPolicy::Required;
/// config.max_recipients = 50;
/// ```
///
/// What the EHLO reply advertises is derived from these fields and the session (RFC 5321
/// §4.1.1.1), so it never contradicts what the server then accepts: no `STARTTLS` once in TLS
/// (RFC 3207 §4.2) or when the policy is [`TlsPolicy::Disabled`]; `AUTH` only where
/// authentication is allowed; `REQUIRETLS` only inside TLS (RFC 8689 §4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The server's name, first in the greeting and the EHLO reply (RFC 5321 §4.1.1.1).
    pub hostname: Domain<'static>,
    /// Text after the name in the `220` greeting. Default `ESMTP` (RFC 5321 §4.2: the text
    /// is free; `ESMTP` is what clients that sniff for it look for). It is written through
    /// the same helper as echoed client text: octets outside printable ASCII become `?` and
    /// it is cut to 64 octets, so no configuration can make the greeting invalid.
    pub greeting: String,
    /// STARTTLS posture. Default [`TlsPolicy::Opportunistic`] (RFC 3207 §4: a publicly
    /// referenced server must not require TLS for local delivery).
    pub tls_policy: TlsPolicy,
    /// Line and path limits for commands. Default [`ServerConfig::LIMITS`].
    pub limits: Limits,
    /// Recipients accepted per message. Default 100: RFC 5321 §4.5.3.1.8 requires at least
    /// 100 to be accepted; more are answered `452 4.5.3` (§4.5.3.1.10).
    pub max_recipients: usize,
    /// Largest message accepted, advertised as `SIZE` (RFC 1870), checked at MAIL against a
    /// declared `SIZE=` and while the body is read. Default 10 MiB, Postfix's
    /// `message_size_limit` (RFC 5321 §4.5.3.1.7 asks for at least 64K). `None`: no limit,
    /// and `SIZE` is advertised without a value.
    pub max_message_size: Option<u64>,
    /// Failed commands (syntax, sequence, unknown verbs) tolerated before the server answers
    /// `421 4.7.0` and ends the session. Default 10 (Postfix `smtpd_soft_error_limit`): enough
    /// for a confused client to recover, short enough to stop a scanner. Refusals the
    /// application makes (an unknown recipient) are not counted: to stop address harvesting,
    /// count them in the application and answer `421` when it has seen enough, which ends the
    /// session (RFC 5321 §3.8).
    pub max_errors: u32,
    /// Timeouts (RFC 5321 §4.5.3.2). Default [`Timeouts::RFC5321`].
    pub timeouts: Timeouts,
    /// Advertise and accept PIPELINING (RFC 2920). Default on: every current client uses it.
    /// Off, replies are still written in order; a pipelining client is then simply served.
    pub pipelining: bool,
    /// Advertise CHUNKING and accept BDAT (RFC 3030). Default on (Postfix ≥ 3.4 does).
    pub chunking: bool,
    /// Advertise BINARYMIME (RFC 3030 §3; needs CHUNKING). Default off: few stores handle raw
    /// binary bodies.
    pub binarymime: bool,
    /// Advertise 8BITMIME and accept `BODY=8BITMIME` (RFC 6152). Default on.
    pub eight_bit_mime: bool,
    /// Refuse a message with 8-bit octets whose MAIL did not declare `BODY=8BITMIME` or
    /// `BINARYMIME` (RFC 6152 §3: such a client is sending what it may not; `554 5.6.1`).
    /// Default off: Postfix, Exim and Sendmail accept such mail, and old clients still send
    /// it; the server always reports it ([`ServerEvent::MessageComplete`]'s
    /// `undeclared_8bit`) so the application can label or convert it.
    ///
    /// [`ServerEvent::MessageComplete`]: super::ServerEvent::MessageComplete
    pub reject_undeclared_8bit: bool,
    /// Advertise SMTPUTF8 and accept UTF-8 envelopes with `SMTPUTF8` on MAIL (RFC 6531).
    /// Default on (Postfix ≥ 3.0).
    pub smtputf8: bool,
    /// Accept an ESMTP parameter that repeats an earlier one of the same command exactly
    /// ([`ParseOptions::with_exact_parameter_repeats`](crate::ParseOptions::with_exact_parameter_repeats)).
    /// Default on: Python's smtplib sends `BODY=8BITMIME SMTPUTF8 BODY=8BITMIME` when it adds
    /// SMTPUTF8 to options that hold BODY, Postfix accepts it, and an exact repeat cannot be
    /// read two ways. A repeat with another value is still `501`.
    pub exact_parameter_repeats: bool,
    /// Accept a UTF-8 address in MAIL or RCPT although MAIL did not declare `SMTPUTF8`
    /// ([`ParseOptions::with_utf8_envelope`](crate::ParseOptions::with_utf8_envelope)), when
    /// [`smtputf8`](Self::smtputf8) is offered. Default on: swaks, msmtp and OpenSMTPD's
    /// smtp(1) send a UTF-8 recipient that way (RFC 6531 §3.2 says they must not) and Postfix
    /// accepts them. Such a transaction is marked: [`ServerEvent::MessageComplete`](super::ServerEvent::MessageComplete)'s
    /// `needs_smtputf8` is set, so the application relays it only to a server that offers
    /// SMTPUTF8, or bounces it, rather than pass UTF-8 to a peer that never agreed to it.
    /// Off, such an address is `553 5.6.7`.
    pub utf8_envelope: bool,
    /// Advertise DSN and accept its parameters (RFC 3461). Default on.
    pub dsn: bool,
    /// Advertise REQUIRETLS inside TLS and accept the MAIL parameter there (RFC 8689).
    /// Default off: the promise it makes binds the relay path, which the application must keep.
    pub requiretls: bool,
    /// SASL mechanisms offered with AUTH (RFC 4954). Default none (no AUTH).
    pub auth_mechanisms: Option<AuthMechanisms<'static>>,
    /// Offer and accept AUTH without TLS. Default off: RFC 4954 §4 requires a configuration
    /// with no plaintext mechanisms unless TLS is active, and credentials in the clear are the
    /// main thing STARTTLS protects.
    pub auth_plaintext: bool,
    /// Ask the application about VRFY (else `502`). Default off: VRFY discloses addresses.
    pub vrfy: bool,
    /// Ask the application about EXPN (else `502`). Default off: EXPN discloses lists.
    pub expn: bool,
    /// LMTP (RFC 2033): LHLO instead of EHLO/HELO, one reply per accepted recipient after
    /// the body. Default off.
    pub lmtp: bool,
    /// What to do with a bare CR or LF in a text body. Default
    /// [`BareLineEnds::Reject`] (SMTP smuggling, CVE-2023-51764).
    pub bare_line_ends: BareLineEnds,
    /// Longest text line in a body, CRLF included. Default 1000 (RFC 5321 §4.5.3.1.6).
    pub max_body_line: Option<usize>,
    /// The reply sent, before the session ends, when a client sends anything after
    /// `STARTTLS` before TLS is up (CVE-2011-0411). `None` (the default):
    /// `421 4.7.0 Pipelined data after STARTTLS, closing` (RFC 3207 §4 makes STARTTLS the
    /// last command of a group; the octets after it were sent in plaintext by someone). A
    /// positive reply here is ignored in favour of the default: the session ends either way,
    /// and the client must not be told otherwise.
    pub starttls_injection_reply: Option<Reply<'static>>,
}

impl ServerConfig {
    /// The server's default limits, chosen for real traffic; [`Limits::RFC5321`] (the RFC
    /// minimums) is one assignment away.
    ///
    /// - command line 2048 octets: RFC 5321 §4.5.3.1.4's 512 is a minimum and extensions
    ///   lengthen MAIL (RFC 1870 §3, RFC 3461 §4, RFC 4954 §5); Postfix reads command lines of
    ///   up to 2048 (`line_length_limit`).
    /// - local part 128 octets: §4.5.3.1.1's 64 is a minimum; SRS and VERP bounce addresses
    ///   are often longer, and Postfix, Exim, OpenSMTPD and aiosmtpd accept 100 and more.
    /// - path 512 octets: room for that local part and a 255-octet domain.
    /// - domain 255 octets: the DNS limit, nothing can be longer usefully.
    /// - SASL line 12288 octets (RFC 4954 §4), replies per RFC 5321.
    pub const LIMITS: Limits = Limits::RFC5321.with_command_line(2048).with_local_part(128).with_path(512);

    /// A configuration with every default, for a server named `hostname`.
    pub fn new(hostname: Domain<'_>) -> Self {
        Self {
            hostname: hostname.into_owned(),
            greeting: String::from("ESMTP"),
            tls_policy: TlsPolicy::Opportunistic,
            limits: Self::LIMITS,
            max_recipients: 100,
            max_message_size: Some(10 * 1024 * 1024),
            max_errors: 10,
            timeouts: Timeouts::RFC5321,
            pipelining: true,
            chunking: true,
            binarymime: false,
            eight_bit_mime: true,
            reject_undeclared_8bit: false,
            smtputf8: true,
            exact_parameter_repeats: true,
            utf8_envelope: true,
            dsn: true,
            requiretls: false,
            auth_mechanisms: None,
            auth_plaintext: false,
            vrfy: false,
            expn: false,
            lmtp: false,
            bare_line_ends: BareLineEnds::Reject,
            max_body_line: Some(1000),
            starttls_injection_reply: None,
        }
    }

    /// The largest buffer a caller needs for unconsumed input: the longest line the server
    /// must see whole before it can act (a command line or a SASL line, whichever limit is
    /// larger). Body octets and over-long lines are always consumed, so they never need more.
    pub fn max_input_buffer(&self) -> usize {
        self.limits.command_line().max(self.limits.sasl_line())
    }
}
