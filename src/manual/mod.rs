//! The manual: the design rationale and the ways to drive the machines, as documentation.
//!
//! Nothing here is code you call; each page explains one part of the crate with examples that
//! are compiled and run as tests.
//!
//! - [`driving_the_server`]: the [`Server`](crate::Server)'s call order, and a complete blocking
//!   loop over any `Read + Write` stream, STARTTLS hand-off and timeouts included.
//! - [`starttls`]: why the STARTTLS boundary is a type ([`TlsPending`](crate::TlsPending)), and
//!   which attacks that rules out.
//! - [`client_policies`]: the [`Client`](crate::Client)'s call order, and what each
//!   [`TlsPolicy`](crate::TlsPolicy) protects against (and what it does not).

pub mod client_policies;
pub mod driving_the_server;
pub mod starttls;
