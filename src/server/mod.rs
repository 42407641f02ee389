//! The sans-IO SMTP server (RFC 5321 and its extensions): [`Server`], its events, its
//! configuration, and the STARTTLS boundary [`TlsPending`].
//!
//! Module graph (a DAG): `config`, `event`, `reply` and `sasl` stand alone; `state` holds
//! the [`Server`] struct; `command` and `body` handle input; `tls` is the boundary;
//! `machine` holds the public methods.

mod body;
mod command;
mod config;
mod event;
mod machine;
pub(crate) mod reply;
pub mod sasl;
mod state;
mod tls;

pub use config::ServerConfig;
pub use event::{Close, HelloKind, Lost, ServerError, ServerEvent, Violation};
pub use state::Server;
pub use tls::TlsPending;
