//! # Why the STARTTLS boundary is a type
//!
//! STARTTLS (RFC 3207) turns a plaintext connection into an encrypted one in the middle of the
//! session. Two rules make that safe, and both have been broken again and again:
//!
//! 1. **Nothing read before the handshake may be processed after it.** A man in the middle
//!    can append commands to the client's `STARTTLS\r\n` in the same TCP segment. A server
//!    that had already read them into its buffer, then ran the handshake and went on reading
//!    from that buffer, executed the attacker's plaintext commands as if they had come over
//!    TLS: Postfix CVE-2011-0411, then in the 2021 "NO STARTTLS" study Dovecot CVE-2021-33515
//!    and dozens more, and aiosmtpd CVE-2024-34083 in 2024. The client side has the mirror
//!    image: replies injected after the server's `220` and read as if they came over TLS
//!    (Mutt CVE-2020-14954, Exim CVE-2021-38371).
//! 2. **Everything learned before the handshake is forgotten** (RFC 3207 §4.2): the client's
//!    EHLO name, any AUTH state, any open transaction. The client must send EHLO again, and
//!    the new EHLO list must not offer STARTTLS. Servers that kept the pre-TLS state let a
//!    man in the middle choose it.
//!
//! Each rule is easy to state and easy to get wrong in a runtime: the buffer, the session
//! object and the socket all live on across the handshake in the obvious implementation.
//!
//! ## How the type enforces them
//! - A [`Server`](crate::Server) that has answered STARTTLS with `220` reads nothing more:
//!   [`handle_input`](crate::Server::handle_input) treats any octet handed in as injected and
//!   ends the session with
//!   [`Violation::StartTlsInjection`](crate::Violation::StartTlsInjection), and so does an
//!   octet behind `STARTTLS\r\n` in the same input. A runtime that hands in every octet it
//!   reads, as the call order asks, cannot process plaintext after the command, even if it
//!   forgets to empty its buffer. (One that reads a line at a time and keeps the rest to
//!   itself must still drop it: the machine cannot see octets it is never given.)
//! - [`Server::into_tls`](crate::Server::into_tls) consumes the server and returns a
//!   [`TlsPending`](crate::TlsPending), `#[must_use]`, which has no input method at all: while
//!   the handshake runs there is nothing to call that could read.
//! - The only way back is [`TlsPending::established`](crate::TlsPending::established), which
//!   builds a **new** server from the configuration and the [`TlsInfo`](crate::TlsInfo) alone.
//!   It has no field that could carry the EHLO name, AUTH state or envelope from before, so
//!   forgetting them is not a step the code could skip; its EHLO list has no STARTTLS.
//! - [`TlsPending::failed`](crate::TlsPending::failed) ends the session: there is no way to
//!   continue the same connection in plaintext after a failed handshake.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use smtp_wire::{Close, Domain, Server, ServerConfig, ServerEvent, Violation};
//!
//! let config = Arc::new(ServerConfig::new(Domain::new("mx.example.org").unwrap()));
//! let mut server = Server::new(config, Duration::ZERO);
//! let mut out = Vec::new();
//! server.handle_input(b"EHLO client.example\r\n", Duration::ZERO).unwrap();
//! server.accept().unwrap();
//! // A man in the middle appends a command to STARTTLS in the same segment.
//! let h = server.handle_input(b"STARTTLS\r\nMAIL FROM:<attacker@example.net>\r\n", Duration::ZERO).unwrap();
//! assert!(matches!(
//!     h.event,
//!     Some(ServerEvent::Closed(Close::Violation(Violation::StartTlsInjection { .. })))
//! ));
//! server.poll_transmit(&mut out);
//! assert!(out.ends_with(b"421 4.7.0 Pipelined data after STARTTLS, closing\r\n"));
//! // There is no TLS to go on with: the session is over.
//! assert!(server.into_tls().is_err());
//! ```
//!
//! The client machine (a later part of the crate) mirrors this: the same `TlsPending` shape,
//! a `220` with octets behind it refused, and a fresh client after the handshake that must EHLO
//! again.
