//! [`Received`]: the trace field a receiving server prepends (RFC 5321 §4.4), recording how the
//! message arrived, TLS included (RFC 8314 §4.3), so a reader of the message can tell whether
//! each hop was encrypted.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use super::tls::TlsOutcome;
use crate::wire::class::{ATEXT, span};
use crate::{BuildError, BuildErrorKind, Domain, Encode, ForwardPath, Host};

/// The protocol a message came in by: the `with` clause of a `Received` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceivedWith {
    /// HELO (`SMTP`, RFC 5321 §4.4).
    Smtp,
    /// EHLO (`ESMTP`, and the `S` / `A` variants of RFC 3848).
    Esmtp,
    /// LHLO (`LMTP`, RFC 3848).
    Lmtp,
}

impl ReceivedWith {
    /// The registered keyword: `SMTP`, `ESMTP`, `ESMTPS`, `ESMTPA`, `ESMTPSA` (RFC 3848
    /// §2, §3), their `LMTP` twins (RFC 3848 §4), and with `utf8` the `UTF8SMTP…` /
    /// `UTF8LMTP…` forms of RFC 6531 §3.7.3. HELO has no TLS or AUTH variant.
    ///
    /// ```
    /// use smtp_wire::ReceivedWith;
    ///
    /// assert_eq!(ReceivedWith::Esmtp.keyword(true, true, false), "ESMTPSA");
    /// assert_eq!(ReceivedWith::Lmtp.keyword(true, false, true), "UTF8LMTPS");
    /// assert_eq!(ReceivedWith::Smtp.keyword(true, true, true), "SMTP");
    /// ```
    pub fn keyword(self, tls: bool, authenticated: bool, utf8: bool) -> &'static str {
        const ESMTP: [&str; 8] =
            ["ESMTP", "ESMTPA", "ESMTPS", "ESMTPSA", "UTF8SMTP", "UTF8SMTPA", "UTF8SMTPS", "UTF8SMTPSA"];
        const LMTP: [&str; 8] =
            ["LMTP", "LMTPA", "LMTPS", "LMTPSA", "UTF8LMTP", "UTF8LMTPA", "UTF8LMTPS", "UTF8LMTPSA"];
        let i = usize::from(authenticated) | (usize::from(tls) << 1) | (usize::from(utf8) << 2);
        match self {
            Self::Smtp => "SMTP",
            Self::Esmtp => ESMTP.get(i).copied().unwrap_or("ESMTP"),
            Self::Lmtp => LMTP.get(i).copied().unwrap_or("LMTP"),
        }
    }
}

/// A `Received` trace field (RFC 5321 §4.4) that records the TLS outcome of the hop:
///
/// ```text
/// Received: from client.example ([192.0.2.7])
///         by mx.example.org with ESMTPS id 4Xk9; tls TLS_AES_256_GCM_SHA384 (TLSv1.3)
/// ```
///
/// For an encrypted hop it writes the `S` keyword of RFC 3848 and the `tls` clause of
/// RFC 8314 §4.3 (the cipher suite, the protocol version in a comment); for a plaintext hop,
/// a comment with the reason (`plaintext: STARTTLS not offered`), so that nobody has to guess.
/// Every part is a validated value, so nothing a client sent (its EHLO name, a recipient)
/// can break the field or add a header (an EHLO name that is a general address literal with
/// `;` or parentheses is left out, the connection's address standing for it): the field is
/// folded into lines of at most 78 octets where it can be, and always ends in CRLF. Without
/// [`from`](Self::from) the field starts at `by`, which RFC 5322 §3.6.7 reads but the
/// stricter RFC 5321 §4.4 `Stamp` does not have: give the client's name and address.
///
/// The machines read no clock: the date is given in seconds since the Unix epoch and written
/// in UTC (RFC 5322 §3.3).
///
/// ```
/// use std::net::{IpAddr, Ipv4Addr};
/// use smtp_wire::{Received, ReceivedWith};
/// use smtp_wire::{Domain, Host, TlsInfo, TlsOutcome, Transport};
///
/// let helo = Host::from(Domain::new("client.example").unwrap());
/// let by = Domain::new("mx.example.org").unwrap();
/// let tls = TlsOutcome::Encrypted {
///     transport: Transport::StartTls,
///     info: TlsInfo::new("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
/// };
/// let field = Received::new(&by, ReceivedWith::Esmtp, &tls, 1_764_614_400)
///     .from(&helo, Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))))
///     .id("4Xk9")
///     .to_vec()
///     .unwrap();
/// assert_eq!(
///     String::from_utf8(field).unwrap(),
///     "Received: from client.example ([192.0.2.7])\r\n\
///      \tby mx.example.org with ESMTPS id 4Xk9\r\n\
///      \ttls TLS_AES_256_GCM_SHA384 (TLSv1.3);\r\n\
///      \tMon, 1 Dec 2025 18:40:00 +0000\r\n"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[must_use]
pub struct Received<'a> {
    by: &'a Domain<'a>,
    with: ReceivedWith,
    tls: &'a TlsOutcome,
    date: u64,
    from: Option<(&'a Host<'a>, Option<IpAddr>)>,
    authenticated: bool,
    utf8: bool,
    id: Option<&'a str>,
    recipient: Option<&'a ForwardPath<'a>>,
}

