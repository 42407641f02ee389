//! AUTH from the client side (RFC 4954): PLAIN (RFC 4616), LOGIN, XOAUTH2, and any other SASL
//! mechanism stepped by the application.

use alloc::vec::Vec;

use super::config::{AuthMech, CredentialKind};
use super::event::{Awaiting, ClientError, ClientEvent};
use super::state::{Client, Phase};
use crate::{Base64, Reply, SaslChallenge};

/// `text` base64-encoded, then CRLF.
fn b64_line(prefix: &[u8], data: &[u8]) -> Vec<u8> {
    let encoded = Base64::encode(data);
    let mut line = Vec::with_capacity(prefix.len() + encoded.as_str().len() + 2);
    line.extend_from_slice(prefix);
    line.extend_from_slice(encoded.as_str().as_bytes());
    line.extend_from_slice(b"\r\n");
    line
}

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
        let line = match (&creds.kind, mech) {
            (CredentialKind::Password { username, password }, AuthMech::Plain) => {
                // RFC 4616 §2: [authzid] NUL authcid NUL passwd, as the initial response.
                let mut msg = Vec::with_capacity(username.len() + password.len() + 2);
                msg.push(0);
                msg.extend_from_slice(username.as_bytes());
                msg.push(0);
                msg.extend_from_slice(password.as_bytes());
                b64_line(b"AUTH PLAIN ", &msg)
            }
            (CredentialKind::XOAuth2 { username, token }, _) => {
                let mut msg = Vec::with_capacity(username.len() + token.len() + 20);
                msg.extend_from_slice(b"user=");
                msg.extend_from_slice(username.as_bytes());
                msg.extend_from_slice(b"\x01auth=Bearer ");
                msg.extend_from_slice(token.as_bytes());
                msg.extend_from_slice(b"\x01\x01");
                b64_line(b"AUTH XOAUTH2 ", &msg)
            }
            (CredentialKind::Sasl { mechanism, initial }, _) => {
                let mut prefix = Vec::with_capacity(mechanism.as_str().len() + 6);
                prefix.extend_from_slice(b"AUTH ");
                prefix.extend_from_slice(mechanism.as_str().as_bytes());
                match initial {
                    // RFC 4954 §4: an empty initial response is sent as "=".
                    Some(data) if data.is_empty() => {
                        prefix.extend_from_slice(b" =\r\n");
                        prefix
                    }
                    Some(data) => {
                        prefix.push(b' ');
                        b64_line(&prefix, data)
                    }
                    None => {
                        prefix.extend_from_slice(b"\r\n");
                        prefix
                    }
                }
            }
            (CredentialKind::Password { .. }, _) => b"AUTH LOGIN\r\n".to_vec(),
        };
        // RFC 4954 §4: an initial response that would take the AUTH line past 512 octets
        // (the command line limit, RFC 5321 §4.5.3.1.4) is not sent with it, but as the
        // answer to the server's empty `334`.
        let line = match line.iter().enumerate().filter(|(_, b)| **b == b' ').nth(1) {
            Some((sp, _)) if line.len() > 512 => {
                self.auth_deferred = line.get(sp + 1..).map(<[u8]>::to_vec);
                let mut command = line.get(..sp).unwrap_or_default().to_vec();
                command.extend_from_slice(b"\r\n");
                command
            }
            _ => line,
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
                self.write(&b64_line(b"", secret.as_bytes()), Awaiting::Auth);
            }
            // XOAUTH2: a 334 carries the error document; the mechanism wants an empty
            // response, after which the server sends its final (failure) code.
            (CredentialKind::XOAuth2 { .. }, _) if step == 0 => self.write(b"\r\n", Awaiting::Auth),
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

    /// Answers the [`ClientEvent::AuthChallenge`] just reported with `response` (sent
    /// base64-encoded; an empty response as an empty line, RFC 4954 §4).
    ///
    /// # Errors
    /// [`ClientError::NotReady`] when no challenge is waiting for an answer.
    pub fn auth_respond(&mut self, response: &[u8]) -> Result<(), ClientError> {
        let Phase::AuthChallenge { step } = self.phase else { return Err(ClientError::NotReady) };
        self.write(&b64_line(b"", response), Awaiting::Auth);
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
        self.write(b"*\r\n", Awaiting::Auth);
        self.phase = Phase::Auth { step: step.saturating_add(1) };
        Ok(())
    }
}
