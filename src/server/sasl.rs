//! Decoding the SASL messages of the mechanisms SMTP servers meet most: PLAIN (RFC 4616),
//! LOGIN (draft-murchison-sasl-login) and XOAUTH2 (Google's OAuth 2.0 bearer profile). The
//! server hands the application the decoded octets of each AUTH response
//! ([`Base64::decode`](crate::Base64::decode)); these helpers split them. Verifying the
//! credentials is the application's job.
//!
//! No `Debug` here shows a password or a token.
//!
//! ```
//! use smtp_wire::sasl;
//!
//! let plain = sasl::plain(b"\0alice\0secret").unwrap();
//! assert_eq!((plain.authzid, plain.authcid, plain.password()), ("", "alice", "secret"));
//! assert!(!format!("{plain:?}").contains("secret"));
//! let xo = sasl::xoauth2(b"user=bob@example.org\x01auth=Bearer ya29.t0k3n\x01\x01").unwrap();
//! assert_eq!((xo.user, xo.token()), ("bob@example.org", "ya29.t0k3n"));
//! assert!(sasl::plain(b"alice\0secret").is_err()); // two NULs are required
//! ```

use core::fmt;

/// The first LOGIN challenge (sent base64-encoded as `334 VXNlcm5hbWU6`).
pub const LOGIN_USERNAME: &[u8] = b"Username:";
/// The second LOGIN challenge (`334 UGFzc3dvcmQ6`).
pub const LOGIN_PASSWORD: &[u8] = b"Password:";

/// Why a SASL message could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SaslError {
    /// The message does not have the mechanism's shape (fields, separators).
    Malformed,
    /// A field is not UTF-8 (RFC 4616 §2 requires UTF-8).
    NotUtf8,
    /// A required field is empty.
    Empty,
}

impl fmt::Display for SaslError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "malformed SASL message",
            Self::NotUtf8 => "SASL field is not UTF-8",
            Self::Empty => "required SASL field is empty",
        })
    }
}

impl core::error::Error for SaslError {}

/// A PLAIN message (RFC 4616 §2): `[authzid] NUL authcid NUL passwd`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Plain<'a> {
    /// The identity to act as; empty when the client asks for its own.
    pub authzid: &'a str,
    /// The identity whose password is given.
    pub authcid: &'a str,
    password: &'a str,
}

impl<'a> Plain<'a> {
    /// The password (kept out of `Debug`).
    pub fn password(&self) -> &'a str {
        self.password
    }
}

impl fmt::Debug for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plain").field("authzid", &self.authzid).field("authcid", &self.authcid).finish_non_exhaustive()
    }
}

fn utf8(b: &[u8]) -> Result<&str, SaslError> {
    core::str::from_utf8(b).map_err(|_| SaslError::NotUtf8)
}

/// Splits a decoded PLAIN message (RFC 4616 §2): exactly two NULs, UTF-8 fields, a
/// non-empty authcid and password.
pub fn plain(message: &[u8]) -> Result<Plain<'_>, SaslError> {
    let mut parts = message.split(|&b| b == 0);
    let (Some(z), Some(c), Some(p), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(SaslError::Malformed);
    };
    let (authzid, authcid, password) = (utf8(z)?, utf8(c)?, utf8(p)?);
    if authcid.is_empty() || password.is_empty() {
        return Err(SaslError::Empty);
    }
    Ok(Plain { authzid, authcid, password })
}

/// A decoded LOGIN response (the user name after [`LOGIN_USERNAME`], the password after
/// [`LOGIN_PASSWORD`]): UTF-8 without NUL, not empty.
pub fn login(response: &[u8]) -> Result<&str, SaslError> {
    if response.is_empty() {
        return Err(SaslError::Empty);
    }
    if response.contains(&0) {
        return Err(SaslError::Malformed);
    }
    utf8(response)
}

/// An XOAUTH2 initial response: `user=` user `^A` `auth=Bearer ` token `^A^A`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct XOAuth2<'a> {
    /// The account.
    pub user: &'a str,
    token: &'a str,
}

impl<'a> XOAuth2<'a> {
    /// The bearer token (kept out of `Debug`).
    pub fn token(&self) -> &'a str {
        self.token
    }
}

impl fmt::Debug for XOAuth2<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XOAuth2").field("user", &self.user).finish_non_exhaustive()
    }
}

/// Splits a decoded XOAUTH2 response.
pub fn xoauth2(message: &[u8]) -> Result<XOAuth2<'_>, SaslError> {
    let text = utf8(message)?;
    let body = text.strip_suffix("\x01\x01").ok_or(SaslError::Malformed)?;
    let (user, auth) = body.split_once('\x01').ok_or(SaslError::Malformed)?;
    let user = user.strip_prefix("user=").ok_or(SaslError::Malformed)?;
    let auth = auth.strip_prefix("auth=").ok_or(SaslError::Malformed)?;
    let token = auth
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("Bearer "))
        .and_then(|_| auth.get(7..))
        .ok_or(SaslError::Malformed)?;
    if user.is_empty() || token.is_empty() {
        return Err(SaslError::Empty);
    }
    if user.contains('\x01') || token.contains('\x01') {
        return Err(SaslError::Malformed);
    }
    Ok(XOAuth2 { user, token })
}
