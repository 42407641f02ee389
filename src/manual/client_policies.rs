//! # Driving the client, and what each STARTTLS policy protects against
//!
//! ## Call order
//! The [`Client`](crate::Client) mirrors the [`Server`](crate::Server): hand in every octet
//! read with [`handle_input`](crate::Client::handle_input) (drop `consumed`, call again
//! while an event comes back), write what [`poll_transmit`](crate::Client::poll_transmit)
//! gives, wait at most until [`poll_timeout`](crate::Client::poll_timeout). On
//! [`ClientEvent::Ready`](crate::ClientEvent::Ready) submit a message or quit; on
//! [`ClientEvent::StartTls`](crate::ClientEvent::StartTls) call
//! [`into_tls`](crate::Client::into_tls), run the handshake with your TLS library, and hand
//! its facts to [`ClientTlsPending::established`](crate::ClientTlsPending::established): the
//! client that comes back sends EHLO again and knows nothing from before (RFC 3207 §4.2).
//! Every error from `handle_input` ends the session; transmit a queued `QUIT`, then close.
//! When [`established`](crate::ClientTlsPending::established) refuses an unverified peer
//! ([`PeerUnverified`](crate::ClientError::PeerUnverified)), RFC 3207 §4.1 asks for a `QUIT`
//! right after the handshake: write `QUIT\r\n` on the TLS stream, then close.
//!
//! ## Messages
//! [`submit`](crate::Client::submit) takes an [`Envelope`](crate::Envelope) and checks it
//! against what the server offered before writing anything: the size against `SIZE`, 8-bit
//! octets against `8BITMIME`, a non-ASCII address against `SMTPUTF8`, each parameter against
//! its extension (DSN's `NOTIFY`/`ORCPT`/`RET`/`ENVID`, `BODY=BINARYMIME` against
//! `BINARYMIME` and `CHUNKING`, ...). With pipelining (RFC 2920) MAIL, every RCPT and DATA go
//! in one write; each recipient's reply comes as an event, then the message's result with the
//! session's [`TlsOutcome`](crate::TlsOutcome).
//!
//! A large body need not be in memory: [`Envelope::streamed`](crate::Envelope::streamed)
//! makes the client report [`SendBody`](crate::ClientEvent::SendBody) once the recipients are
//! settled, and take the body in pieces from [`body_chunk`](crate::Client::body_chunk):
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use smtp_wire::{Client, ClientConfig, ClientEvent, Domain, Envelope, ForwardPath, ReversePath, TlsPolicy};
//!
//! let config = ClientConfig::new(Domain::new("client.example").unwrap()).with_tls_policy(TlsPolicy::Disabled);
//! let mut client = Client::new(Arc::new(config), Duration::ZERO);
//! let (mut out, now) = (Vec::new(), Duration::ZERO);
//! let mut input: &[u8] = b"220 mx\r\n250-mx\r\n250 PIPELINING\r\n";
//! while !client.is_ready() {
//!     let h = client.handle_input(input, now).unwrap();
//!     input = &input[h.consumed..];
//! }
//! let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
//! let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
//! client.submit(Envelope::streamed(from).with_recipient(to)).unwrap();
//! client.poll_transmit(&mut out);
//! let mut replies: &[u8] = b"250 ok\r\n250 ok\r\n354 go\r\n";
//! loop {
//!     let h = client.handle_input(replies, now).unwrap();
//!     replies = &replies[h.consumed..];
//!     if h.event == Some(ClientEvent::SendBody) {
//!         break;
//!     }
//! }
//! out.clear();
//! client.body_chunk(b"Subject: big\r\n\r\n.first piece\r\n", false).unwrap();
//! client.body_chunk(b"last piece\r\n", true).unwrap();
//! client.poll_transmit(&mut out);
//! assert_eq!(out, b"Subject: big\r\n\r\n..first piece\r\nlast piece\r\n.\r\n");
//! ```
//!
//! Pieces go out dot-stuffed for DATA, as one `BDAT` chunk each with CHUNKING (RFC 3030).
//! A piece is written whole or not at all; a refused piece (a bare CR or LF) ends the
//! session, since the pieces before it cannot be taken back.
//!
//! ## Authentication
//! [`Credentials`](crate::Credentials) are a password (AUTH PLAIN when offered, else LOGIN),
//! an OAuth 2.0 token (XOAUTH2), or any SASL mechanism the application steps itself: each
//! `334` comes as [`AuthChallenge`](crate::ClientEvent::AuthChallenge), answered with
//! [`auth_respond`](crate::Client::auth_respond) or
//! [`auth_cancel`](crate::Client::auth_cancel). Credentials are never sent before TLS unless
//! [`auth_plaintext`](crate::ClientConfig::auth_plaintext) says so, and never shown by
//! `Debug`.
//!
//! ## The policies
//! Each cell is checked by `tests/client_policy_table.rs` through the in-memory client–server
//! pair with a man in the middle.
//!
//! | network does | `Disabled` | `Opportunistic` | `Required` |
//! |---|---|---|---|
//! | offers STARTTLS, handshake ok | plaintext (`Disabled`) | encrypted | encrypted (peer verified, unless `accept_unverified`) |
//! | strips the offer / forces HELO | plaintext | plaintext (`NotOffered`) | QUIT, [`TlsNotOffered`](crate::ClientError::TlsNotOffered) |
//! | answers STARTTLS with 454 | – | plaintext (`Refused`) | QUIT, [`TlsRefused`](crate::ClientError::TlsRefused) |
//! | handshake fails | – | connection closed; `retry_in_plaintext` | connection closed |
//! | replies behind the `220` | – | [`ReplyInjection`](crate::ClientError::ReplyInjection) | [`ReplyInjection`](crate::ClientError::ReplyInjection) |
//! | unverified certificate | – | encrypted, reported `unverified` | [`PeerUnverified`](crate::ClientError::PeerUnverified) |
//!
//! Under `Required`, no MAIL, RCPT, AUTH or body octet is ever written before the handshake:
//! the session never becomes ready in plaintext, and [`submit`](crate::Client::submit) checks
//! it again.
//!
//! **Opportunistic** protects against a passive eavesdropper only: a man in the middle strips
//! the offer or answers 454 and the client goes on in plaintext. What this crate adds is that
//! the downgrade is never silent: the [`TlsOutcome`](crate::TlsOutcome) on the session and on
//! every message result says plaintext and why, so it can be logged, reported (TLSRPT,
//! RFC 8460) or refused. **Required** also stops an active attacker, provided the TLS library
//! verifies the certificate against the right name (which MTA-STS, RFC 8461, or DANE,
//! RFC 7672, tell a relay to require). After a failed handshake under `Opportunistic`, the
//! connection is never continued in cleartext (the server expects a handshake, and the
//! failure may be forced): the documented next step is a new connection with TLS disabled.
//!
//! STARTTLS protects one hop. It says nothing about who wrote the message: that is SPF, DKIM
//! and DMARC, other crates' jobs; and it does not protect the next hops, which REQUIRETLS
//! (RFC 8689) asks for.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use smtp_wire::{Client, ClientConfig, ClientError, Domain, TlsPolicy};
//!
//! let config = ClientConfig::new(Domain::new("client.example").unwrap()).with_tls_policy(TlsPolicy::Required);
//! let mut client = Client::new(Arc::new(config), Duration::ZERO);
//! let mut out = Vec::new();
//! let _ = client.handle_input(b"220 mx.example\r\n", Duration::ZERO).unwrap();
//! client.poll_transmit(&mut out);
//! // A man in the middle removed 250-STARTTLS:
//! let err = client.handle_input(b"250-mx.example\r\n250 PIPELINING\r\n", Duration::ZERO).unwrap_err();
//! assert_eq!(err, ClientError::TlsNotOffered);
//! out.clear();
//! client.poll_transmit(&mut out);
//! assert_eq!(out, b"QUIT\r\n"); // and nothing else, ever
//! ```
