//! # Driving the server
//!
//! [`Server`](crate::Server) does no IO. A runtime moves octets between the connection and
//! the machine, passes the time in, answers the questions the application is asked, and runs
//! the TLS handshake when the machine asks for one. The whole contract is this call order:
//!
//! 1. **Start.** [`Server::new`](crate::Server::new) for a plaintext connection (the `220`
//!    greeting is queued), or [`TlsPending::implicit`](crate::TlsPending::implicit) for
//!    implicit TLS (port 465, RFC 8314): handshake first, then
//!    [`established`](crate::TlsPending::established). To refuse a client at connect time
//!    (a blocklisted address, say), start with [`Server::turn_away`](crate::Server::turn_away)
//!    or [`TlsPending::turn_away`](crate::TlsPending::turn_away) instead: a `554` greeting,
//!    `503` to every command until QUIT (RFC 5321 §3.1), the loop below unchanged.
//! 2. **Feed input.** Keep one buffer of unconsumed octets. After each read, append to it and
//!    call [`handle_input`](crate::Server::handle_input) with all of it; drop the `consumed`
//!    octets it reports; repeat until it consumes nothing and reports no event. The buffer
//!    never needs more than [`ServerConfig::max_input_buffer`](crate::ServerConfig::max_input_buffer)
//!    octets plus one read.
//! 3. **Answer questions.** An event that asks (HELO/EHLO, MAIL, RCPT, AUTH steps, VRFY, EXPN,
//!    the end of a message: [`is_pending`](crate::Server::is_pending) is `true`) must be
//!    answered with [`accept`](crate::Server::accept), [`reject`](crate::Server::reject),
//!    [`respond`](crate::Server::respond) or [`challenge`](crate::Server::challenge) before the
//!    next `handle_input`, which otherwise refuses with
//!    [`ServerError::DecisionPending`](crate::ServerError::DecisionPending). Answering may take
//!    as long as the application likes (a database lookup, a spam scan): the machine waits.
//! 4. **Transmit.** After every call, [`poll_transmit`](crate::Server::poll_transmit) appends
//!    the replies that may go out (RFC 2920 holds replies to a pipelined group until it ends)
//!    and the runtime writes them.
//! 5. **Time.** Time is a [`Duration`](core::time::Duration) since any monotonic epoch the
//!    runtime picks. Arm a timer at [`poll_timeout`](crate::Server::poll_timeout); when it
//!    fires call [`handle_timeout`](crate::Server::handle_timeout) (RFC 5321 §4.5.3.2:
//!    `421 4.4.2`, then the session ends).
//! 6. **STARTTLS.** On [`ServerEvent::StartTls`](crate::ServerEvent::StartTls), transmit the
//!    `220`, turn the server into a [`TlsPending`](crate::TlsPending) with
//!    [`into_tls`](crate::Server::into_tls), run the handshake with your TLS library, and go
//!    on with the fresh server [`established`](crate::TlsPending::established) returns, reading
//!    from the TLS stream (see [`starttls`](super::starttls) for why it is a new value).
//! 7. **End.** When the client closes the connection call
//!    [`peer_closed`](crate::Server::peer_closed), which says what was lost. When
//!    [`ServerEvent::Closed`](crate::ServerEvent::Closed) arrives (or
//!    [`closed`](crate::Server::closed) is `Some`), transmit what is left and close.
//!
//! ## A complete blocking loop
//! This loop serves one connection over any `Read + Write` stream: `std::net::TcpStream`, a
//! TLS stream, or (as in this example, so that it runs as a test) an in-memory pair. The
//! handshake is the caller's: with rustls it is `rustls::StreamOwned::new(conn, tcp)` and the
//! negotiated version and cipher suite go into [`TlsInfo`](crate::TlsInfo).
//!
//! ```
//! use std::io::{self, Read, Write};
//! use std::sync::Arc;
//! use std::time::{Duration, Instant};
//! use smtp_wire::{Close, Domain, Server, ServerConfig, ServerEvent, TlsInfo, TlsPending};
//!
//! /// How a run of the loop ended.
//! enum Next {
//!     Closed(Close),
//!     Upgrade(TlsPending),
//! }
//!
//! /// Serves `server` over `stream` until the session ends or asks for TLS. `deliver` is the
//! /// application: it gets each complete message.
//! fn run<S: Read + Write>(
//!     mut server: Server,
//!     stream: &mut S,
//!     epoch: Instant,
//!     deliver: &mut impl FnMut(Vec<u8>),
//! ) -> io::Result<Next> {
//!     let (mut buf, mut out, mut message) = (Vec::new(), Vec::new(), Vec::new());
//!     let mut chunk = [0u8; 16 * 1024];
//!     loop {
//!         // Handle everything the buffer holds.
//!         loop {
//!             let handled = server.handle_input(&buf, epoch.elapsed()).expect("called in order");
//!             let consumed = handled.consumed;
//!             let done = handled.event.is_none() && consumed == 0;
//!             match handled.event {
//!                 Some(ServerEvent::Body(octets)) => message.extend_from_slice(octets),
//!                 Some(ServerEvent::MessageComplete { .. }) => {
//!                     deliver(std::mem::take(&mut message));
//!                     server.accept().expect("a question was asked");
//!                 }
//!                 Some(ServerEvent::MessageRefused { .. }) => message.clear(),
//!                 Some(ServerEvent::StartTls) => {
//!                     server.poll_transmit(&mut out);
//!                     stream.write_all(&out)?;
//!                     // The buffer is empty here: octets behind STARTTLS end the session.
//!                     return match server.into_tls() {
//!                         Ok(pending) => Ok(Next::Upgrade(pending)),
//!                         Err(_) => unreachable!("transmitted, nothing buffered"),
//!                     };
//!                 }
//!                 Some(ServerEvent::Closed(close)) => {
//!                     out.clear();
//!                     server.poll_transmit(&mut out);
//!                     stream.write_all(&out)?;
//!                     return Ok(Next::Closed(close));
//!                 }
//!                 // Every other question: this application says yes.
//!                 Some(_) if server.is_pending() => server.accept().expect("a question was asked"),
//!                 _ => {}
//!             }
//!             buf.drain(..consumed);
//!             out.clear();
//!             if server.poll_transmit(&mut out) {
//!                 stream.write_all(&out)?;
//!             }
//!             if done {
//!                 break;
//!             }
//!         }
//!         // A real runtime would also wake up at `server.poll_timeout()`: with a blocking
//!         // `TcpStream`, `set_read_timeout(deadline - epoch.elapsed())`, and on `WouldBlock`
//!         // or `TimedOut` call `server.handle_timeout(epoch.elapsed())`.
//!         let n = stream.read(&mut chunk)?;
//!         if n == 0 {
//!             return Ok(Next::Closed(server.peer_closed()));
//!         }
//!         buf.extend_from_slice(&chunk[..n]);
//!     }
//! }
//!
//! /// An in-memory connection: reads come from a script, writes are collected.
//! struct Pipe {
//!     input: io::Cursor<Vec<u8>>,
//!     output: Vec<u8>,
//! }
//! impl Read for Pipe {
//!     fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
//!         // Seven octets at a time, as a slow network would deliver them.
//!         let n = b.len().min(7);
//!         self.input.read(&mut b[..n])
//!     }
//! }
//! impl Write for Pipe {
//!     fn write(&mut self, b: &[u8]) -> io::Result<usize> {
//!         self.output.write(b)
//!     }
//!     fn flush(&mut self) -> io::Result<()> {
//!         Ok(())
//!     }
//! }
//!
//! let config = Arc::new(ServerConfig::new(Domain::new("mx.example.org").unwrap()));
//! let epoch = Instant::now();
//! let mut messages = Vec::new();
//! let mut deliver = |m: Vec<u8>| messages.push(m);
//!
//! // Plaintext until STARTTLS.
//! let mut tcp = Pipe { input: io::Cursor::new(b"EHLO client.example\r\nSTARTTLS\r\n".to_vec()), output: Vec::new() };
//! let Next::Upgrade(pending) = run(Server::new(config, epoch.elapsed()), &mut tcp, epoch, &mut deliver)? else {
//!     panic!("no upgrade");
//! };
//! assert!(tcp.output.ends_with(b"220 2.0.0 Ready to start TLS\r\n"));
//!
//! // The handshake would happen here; this "TLS stream" is another in-memory pipe.
//! let info = TlsInfo::new("TLSv1.3", "TLS_AES_128_GCM_SHA256").with_peer_verified(false);
//! let server = pending.established(info, epoch.elapsed());
//! assert!(server.tls_outcome().is_encrypted());
//! let session = b"EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n\
//!                 DATA\r\nSubject: hi\r\n\r\nHello\r\n.\r\nQUIT\r\n";
//! let mut tls = Pipe { input: io::Cursor::new(session.to_vec()), output: Vec::new() };
//! let Next::Closed(close) = run(server, &mut tls, epoch, &mut deliver)? else { panic!("upgrade twice") };
//! assert_eq!(close, Close::Quit);
//! assert_eq!(messages, [b"Subject: hi\r\n\r\nHello\r\n".to_vec()]);
//! let replies = String::from_utf8(tls.output).unwrap();
//! assert!(!replies.contains("STARTTLS")); // not offered again inside TLS (RFC 3207 §4.2)
//! assert!(replies.ends_with("250 2.0.0 Ok: queued\r\n221 2.0.0 Bye\r\n"));
//! # Ok::<(), io::Error>(())
//! ```
//!
//! An async runtime runs the same loop with `read().await` and `write_all().await`, and a
//! `sleep_until` on `poll_timeout()` raced against the read.