impl<'a> Received<'a> {
    /// A field written by `by`, for a message that came in by `with` over a hop whose TLS
    /// outcome is `tls`, at `date` (seconds since the Unix epoch).
    pub const fn new(by: &'a Domain<'a>, with: ReceivedWith, tls: &'a TlsOutcome, date: u64) -> Self {
        Self { by, with, tls, date, from: None, authenticated: false, utf8: false, id: None, recipient: None }
    }

    /// The client's hello name and, when known, its IP address (`from name ([ip])`).
    pub const fn from(mut self, hello: &'a Host<'a>, ip: Option<IpAddr>) -> Self {
        self.from = Some((hello, ip));
        self
    }

    /// The client authenticated (RFC 4954): the `A` keyword of RFC 3848.
    pub const fn authenticated(mut self, on: bool) -> Self {
        self.authenticated = on;
        self
    }

    /// The transaction used SMTPUTF8: the `UTF8` keywords of RFC 6531 §3.7.3.
    pub const fn smtputf8(mut self, on: bool) -> Self {
        self.utf8 = on;
        self
    }

    /// The receiver's identifier for the message (`id`, an RFC 5322 atom: letters, digits
    /// and ``!#$%&'*+-/=?^_`{|}~``); checked when the field is written.
    pub const fn id(mut self, id: &'a str) -> Self {
        self.id = Some(id);
        self
    }

    /// The one recipient the message is for (`for <path>`). Leave it out for a message to
    /// several recipients (RFC 5321 §7.6: listing them all would disclose Bcc recipients).
    pub const fn recipient(mut self, path: &'a ForwardPath<'a>) -> Self {
        self.recipient = Some(path);
        self
    }

    /// The field, folded, ending in CRLF.
    ///
    /// # Errors
    /// A [`BuildError`] for an `id` that is not an atom, or a cipher suite name (from the
    /// TLS library) that is not one.
    pub fn to_vec(&self) -> Result<Vec<u8>, BuildError> {
        let mut out = Vec::with_capacity(200);
        self.write(&mut out)?;
        Ok(out)
    }

    /// Appends the field to `out`; on an error nothing is appended.
    ///
    /// # Errors
    /// As [`to_vec`](Self::to_vec).
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), BuildError> {
        if let Some(id) = self.id {
            atom(id, "Received id")?;
        }
        let mut f = Folder { out: String::with_capacity(200), line: 0, fresh: true };
        f.word("Received:");
        if let Some((hello, ip)) = self.from {
            let name = String::from_utf8_lossy(&hello.to_vec()).into_owned();
            // A general address literal may hold `;` and parentheses (RFC 5321 §4.1.3
            // dcontent), which a reader of the field would take for the end of its tokens or a
            // comment: such a name is left out, and the connection's address stands for it.
            let safe = !name.contains([';', '(', ')', '\\', '"']);
            let literal = |ip: IpAddr| match ip {
                IpAddr::V4(v4) => alloc::format!("[{v4}]"),
                IpAddr::V6(v6) => alloc::format!("[IPv6:{v6}]"),
            };
            let text = match (safe, ip) {
                // TCP-info (RFC 5321 §4.4): the address literal of the connection.
                (true, Some(ip)) => Some(alloc::format!("{name} ({})", literal(ip))),
                (true, None) => Some(name),
                (false, Some(ip)) => Some(literal(ip)),
                (false, None) => None,
            };
            if let Some(text) = text {
                f.word("from");
                f.word(&text);
                f.fold();
            }
        }
        f.word("by");
        f.word(self.by.as_str());
        f.word("with");
        let encrypted = matches!(self.tls, TlsOutcome::Encrypted { .. });
        f.word(self.with.keyword(encrypted, self.authenticated, self.utf8));
        if let Some(id) = self.id {
            f.word("id");
            f.word(id);
        }
        if let Some(path) = self.recipient {
            f.word("for");
            f.word(&String::from_utf8_lossy(&path.to_vec()));
        }
        match self.tls {
            // RFC 8314 §4.3: the "tls" clause carries the cipher suite name.
            TlsOutcome::Encrypted { info, .. } => {
                atom(&info.cipher, "TLS cipher suite")?;
                f.fold();
                f.word("tls");
                f.word(&info.cipher);
                let mut version = String::from(&info.version);
                version.retain(|c| c.is_ascii_graphic() && c != '(' && c != ')' && c != '\\');
                if !version.is_empty() {
                    f.word(&alloc::format!("({version})"));
                }
            }
            TlsOutcome::Plaintext(reason) => f.word(&alloc::format!("(plaintext: {reason})")),
        }
        f.out.push(';');
        f.fold();
        f.out.push_str(&rfc5322_date(self.date));
        f.out.push_str("\r\n");
        out.extend_from_slice(f.out.as_bytes());
        Ok(())
    }
}

