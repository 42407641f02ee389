//! The sans-IO SMTP client (RFC 5321 and its extensions): [`Client`], its events, its
//! configuration, and the STARTTLS boundary [`ClientTlsPending`].
//!
//! Module graph (a DAG): `config`, `envelope` and `event` stand alone; `state` holds the
//! [`Client`] struct; `reply` reads replies; `tls` is the boundary; `machine` holds the
//! public methods.

mod auth;
mod config;
mod envelope;
mod event;
mod machine;
mod reply;
mod state;
mod submit;
mod tls;

pub use config::{ClientConfig, ClientTimeouts, Credentials};
pub use envelope::Envelope;
pub use event::{Awaiting, ClientError, ClientEvent};
pub use state::Client;
pub use tls::{ClientTlsPending, TlsFailed};
