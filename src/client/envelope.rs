//! [`Envelope`]: one message to submit.

use alloc::vec::Vec;

use crate::{ForwardPath, Param, ReversePath};

/// One message: the reverse path (`MAIL FROM`, RFC 5321 §4.1.1.2) with its parameters, the
/// recipients (`RCPT TO`, §4.1.1.3) with theirs, and the body as it goes on the wire before
/// dot-stuffing (header and body of RFC 5322, lines ending in CRLF).
///
/// The client adds the parameters the message needs (`SIZE`, `BODY=8BITMIME`, `SMTPUTF8`)
/// itself; parameters given here are written as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Envelope {
    pub(super) reverse_path: ReversePath<'static>,
    pub(super) mail_params: Vec<Param<'static>>,
    pub(super) recipients: Vec<(ForwardPath<'static>, Vec<Param<'static>>)>,
    pub(super) body: Vec<u8>,
    pub(super) require_tls: bool,
}

impl Envelope {
    /// A message from `reverse_path` with `body`, no recipients yet.
    pub fn new(reverse_path: ReversePath<'static>, body: impl Into<Vec<u8>>) -> Self {
        Self { reverse_path, mail_params: Vec::new(), recipients: Vec::new(), body: body.into(), require_tls: false }
    }

    /// Adds a recipient.
    #[must_use]
    pub fn with_recipient(self, forward_path: ForwardPath<'static>) -> Self {
        self.with_recipient_params(forward_path, Vec::new())
    }

    /// Adds a recipient with RCPT parameters (e.g. `NOTIFY`, `ORCPT`, RFC 3461).
    #[must_use]
    pub fn with_recipient_params(mut self, forward_path: ForwardPath<'static>, params: Vec<Param<'static>>) -> Self {
        self.recipients.push((forward_path, params));
        self
    }

    /// Adds a MAIL parameter (e.g. `RET`, `ENVID`).
    #[must_use]
    pub fn with_mail_param(mut self, param: Param<'static>) -> Self {
        self.mail_params.push(param);
        self
    }

    /// Asks for REQUIRETLS (RFC 8689 §4.1): the message may only travel over verified TLS,
    /// on this hop and every later one. [`submit`](super::Client::submit) refuses it unless
    /// this session is TLS with a verified peer and the server offers REQUIRETLS.
    #[must_use]
    pub fn with_require_tls(mut self) -> Self {
        self.require_tls = true;
        self
    }

    /// The reverse path.
    pub fn reverse_path(&self) -> &ReversePath<'static> {
        &self.reverse_path
    }

    /// The recipients in order; event indices refer to this order.
    pub fn recipients(&self) -> impl Iterator<Item = &ForwardPath<'static>> {
        self.recipients.iter().map(|(p, _)| p)
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}