/// Writes words with single spaces, folding (CRLF TAB) before a word that would take the line
/// past 78 octets (RFC 5322 §2.1.1).
struct Folder {
    out: String,
    /// Octets on the current line.
    line: usize,
    /// Nothing written since the last fold.
    fresh: bool,
}

impl Folder {
    fn word(&mut self, w: &str) {
        if !self.fresh {
            if self.line + 1 + w.len() > 78 {
                self.fold();
            } else {
                self.out.push(' ');
                self.line += 1;
            }
        }
        self.out.push_str(w);
        self.line += w.len();
        self.fresh = false;
    }

    fn fold(&mut self) {
        self.out.push_str("\r\n\t");
        self.line = 8;
        self.fresh = true;
    }
}

/// Checks `s` as an RFC 5322 §3.2.3 atom (one or more atext).
fn atom(s: &str, what: &'static str) -> Result<(), BuildError> {
    if s.is_empty() {
        return Err(BuildError::new(what, BuildErrorKind::Empty));
    }
    match span(s.as_bytes(), ATEXT) {
        n if n == s.len() => Ok(()),
        at => Err(BuildError::new(what, BuildErrorKind::ClassMismatch).at(at)),
    }
}

/// An RFC 5322 §3.3 `date-time` in UTC from seconds since the Unix epoch, as a `Received`
/// field (and a message's `Date:` field) writes it. The crate reads no clock: pass the time.
///
/// ```
/// assert_eq!(smtp_wire::rfc5322_date(1_796_083_200), "Tue, 1 Dec 2026 00:00:00 +0000");
/// ```
pub fn rfc5322_date(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil(days);
    let weekday = DAYS.get((days % 7) as usize).copied().unwrap_or("Thu");
    let month = MONTHS.get(month.saturating_sub(1) as usize).copied().unwrap_or("Jan");
    alloc::format!("{weekday}, {day} {month} {year} {:02}:{:02}:{:02} +0000", rem / 3600, rem / 60 % 60, rem % 60)
}

/// Days since 1970-01-01 to (year, month 1–12, day 1–31) in the proleptic Gregorian calendar,
/// counting in 400-year cycles of 146 097 days from 0000-03-01 (so the leap day ends a year).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let cycle = z / 146_097;
    let day_of_cycle = z % 146_097;
    let year_of_cycle = (day_of_cycle - day_of_cycle / 1_460 + day_of_cycle / 36_524 - day_of_cycle / 146_096) / 365;
    let day_of_year = day_of_cycle - (365 * year_of_cycle + year_of_cycle / 4 - year_of_cycle / 100);
    let m = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * m + 2) / 5 + 1;
    let month = if m < 10 { m + 3 } else { m - 9 };
    (year_of_cycle + cycle * 400 + u64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc5322_date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc5322_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(rfc5322_date(4_107_542_399), "Sun, 28 Feb 2100 23:59:59 +0000");
        assert_eq!(rfc5322_date(4_133_980_799), "Fri, 31 Dec 2100 23:59:59 +0000");
        assert_eq!(rfc5322_date(1_796_083_200), "Tue, 1 Dec 2026 00:00:00 +0000");
        assert_eq!(rfc5322_date(1_709_164_800), "Thu, 29 Feb 2024 00:00:00 +0000");
    }
}
