//! AUTH from the client side (RFC 4954): PLAIN (RFC 4616), LOGIN, XOAUTH2, and any other SASL
//! mechanism stepped by the application.

use alloc::vec::Vec;

use super::config::{AuthMech, CredentialKind};
use super::event::{Awaiting, ClientError, ClientEvent};
use super::state::{Client, Phase};
use crate::{AuthResponse, Base64, Command, Encode, InitialResponse, Mechanism, Reply, SaslChallenge};

/// A response line (RFC 4954 §4): `data` base64-encoded (an empty line for no data), or `*`.
fn response(data: Option<&[u8]>) -> Vec<u8> {
    match data {
        Some(data) => AuthResponse::Data(Base64::encode(data)).to_vec(),
        None => AuthResponse::Cancel.to_vec(),
    }
}

/// The longest AUTH command line that may carry its initial response (RFC 4954 §4: the
/// command line limit of RFC 5321 §4.5.3.1.4, CRLF included).
const AUTH_LINE: usize = 512;

impl Client {
    /// Writes the AUTH command for the configured credentials (RFC 4954 §4), or ends the
    /// session: no credentials in plaintext unless allowed, none to a server that does not
    /// offer the mechanism.
    pub(super) fn start_auth(&mut self) -> Result<(), ClientError> {
        let Some(creds) = self.config.credentials.clone() else { return Ok(()) };
        if self.tls.is_none() && !self.config.auth_plaintext {
            return Err(self.abort(true, ClientError::AuthInPlaintext));
        }
        let Some(mech) = self.caps.auth else { return Err(self.abort(true, ClientError::AuthUnavailable)) };
        // The mechanism and its initial response, if it has one.
        let (name, initial): (&str, Option<Vec<u8>>) = match (&creds.kind, mech) {
            (CredentialKind::Password { username, password }, AuthMech::Plain) => {
                // RFC 4616 §2: [authzid] NUL authcid NUL passwd.
                let mut msg = Vec::with_capacity(username.len() + password.len() + 2);
                msg.push(0);
                msg.extend_from_slice(username.as_bytes());
                msg.push(0);
                msg.extend_from_slice(password.as_bytes());
                ("PLAIN", Some(msg))
            }
            (CredentialKind::Password { .. }, _) => ("LOGIN", None),
            (CredentialKind::XOAuth2 { username, token }, _) => {
                let mut msg = Vec::with_capacity(username.len() + token.len() + 20);
                msg.extend_from_slice(b"user=");
                msg.extend_from_slice(username.as_bytes());
                msg.extend_from_slice(b"\x01auth=Bearer ");
                msg.extend_from_slice(token.as_bytes());
                msg.extend_from_slice(b"\x01\x01");
                ("XOAUTH2", Some(msg))
            }
            (CredentialKind::Sasl { mechanism, initial }, _) => (mechanism.as_str(), initial.clone()),
        };
        let mechanism = Mechanism::new(name).map_err(ClientError::Build)?;
        // RFC 4954 §4: an empty initial response is sent as "=".
        let ir = initial.map(|data| {
            if data.is_empty() { InitialResponse::Empty } else { InitialResponse::Data(Base64::encode(&data)) }
        });
        let with_ir = Command::auth(mechanism.clone(), ir.clone()).map_err(ClientError::Build)?.to_vec();
        // An initial response that would take the AUTH line past 512 octets is not sent with
        // it, but as the answer to the server's empty `334` (RFC 4954 §4).
        let line = match ir {
            Some(InitialResponse::Data(data)) if with_ir.len() > AUTH_LINE => {
                self.auth_deferred = Some(AuthResponse::Data(data).to_vec());
                Command::auth(mechanism, None).map_err(ClientError::Build)?.to_vec()
            }
            _ => with_ir,
        };
        self.write(&line, Awaiting::Auth);
        self.phase = Phase::Auth { step: 0 };
        Ok(())
    }

    /// A reply in the AUTH exchange: `235` ends it, a `334` is answered (LOGIN, XOAUTH2) or
    /// handed to the application (a generic mechanism), anything else fails it.
    pub(super) fn on_auth<'a>(&mut self, reply: Reply<'a>) -> Result<Option<ClientEvent<'a>>, ClientError> {
        let code = reply.code();
        let Phase::Auth { step } = self.phase else { return Err(self.unexpected(Awaiting::Auth, &reply)) };
        if code.as_u16() == 235 {
            return Ok(Some(self.ready()));
        }
        let fail = |c: &mut Self| Err(c.abort(true, ClientError::AuthFailed(code)));
        if code.as_u16() != 334 {
            return fail(self);
        }
        if let Some(response) = self.auth_deferred.take() {
            // The initial response held back from the AUTH line (RFC 4954 §4).
            self.write(&response, Awaiting::Auth);
            return Ok(None);
        }
        let Some(creds) = self.config.credentials.clone() else { return fail(self) };
        match (&creds.kind, self.caps.auth) {
            (CredentialKind::Password { username, password }, Some(AuthMech::Login)) if step < 2 => {
                // LOGIN: the username, then the password, each as a base64 line.
                let secret = if step == 0 { username } else { password };
                self.write(&response(Some(secret.as_bytes())), Awaiting::Auth);
            }
            // XOAUTH2: a 334 carries the error document; the mechanism wants an empty
            // response, after which the server sends its final (failure) code.
            (CredentialKind::XOAuth2 { .. }, _) if step == 0 => self.write(&response(Some(b"")), Awaiting::Auth),
            (CredentialKind::Sasl { .. }, _) => {
                let challenge = match SaslChallenge::try_from(reply) {
                    Ok(c) => c,
                    Err(e) => return Err(self.abort(true, ClientError::Malformed(e))),
                };
                self.phase = Phase::AuthChallenge { step };
                return Ok(Some(ClientEvent::AuthChallenge(challenge)));
            }
            _ => return fail(self),
        }
        self.phase = Phase::Auth { step: step.saturating_add(1) };
        Ok(None)
    }

    /// Answers the [`ClientEvent::AuthChallenge`] just reported with `data` (sent
    /// base64-encoded; an empty response as an empty line, RFC 4954 §4).
    ///
    /// # Errors
    /// [`ClientError::NotReady`] when no challenge is waiting for an answer.
    pub fn auth_respond(&mut self, data: &[u8]) -> Result<(), ClientError> {
        let Phase::AuthChallenge { step } = self.phase else { return Err(ClientError::NotReady) };
        self.write(&response(Some(data)), Awaiting::Auth);
        self.phase = Phase::Auth { step: step.saturating_add(1) };
        Ok(())
    }

    /// Cancels the exchange instead of answering the challenge (`*`, RFC 4954 §4); the
    /// server's `501` ends the session as [`ClientError::AuthFailed`].
    ///
    /// # Errors
    /// [`ClientError::NotReady`] when no challenge is waiting for an answer.
    pub fn auth_cancel(&mut self) -> Result<(), ClientError> {
        let Phase::AuthChallenge { step } = self.phase else { return Err(ClientError::NotReady) };
        self.write(&response(None), Awaiting::Auth);
        self.phase = Phase::Auth { step: step.saturating_add(1) };
        Ok(())
    }
}
