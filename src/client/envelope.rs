//! [`Envelope`]: one message to submit.

use alloc::vec::Vec;

use crate::{ForwardPath, Param, ReversePath};

/// One message: the reverse path (`MAIL FROM`, RFC 5321 §4.1.1.2) with its parameters, the
/// recipients (`RCPT TO`, §4.1.1.3) with theirs, and the body as it goes on the wire before
/// dot-stuffing (header and body of RFC 5322, lines ending in CRLF).
///
/// The body is given whole ([`new`](Self::new)) or streamed: with [`streamed`](Self::streamed)
/// the client reports [`ClientEvent::SendBody`](super::ClientEvent::SendBody) once the
/// recipients are settled and takes the body in pieces from
/// [`Client::body_chunk`](super::Client::body_chunk), so a large message never has to be in
/// memory at once.
///
/// The client adds the parameters the message needs (`SIZE`, `BODY=8BITMIME`, `SMTPUTF8`)
/// itself; parameters given here are written as they are, and [`submit`](super::Client::submit)
/// refuses one whose extension the server did not offer (`NOTIFY`, `ORCPT`, `RET` and `ENVID`
/// need DSN, RFC 3461; `BODY=BINARYMIME` needs BINARYMIME and CHUNKING, RFC 3030; and so on)
/// with [`ClientError::ExtensionMissing`](super::ClientError::ExtensionMissing).
///
/// ```
/// use smtp_wire::{BodyType, Envelope, ForwardPath, Notify, Param, ReversePath};
///
/// let from = ReversePath::parse(b"<a@example.org>").unwrap().into_owned();
/// let to = ForwardPath::parse(b"<b@example.net>").unwrap().into_owned();
/// let notify = Param::Notify(Notify::On { success: true, failure: true, delay: false });
/// let env = Envelope::streamed(from)
///     .with_size(10_000_000)
///     .with_mail_param(Param::Body(BodyType::BinaryMime))
///     .with_recipient_params(to, vec![notify]);
/// assert!(env.is_streamed());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Envelope {
    pub(super) reverse_path: ReversePath<'static>,
    pub(super) mail_params: Vec<Param<'static>>,
    pub(super) recipients: Vec<(ForwardPath<'static>, Vec<Param<'static>>)>,
    pub(super) body: Vec<u8>,
    pub(super) streamed: bool,
    pub(super) size: Option<u64>,
    pub(super) require_tls: bool,
}

impl Envelope {
    /// A message from `reverse_path` with `body`, no recipients yet.
    pub fn new(reverse_path: ReversePath<'static>, body: impl Into<Vec<u8>>) -> Self {
        let body = body.into();
        let size = Some(u64::try_from(body.len()).unwrap_or(u64::MAX));
        Self {
            reverse_path,
            mail_params: Vec::new(),
            recipients: Vec::new(),
            body,
            streamed: false,
            size,
            require_tls: false,
        }
    }

    /// A message from `reverse_path` whose body the application hands in piece by piece
    /// after [`ClientEvent::SendBody`](super::ClientEvent::SendBody), no recipients yet.
    /// Declare its size with [`with_size`](Self::with_size) when known.
    ///
    /// The body's 8-bit octets cannot be seen in advance: the client declares
    /// `BODY=8BITMIME` whenever the server offers it (RFC 6152 §3 allows it for a 7-bit body),
    /// and without that offer a piece with an 8-bit octet ends the session.
    pub fn streamed(reverse_path: ReversePath<'static>) -> Self {
        Self {
            reverse_path,
            mail_params: Vec::new(),
            recipients: Vec::new(),
            body: Vec::new(),
            streamed: true,
            size: None,
            require_tls: false,
        }
    }

    /// The size of a streamed body, declared with `SIZE` (RFC 1870) and checked against the
    /// server's limit before anything is sent. For a body given whole its length is used
    /// and this is ignored.
    #[must_use]
    pub fn with_size(mut self, size: u64) -> Self {
        if self.streamed {
            self.size = Some(size);
        }
        self
    }

    /// Whether the body is streamed.
    pub fn is_streamed(&self) -> bool {
        self.streamed
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

    /// The body (empty for a streamed one).
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}
