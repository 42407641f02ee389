//! Enhanced mail system status codes (RFC 3463), the registry of their meanings (RFC 5248,
//! IANA "SMTP Enhanced Status Codes"), and how replies carry them (RFC 2034).

use core::fmt;

use crate::{BuildError, BuildErrorKind};

/// An enhanced status code: a class, a subject and a detail (RFC 3463 §2).
///
/// ```abnf
/// status-code = class "." subject "." detail    ; RFC 3463 §2
/// class       = "2" / "4" / "5"
/// subject     = 1*3digit                        ; no leading zeros
/// detail      = 1*3digit                        ; no leading zeros
/// ```
///
/// Subject and detail are kept as full numbers (0–999), so a three-digit detail such as
/// `5.7.520` round-trips (a `u8` per field, as some parsers use, would not hold it). There is
/// exactly one wire form for each value, since leading zeros are not allowed (RFC 3463 §2:
/// "Each numeric sub-code within the status-code MUST be expressed without leading zero
/// digits").
///
/// ```
/// use smtp_wire::EnhancedCode;
///
/// let code = EnhancedCode::parse(b"5.7.520").unwrap();
/// assert_eq!((code.class(), code.subject(), code.detail()), (5, 7, 520));
/// assert_eq!(code.to_string(), "5.7.520");
/// assert!(code.is_permanent());
/// assert_eq!(EnhancedCode::new(5, 1, 1).unwrap().description(), Some("Bad destination mailbox address"));
/// assert!(EnhancedCode::parse(b"5.01.1").is_err()); // leading zero
/// assert!(EnhancedCode::new(3, 0, 0).is_err()); // no class 3
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnhancedCode {
    pub(crate) class: u8,
    pub(crate) subject: u16,
    pub(crate) detail: u16,
}

impl EnhancedCode {
    /// The code `class.subject.detail`; `class` must be 2, 4 or 5 and `subject` and `detail`
    /// at most 999 (RFC 3463 §2).
    pub const fn new(class: u8, subject: u16, detail: u16) -> Result<Self, BuildError> {
        if !matches!(class, 2 | 4 | 5) {
            return Err(BuildError::new("enhanced status class (2, 4 or 5)", BuildErrorKind::OutOfRange));
        }
        if subject > 999 {
            return Err(BuildError::new("enhanced status subject (0-999)", BuildErrorKind::OutOfRange));
        }
        if detail > 999 {
            return Err(BuildError::new("enhanced status detail (0-999)", BuildErrorKind::OutOfRange));
        }
        Ok(Self { class, subject, detail })
    }

