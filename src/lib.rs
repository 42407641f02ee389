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
//!  bytes in ──► framing ──► parse ──► types ──► (your code)
//!  bytes out ◄────────────── encode ◄── types
//! ```
//! - [`framing`] decides where a line ends (strict CRLF, octet limits, skipping over-long
//!   lines) and where a message body ends (DATA dot-stuffing, BDAT chunks). It is the only
//!   place that asks for more input.
//! - The grammar runs on one complete line and yields [`types`] that borrow from it.
//! - [`Encode`] writes any value back, byte for byte, into a caller's `Vec<u8>`.
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
//! boundary as a type ([`TlsPending`]).
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
//! Errors report a [`ParseErrorKind`] and a byte offset. Incomplete input is not an error:
//! `parse_prefix` returns [`Status::Incomplete`].
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "arbitrary")]
mod arbitrary;
mod encode;
mod error;
pub mod framing;
mod limits;
mod options;
mod parse;
mod server;
mod session;
mod status;
pub mod types;

pub use encode::Encode;
pub use error::{ParseError, ParseErrorKind};
pub use limits::Limits;
pub use options::ParseOptions;
pub use server::sasl;
pub use server::{Close, HelloKind, Lost, Server, ServerConfig, ServerError, ServerEvent, TlsPending, Violation};
pub use session::{Handled, PlaintextReason, Timeouts, TlsInfo, TlsOutcome, TlsPolicy, Transport};
pub use status::Status;
pub use types::*;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
