//! # smtp-wire
//!
//! SMTP on the wire: a zero-copy parser and an exact serializer for SMTP commands (RFC 5321
//! and its extensions), built to be driven by any runtime and hammered by fuzzers.
//!
//! ## What it does not do
//! - **No IO.** It never opens a socket, reads a clock or spawns a task. You hand it bytes; it
//!   hands you values and bytes back. That is what lets tokio, async-std, smol, blocking
//!   `std::net` or an embedded loop all drive the same code, and a fuzzer drive it exhaustively.
//! - **No TLS cryptography, no DNS.**
//! - **No message parsing.** RFC 5322 headers and MIME bodies, SPF, DKIM and DMARC are other
//!   crates' jobs.
//!
//! ## Data flow
//! ```text
//!  bytes in ──► framing ──► grammar area (value) ──► (your code)
//!  bytes out ◄── framing (dot-stuffing) ◄── encode (value) ◄── (your code)
//! ```
//! - [`framing`] decides where a command line or a reply ends (strict CRLF, octet limits,
//!   skipping over-long lines) and where a message body ends (DATA dot-stuffing, BDAT
//!   chunks). It is the only place that asks for more input.
//! - The grammar of each area runs on complete input and yields values that borrow from it
//!   ([`Parse`], [`ParsePrefix`]).
//! - [`Encode`] writes any value back, byte for byte, into a caller's `Vec<u8>`.
//!
//! ## Layers
//! The source mirrors the data flow: one folder per grammar area, each holding its values
//! (`mod.rs`), the grammar that reads them (`grammar.rs`: nom, complete input, and the
//! parsers and checked constructors) and the encoder that writes them (`encode.rs`), over an
//! octet-level core. A value is a view over validated wire text, so it lives beside its
//! grammar; the values never import their grammar or encoder, so no two files import each
//! other.
//! ```text
//!  error, status, limits, options     plain types every layer uses
//!  wire        octet classes (one definition of text, atom, control …), nom plumbing, Sink
//!  token       small validated lexical values (Keyword, Base64, XText, …)
//!  framing     lines, replies, DATA and BDAT bodies: where input ends
//!  parse       the Parse and ParsePrefix traits
//!  domain  <  path,  params  <  command          the client's side
//!  reply   <  ehlo                               the server's side
//! ```
//! A module imports only from the layers below it (areas on one line only from the ones to
//! their left); `python3 ../shared/tools/layers.py` checks this from the `use` lines.
//!
//! ## Quick start
//! ```
//! use smtp_wire::{Command, CommandBody, Encode, Status};
//!
//! let input = b"EHLO client.example\r\nMAIL FROM:<a@example.org> BODY=8BITMIME\r\nRCPT";
//! let mut buf = &input[..];
//! let mut seen = Vec::new();
//! while let Status::Complete { value, consumed } = Command::parse_prefix(buf).unwrap() {
//!     assert_eq!(value.to_vec(), &buf[..consumed]); // exact round trip
//!     seen.push(value.verb().to_owned());
//!     buf = &buf[consumed..];
//! }
//! assert_eq!(seen, ["EHLO", "MAIL"]);
//! assert_eq!(buf, b"RCPT"); // waits for the rest of the line
//! ```
//! Server replies work the same way: [`Reply`], [`EhloReply`] and [`SaslChallenge`] parse
//! whole replies or the first one of a buffer, and [`ReplyBuilder`] writes them.
//!
//! [`Server`] runs the server side of a whole session on top of the codec: sans-IO (you move
//! the octets, pass the time in and run the TLS handshake when asked), with the STARTTLS
//! boundary as a type ([`TlsPending`]). [`Client`] runs the client side the same way, with
//! its own boundary type ([`ClientTlsPending`]) and a [`TlsOutcome`] on every session and
//! message: see [`manual::client_policies`].
//!
//! ## Strict by default
//! Bare CR and bare LF are errors, the RFC 5321 §4.5.3.1 limits are enforced before any grammar
//! runs, 8-bit octets need SMTPUTF8, and no value that can be constructed encodes to something
//! a strict peer would read differently. The few leniencies real clients need are runtime
//! [`ParseOptions`], each documented with its risk — never Cargo features.
//!
//! ## Features
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | run-time CPU feature detection in memchr (AVX2 line scanning); the codec itself is `#![no_std]` + `alloc` |
//! | `arbitrary` | no | `arbitrary::Arbitrary` for the value types, generating only valid values |
//!
//! Parse errors report a [`ParseErrorKind`] and a byte offset into the input. Incomplete input
//! is not an error: `parse_prefix` returns [`Status::Incomplete`]. Values refused by a
//! constructor or builder report a [`BuildError`]: which value, which item, where, and why.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "arbitrary")]
mod arbitrary;
mod client;
mod command;
mod domain;
mod ehlo;
mod error;
pub mod framing;
mod limits;
pub mod manual;
mod options;
mod params;
mod parse;
mod path;
mod reply;
mod server;
mod session;
mod status;
mod token;
mod wire;

pub use client::{
    Awaiting, Client, ClientConfig, ClientError, ClientEvent, ClientTimeouts, ClientTlsPending, Credentials, Envelope,
    TlsFailed,
};
pub use command::{AuthResponse, Command, CommandBody, InitialResponse, Spelling};
pub use domain::{AddressLiteral, Domain, Host, LiteralKind};
pub use ehlo::{
    AuthMechanisms, Capabilities, Capability, Duplicates, EhloKeyword, EhloParams, EhloReply, Extension, MechanismIter,
    ServerLimit, ServerLimits, UnparsedParams,
};
pub use error::{BuildError, BuildErrorKind, ParseError, ParseErrorKind};
pub use limits::Limits;
pub use options::ParseOptions;
pub use params::{AuthParam, BodyType, By, ByMode, Notify, Orcpt, Param, ParamIter, Params, Ret, Rrvs, RrvsAction};
pub use parse::{Parse, ParsePrefix};
pub use path::{ForwardPath, LocalPart, Mailbox, Path, Postmaster, ReversePath, SourceRoute};
pub use reply::{
    EnhancedCode, Reply, ReplyBuilder, ReplyCategory, ReplyClass, ReplyCode, ReplyLine, ReplyLines, SaslChallenge,
};
pub use server::sasl;
pub use server::{Close, HelloKind, Lost, Server, ServerConfig, ServerError, ServerEvent, TlsPending, Violation};
pub use session::{
    Handled, PlaintextReason, Received, ReceivedWith, Timeouts, TlsInfo, TlsOutcome, TlsPolicy, Transport, rfc5322_date,
};
pub use status::Status;
pub use token::{Base64, EsmtpValue, Keyword, Mechanism, SmtpString, Text, Timestamp, XText};
pub use wire::Encode;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