    /// The class: 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    pub const fn class(&self) -> u8 {
        self.class
    }

    /// The subject sub-code (RFC 3463 §3: 0 other, 1 addressing, 2 mailbox, 3 mail system,
    /// 4 network and routing, 5 mail delivery protocol, 6 message content or media, 7 security
    /// or policy).
    pub const fn subject(&self) -> u16 {
        self.subject
    }

    /// The detail sub-code.
    pub const fn detail(&self) -> u16 {
        self.detail
    }

    /// Class 2: success (RFC 3463 §3.1).
    pub const fn is_success(&self) -> bool {
        self.class == 2
    }

    /// Class 4: a persistent transient failure; a later attempt may succeed.
    pub const fn is_transient(&self) -> bool {
        self.class == 4
    }

    /// Class 5: a permanent failure.
    pub const fn is_permanent(&self) -> bool {
        self.class == 5
    }

    /// The registry summary of the class (IANA "Class Sub-Codes", RFC 5248 §2.4).
    pub const fn class_description(&self) -> &'static str {
        match self.class {
            2 => "Success",
            4 => "Persistent Transient Failure",
            _ => "Permanent Failure",
        }
    }

    /// The registry summary of the subject (IANA "Subject Sub-Codes", RFC 3463 §2), if
    /// registered.
    pub const fn subject_description(&self) -> Option<&'static str> {
        Some(match self.subject {
            0 => "Other or Undefined Status",
            1 => "Addressing Status",
            2 => "Mailbox Status",
            3 => "Mail System Status",
            4 => "Network and Routing Status",
            5 => "Mail Delivery Protocol Status",
            6 => "Message Content or Media Status",
            7 => "Security or Policy Status",
            _ => return None,
        })
    }

    /// The registry summary of `X.subject.detail` (IANA "Enumerated Status Codes": RFC 3463
    /// §3 and the RFCs that registered codes since), if registered.
    ///
    /// The meaning does not depend on the class: `4.2.2` and `5.2.2` are both "Mailbox full".
    pub const fn description(&self) -> Option<&'static str> {
        Some(match (self.subject, self.detail) {
            // RFC 3463 §3.1
            (0, 0) => "Other undefined Status",
            // RFC 3463 §3.2
            (1, 0) => "Other address status",
            (1, 1) => "Bad destination mailbox address",
            (1, 2) => "Bad destination system address",
            (1, 3) => "Bad destination mailbox address syntax",
            (1, 4) => "Destination mailbox address ambiguous",
            (1, 5) => "Destination address valid",
            (1, 6) => "Destination mailbox has moved, No forwarding address",
            (1, 7) => "Bad sender's mailbox address syntax",
            (1, 8) => "Bad sender's system address",
            // RFC 3886
            (1, 9) => "Message relayed to non-compliant mailer",
            // RFC 7505
            (1, 10) => "Recipient address has null MX",
            // RFC 3463 §3.3
            (2, 0) => "Other or undefined mailbox status",
            (2, 1) => "Mailbox disabled, not accepting messages",
            (2, 2) => "Mailbox full",
            (2, 3) => "Message length exceeds administrative limit",
            (2, 4) => "Mailing list expansion problem",
            // RFC 3463 §3.4
            (3, 0) => "Other or undefined mail system status",
            (3, 1) => "Mail system full",
            (3, 2) => "System not accepting network messages",
            (3, 3) => "System not capable of selected features",
            (3, 4) => "Message too big for system",
            (3, 5) => "System incorrectly configured",
            // RFC 6710
            (3, 6) => "Requested priority was changed",
            // RFC 3463 §3.5
            (4, 0) => "Other or undefined network or routing status",
            (4, 1) => "No answer from host",
            (4, 2) => "Bad connection",
            (4, 3) => "Directory server failure",
            (4, 4) => "Unable to route",
            (4, 5) => "Mail system congestion",
            (4, 6) => "Routing loop detected",
            (4, 7) => "Delivery time expired",
            // RFC 3463 §3.6
            (5, 0) => "Other or undefined protocol status",
            (5, 1) => "Invalid command",
            (5, 2) => "Syntax error",
            (5, 3) => "Too many recipients",
            (5, 4) => "Invalid command arguments",
            (5, 5) => "Wrong protocol version",
            // RFC 4954
            (5, 6) => "Authentication Exchange line is too long",
            // RFC 3463 §3.7
            (6, 0) => "Other or undefined media error",
            (6, 1) => "Media not supported",
            (6, 2) => "Conversion required and prohibited",
            (6, 3) => "Conversion required but not supported",
            (6, 4) => "Conversion with loss performed",
            (6, 5) => "Conversion Failed",
            // RFC 4468
            (6, 6) => "Message content not available",
            // RFC 6531
            (6, 7) => "Non-ASCII addresses not permitted for that sender/recipient",
            (6, 8) => "UTF-8 string reply is required, but not permitted by the SMTP client",
            (6, 9) => "UTF-8 header message cannot be transferred to one or more recipients",
            // RFC 3463 §3.8
            (7, 0) => "Other or undefined security status",
            (7, 1) => "Delivery not authorized, message refused",
            (7, 2) => "Mailing list expansion prohibited",
            (7, 3) => "Security conversion required but not possible",
            (7, 4) => "Security features not supported",
            (7, 5) => "Cryptographic failure",
            (7, 6) => "Cryptographic algorithm not supported",
            (7, 7) => "Message integrity failure",
            // RFC 4954, RFC 5248
            (7, 8) => "Authentication credentials invalid",
            (7, 9) => "Authentication mechanism is too weak",
            (7, 10) => "Encryption Needed",
            (7, 11) => "Encryption required for requested authentication mechanism",
            (7, 12) => "A password transition is needed",
            (7, 13) => "User Account Disabled",
            (7, 14) => "Trust relationship required",
            // RFC 6710
            (7, 15) => "Priority Level is too low",
            (7, 16) => "Message is too big for the specified priority",
            // RFC 7293
            (7, 17) => "Mailbox owner has changed",
            (7, 18) => "Domain owner has changed",
            (7, 19) => "RRVS test cannot be completed",
            // RFC 7372
            (7, 20) => "No passing DKIM signature found",
            (7, 21) => "No acceptable DKIM signature found",
            (7, 22) => "No valid author-matched DKIM signature found",
            (7, 23) => "SPF validation failed",
            (7, 24) => "SPF validation error",
            (7, 25) => "Reverse DNS validation failed",
            (7, 26) => "Multiple authentication checks failed",
            // RFC 7505
            (7, 27) => "Sender address has null MX",
            // IANA registry
            (7, 28) => "Mail flood detected",
            // RFC 8617
            (7, 29) => "ARC validation failure",
            // RFC 8689
            (7, 30) => "REQUIRETLS support required",
            _ => return None,
        })
    }
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// `1*3digit` without leading zeros (RFC 3463 §2: "Each numeric sub-code within the
/// status-code MUST be expressed without leading zero digits"). Returns the value and the
/// number of digits.
fn sub_code(i: &[u8]) -> Option<(u16, usize)> {
    let n = i.iter().take(4).take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 3 || (n > 1 && i.first() == Some(&b'0')) {
        return None;
    }
    let v = i.iter().take(n).fold(0u16, |a, &d| a * 10 + u16::from(d - b'0'));
    Some((v, n))
}

/// The enhanced code at the very front of `i` and its length, when `i` starts with
/// `class "." subject "." detail` in the strict RFC 3463 form. What follows is not looked at.
pub(crate) fn prefix(i: &[u8]) -> Option<(EnhancedCode, usize)> {
    let class = match i.first()? {
        c @ (b'2' | b'4' | b'5') => c - b'0',
        _ => return None,
    };
    if i.get(1) != Some(&b'.') {
        return None;
    }
    let (subject, ns) = sub_code(i.get(2..)?)?;
    let dot = 2 + ns;
    if i.get(dot) != Some(&b'.') {
        return None;
    }
    let (detail, nd) = sub_code(i.get(dot + 1..)?)?;
    Some((EnhancedCode { class, subject, detail }, dot + 1 + nd))
}

/// The enhanced code that opens a reply line's text, if there is one (RFC 2034 §3).
///
/// It counts only when it is followed by SP or by the end of the text, and when its class is
/// the first digit of the reply code (a `250` reply can carry `2.x.y` but not `5.x.y`: the
/// class and the reply code report the same outcome, RFC 3463 §2, RFC 2034 §3). Anything else
/// is ordinary text. Returns the code and the rest of the text after it and its one space.
pub(crate) fn in_text(text: &[u8], reply_class: u8) -> Option<(EnhancedCode, &[u8])> {
    let (code, n) = prefix(text)?;
    if code.class() != reply_class {
        return None;
    }
    match text.get(n) {
        None => Some((code, &[])),
        Some(b' ') => Some((code, text.get(n + 1..).unwrap_or(&[]))),
        Some(_) => None,
    }
}
