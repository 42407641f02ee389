//! The replies the server writes itself, and the one helper through which client text may be
//! echoed in a reply.

use alloc::vec::Vec;

/// Longest reply line, code and CRLF included (RFC 5321 §4.5.3.1.5).
const LINE: usize = 512;
/// At most this many octets of client text are echoed: enough to recognise it in a log.
const ECHO_MAX: usize = 64;

/// Writes one reply line `head` + client `text` + `tail` + CRLF, where `head` is a fixed
/// `"NNN X.Y.Z ..."` prefix and `tail` fixed text.
///
/// This is the only place client octets reach a reply (RFC 5321 §4.2). Whatever `text`
/// holds, the line written is one valid reply line: every octet outside `%d32-126` (CR, LF,
/// NUL, every other control, DEL, 8-bit octets) becomes `?`, so no line can be added and no
/// control passed on, and the text is cut to [`ECHO_MAX`] octets (and further if needed) so
/// the line stays within 512 octets.
pub(crate) fn echo(out: &mut Vec<u8>, head: &str, text: &[u8], tail: &str) {
    let room = LINE.saturating_sub(head.len() + tail.len() + 2).min(ECHO_MAX);
    let cut = text.len() > room;
    let dots = cut && room >= 3;
    let keep = if cut { room.saturating_sub(3) } else { text.len() };
    out.extend_from_slice(head.as_bytes());
    out.extend(text.iter().take(keep).map(|&b| if (32..=126).contains(&b) { b } else { b'?' }));
    if dots {
        out.extend_from_slice(b"...");
    }
    out.extend_from_slice(tail.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// Writes a fixed reply (each is a complete, valid reply with its CRLF).
pub(crate) fn put(out: &mut Vec<u8>, r: Canned) {
    out.extend_from_slice(r.text().as_bytes());
}

/// Replies the server writes on its own (RFC 5321 §4.2.2, §4.2.3; enhanced codes RFC 3463,
/// RFC 5248). Texts follow Postfix where it has one, so logs read alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Canned {
    Ok,
    MailOk,
    RcptOk,
    MessageOk,
    Bye,
    Help,
    StartTls,
    StartMailInput,
    AuthOk,
    VrfyCannot,
    LineTooLong,
    Unrecognized,
    Syntax,
    SyntaxMail,
    SyntaxRcpt,
    SyntaxHelo,
    SyntaxAuth,
    SyntaxStartTls,
    NotImplemented,
    VrfyDisabled,
    ExpnDisabled,
    StartTlsUnavailable,
    HelloFirst,
    NestedMail,
    NeedMail,
    NoValidRecipients,
    NoValidRecipientsLmtp,
    DataAfterBdat,
    DataBinary,
    BdatNoChunking,
    TlsActive,
    AuthAlready,
    AuthInTransaction,
    AuthUnavailable,
    AuthEncryption,
    AuthMechanism,
    AuthCancelled,
    AuthBase64,
    MustStartTls,
    TooManyRecipients,
    SizeExceeded,
    BodySize,
    BodyBareLineEnd,
    BodyLineTooLong,
    BodyRefused,
    ChunkOk,
    NonAscii,
    Params,
    /// Any command but QUIT in a session turned away with 554 (RFC 5321 §3.1).
    Refused,
    LmtpHello,
    SmtpHello,
    TooManyErrors,
    Timeout,
    BareLineEnd,
    BdatSyntax,
    Injection,
    BadSequence,
    Undeclared8bit,
}

impl Canned {
    pub(crate) const fn text(self) -> &'static str {
        match self {
            Self::Ok => "250 2.0.0 Ok\r\n",
            Self::MailOk => "250 2.1.0 Ok\r\n",
            Self::RcptOk => "250 2.1.5 Ok\r\n",
            Self::MessageOk => "250 2.0.0 Ok: queued\r\n",
            Self::Bye => "221 2.0.0 Bye\r\n",
            Self::Help => "214 2.0.0 See RFC 5321\r\n",
            Self::StartTls => "220 2.0.0 Ready to start TLS\r\n",
            Self::StartMailInput => "354 End data with <CR><LF>.<CR><LF>\r\n",
            Self::AuthOk => "235 2.7.0 Authentication successful\r\n",
            Self::VrfyCannot => "252 2.0.0 Cannot VRFY user, but will accept message\r\n",
            Self::LineTooLong => "500 5.5.6 Line too long\r\n",
            Self::Unrecognized => "500 5.5.2 Syntax error, command unrecognized\r\n",
            Self::Syntax => "501 5.5.4 Syntax error in parameters or arguments\r\n",
            Self::SyntaxMail => "501 5.5.4 Syntax: MAIL FROM:<address>\r\n",
            Self::SyntaxRcpt => "501 5.5.4 Syntax: RCPT TO:<address>\r\n",
            Self::SyntaxHelo => "501 5.5.4 Syntax: EHLO hostname\r\n",
            Self::SyntaxAuth => "501 5.5.4 Syntax: AUTH mechanism [initial-response]\r\n",
            Self::SyntaxStartTls => "501 5.5.4 Syntax: STARTTLS\r\n",
            Self::NotImplemented => "502 5.5.1 Command not implemented\r\n",
            Self::VrfyDisabled => "502 5.5.1 VRFY command is disabled\r\n",
            Self::ExpnDisabled => "502 5.5.1 EXPN command is disabled\r\n",
            Self::StartTlsUnavailable => "502 5.5.1 STARTTLS not available\r\n",
            Self::HelloFirst => "503 5.5.1 Error: send HELO/EHLO first\r\n",
            Self::NestedMail => "503 5.5.1 Error: nested MAIL command\r\n",
            Self::NeedMail => "503 5.5.1 Error: need MAIL command\r\n",
            Self::NoValidRecipients => "554 5.5.1 Error: no valid recipients\r\n",
            // RFC 2033 §4.2: "MUST fail with a 503 reply code".
            Self::NoValidRecipientsLmtp => "503 5.5.1 Error: no valid recipients\r\n",
            Self::DataAfterBdat => "503 5.5.1 Error: DATA after BDAT\r\n",
            Self::DataBinary => "503 5.6.1 Error: BINARYMIME needs BDAT\r\n",
            Self::BdatNoChunking => "502 5.5.1 BDAT not available\r\n",
            Self::TlsActive => "503 5.5.1 Error: TLS already active\r\n",
            Self::AuthAlready => "503 5.5.1 Error: already authenticated\r\n",
            Self::AuthInTransaction => "503 5.5.1 Error: MAIL transaction in progress\r\n",
            Self::AuthUnavailable => "502 5.5.1 AUTH not available\r\n",
            Self::AuthEncryption => "538 5.7.11 Encryption required for requested authentication mechanism\r\n",
            Self::AuthMechanism => "504 5.5.4 Unrecognized authentication type\r\n",
            Self::AuthCancelled => "501 5.7.0 Authentication cancelled\r\n",
            Self::AuthBase64 => "501 5.5.2 Invalid base64 data\r\n",
            Self::MustStartTls => "530 5.7.0 Must issue a STARTTLS command first\r\n",
            Self::TooManyRecipients => "452 4.5.3 Error: too many recipients\r\n",
            Self::SizeExceeded => "552 5.3.4 Message size exceeds fixed limit\r\n",
            Self::BodySize => "552 5.3.4 Message size exceeds fixed limit\r\n",
            Self::BodyBareLineEnd => "550 5.5.2 Bare <CR> or <LF> in message\r\n",
            Self::BodyLineTooLong => "500 5.5.6 Message line too long\r\n",
            Self::BodyRefused => "554 5.6.0 Message refused\r\n",
            Self::ChunkOk => "250 2.0.0 Chunk received\r\n",
            Self::NonAscii => "553 5.6.7 Non-ASCII address requires SMTPUTF8\r\n",
            Self::Params => "555 5.5.4 Unsupported parameter\r\n",
            Self::Refused => "503 5.5.1 Error: session refused, send QUIT\r\n",
            Self::LmtpHello => "500 5.5.1 Error: LMTP needs LHLO\r\n",
            Self::SmtpHello => "500 5.5.1 Error: LHLO is for LMTP\r\n",
            Self::TooManyErrors => "421 4.7.0 Too many errors, closing\r\n",
            Self::Timeout => "421 4.4.2 Timeout exceeded, closing\r\n",
            Self::BareLineEnd => "421 4.5.2 Bare <CR> or <LF> in command, closing\r\n",
            Self::BdatSyntax => "421 4.5.4 Syntax: BDAT count [LAST], closing\r\n",
            Self::BadSequence => "503 5.5.1 Error: bad sequence of commands\r\n",
            Self::Undeclared8bit => "554 5.6.1 8-bit content without BODY=8BITMIME\r\n",
            Self::Injection => "421 4.7.0 Pipelined data after STARTTLS, closing\r\n",
        }
    }

    /// Whether this reply counts as a client error towards [`ServerConfig::max_errors`](super::ServerConfig).
    pub(crate) const fn is_client_error(self) -> bool {
        let b = self.text().as_bytes();
        matches!(b.first(), Some(b'5')) && !matches!(self, Self::SizeExceeded | Self::TooManyRecipients)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::Reply;

    /// Whatever the client text, the echo is one valid reply line within 512 octets.
    #[test]
    fn echo_is_one_safe_line() {
        let nasty: [&[u8]; 6] = [
            b"FOO\r\n250 injected",
            b"a\nb\rc\0d\x1b[31m\x7f",
            "caf\u{e9}\u{85}".as_bytes(),
            &[b'x'; 2000],
            b"",
            &[0xff; 600],
        ];
        for text in nasty {
            let mut out = Vec::new();
            echo(&mut out, "500 5.5.2 Error: command not recognized: ", text, " (tail)");
            assert!(out.len() <= LINE, "{} octets", out.len());
            assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 1);
            assert!(out.ends_with(b" (tail)\r\n"));
            assert!(out[..out.len() - 2].iter().all(|&b| (32..=126).contains(&b)));
            let reply = Reply::parse(&out).unwrap();
            assert_eq!(reply.line_count(), 1);
        }
        let mut out = Vec::new();
        echo(&mut out, "500 ", b"AB\x01", "");
        assert_eq!(out, b"500 AB?\r\n");
        // A head that leaves no room still gives one line within the limit.
        let head = alloc::format!("500 {}", "h".repeat(600));
        let mut out = Vec::new();
        echo(&mut out, &head[..505], b"text", "");
        assert!(Reply::parse(&out).is_ok());
        let mut out = Vec::new();
        echo(&mut out, &head[..509], b"text", "");
        assert_eq!(out.len(), 511);
    }

    #[test]
    fn every_fixed_reply_is_valid() {
        use Canned::*;
        for r in [Ok, MailOk, Help, StartTls, StartMailInput, Unrecognized, MustStartTls, TooManyErrors, Timeout] {
            assert!(Reply::parse(r.text().as_bytes()).is_ok(), "{r:?}");
        }
    }
}
