//! EHLO replies and capabilities to their wire octets (RFC 5321 §4.1.1.1), built or written
//! straight into a caller's buffer.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::keyword::extension;
use super::{Capability, EhloReply, Index};
use crate::domain::Host;
use crate::framing::reply::line_limit;
use crate::reply::{Reply, ReplyCode};
use crate::wire::lex::refuse_controls;
use crate::wire::sink::{digits16, put_checked, put_text};
use crate::wire::{Sink, WriteWire, impl_encode, write_num};
use crate::{BuildError, BuildErrorKind, Limits, ParseErrorKind, ParseOptions};

impl WriteWire for EhloReply<'_> {
    fn write_wire(&self, out: &mut impl Sink) {
        self.reply().write_wire(out);
    }
}

impl_encode!(EhloReply);

impl EhloReply<'_> {
    /// Builds the EHLO reply of a server named `host`, with an optional `greeting` and the
    /// `capabilities` in order, written in canonical form (upper-case keywords), within the
    /// RFC 5321 limits.
    ///
    /// Fails on a greeting a reply line cannot carry (control characters: C0 but HT, DEL and C1), on a
    /// [`Capability::Other`] whose keyword is a known one, on a [`Capability::Malformed`]
    /// (the builder writes only what a strict client reads), on a line over 512 octets, or on
    /// more than [`Limits::reply_lines`] lines; what it returns parses back to itself.
    ///
    /// ```
    /// use smtp_wire::{AuthMechanisms, Capability, Domain, EhloReply, Encode};
    ///
    /// let host = Domain::new("mx.example.org").unwrap().into();
    /// let caps = [
    ///     Capability::Pipelining,
    ///     Capability::Size(Some(10240000)),
    ///     Capability::Auth { mechanisms: AuthMechanisms::new("PLAIN LOGIN").unwrap(), legacy: false },
    ///     Capability::StartTls,
    /// ];
    /// let ehlo = EhloReply::new(&host, Some("Hello"), &caps).unwrap();
    /// assert_eq!(
    ///     ehlo.to_vec(),
    ///     b"250-mx.example.org Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"
    /// );
    /// assert_eq!(ehlo.capabilities().collect::<Vec<_>>(), caps);
    /// ```
    pub fn new(
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
    ) -> Result<EhloReply<'static>, BuildError> {
        Self::build(host, greeting, capabilities, &Limits::RFC5321)
    }

    /// [`new`](Self::new) within `limits`.
    ///
    /// Every check is made while writing (the text is not parsed back), and what is written
    /// parses back to this reply under `limits` with SMTPUTF8: the fuzz target
    /// `ehlo_roundtrip` and debug builds hold it to that.
    pub fn build(
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
        limits: &Limits,
    ) -> Result<EhloReply<'static>, BuildError> {
        let mut wire = Vec::with_capacity(64 + 24 * capabilities.len());
        let host_len = write_all_or_nothing(&mut wire, host, greeting, capabilities, limits)?;
        let literal = matches!(host, Host::Literal(_));
        let reply = Reply { code: ReplyCode::OK, wire: Cow::Owned(wire) };
        let ehlo = EhloReply { reply, host_len, literal, tolerated: false, index: Index::default() };
        debug_assert_eq!(
            EhloReply::parse_with(
                ehlo.reply.as_bytes(),
                &ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits)
            )
            .as_ref(),
            Ok(&ehlo)
        );
        Ok(ehlo)
    }

    /// Writes the EHLO reply [`new`](Self::new) would build straight into `out`, checked
    /// while it is written, and returns the number of octets appended: for a server that
    /// writes its replies into its own output buffer.
    ///
    /// The octets are the ones `EhloReply::new(host, greeting, capabilities)` encodes to,
    /// and a refusal is the same [`BuildError`] (what, index, offset): a greeting with a
    /// control character, a [`Capability::Malformed`], a [`Capability::Other`] that names a
    /// known keyword, a value outside its grammar, a line over 512 octets (RFC 5321
    /// §4.5.3.1.5), more lines than [`Limits::reply_lines`]. The first line is `250`, the
    /// server's name and the greeting; each capability follows on its own line in canonical
    /// form (upper-case keyword, single spaces), `250-` on every line but the last
    /// (RFC 5321 §4.1.1.1 `ehlo-ok-rsp`).
    ///
    /// All or nothing: on a refusal `out` is left as it was. Nothing is allocated when `out`
    /// has room, and nothing is parsed back (debug builds do, to hold the writer to the
    /// strict parser).
    ///
    /// ```
    /// use smtp_wire::{BuildErrorKind, Capability, Domain, EhloKeyword, EhloReply};
    ///
    /// let host = Domain::new("mx.example.org").unwrap().into();
    /// let caps = [Capability::Pipelining, Capability::Size(Some(10240000)), Capability::StartTls];
    /// let mut out = Vec::with_capacity(512);
    /// let n = EhloReply::write_to(&mut out, &host, Some("Hello"), &caps).unwrap();
    /// assert_eq!(out, b"250-mx.example.org Hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n");
    /// assert_eq!(n, out.len());
    ///
    /// // `SIZE` spelled as an unknown keyword is refused (a parser reads it back typed), and
    /// // nothing is left behind.
    /// let other = Capability::Other { keyword: EhloKeyword::new("SIZE").unwrap(), params: None };
    /// let err = EhloReply::write_to(&mut out, &host, None, &[Capability::Dsn, other]).unwrap_err();
    /// assert_eq!((err.kind(), err.index()), (BuildErrorKind::KnownKeyword, Some(1)));
    /// assert_eq!(out.len(), n);
    /// ```
    pub fn write_to(
        out: &mut Vec<u8>,
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
    ) -> Result<usize, BuildError> {
        Self::write_to_within(out, host, greeting, capabilities, &Limits::RFC5321)
    }

    /// [`write_to`](Self::write_to) within `limits` ([`Limits::reply_line`],
    /// [`Limits::reply_lines`], [`Limits::domain`]), as [`build`](Self::build) builds.
    pub fn write_to_within(
        out: &mut Vec<u8>,
        host: &Host<'_>,
        greeting: Option<&str>,
        capabilities: &[Capability<'_>],
        limits: &Limits,
    ) -> Result<usize, BuildError> {
        let start = out.len();
        write_all_or_nothing(out, host, greeting, capabilities, limits)?;
        let written = out.get(start..).unwrap_or(&[]);
        debug_assert!(
            EhloReply::parse_with(written, &ParseOptions::STRICT.with_smtputf8(true).with_limits(*limits))
                .is_ok_and(|e| e.reply().as_bytes() == written),
            "{}",
            written.escape_ascii()
        );
        Ok(written.len())
    }
}

/// [`write_ehlo`], with `out` truncated back on a refusal.
#[inline(always)]
fn write_all_or_nothing(
    out: &mut Vec<u8>,
    host: &Host<'_>,
    greeting: Option<&str>,
    capabilities: &[Capability<'_>],
    limits: &Limits,
) -> Result<usize, BuildError> {
    let start = out.len();
    write_ehlo(out, host, greeting, capabilities, limits).inspect_err(|_| out.truncate(start))
}

/// Writes ` p` when there is a `p`.
fn param(out: &mut impl Sink, p: Option<&str>) {
    if let Some(p) = p {
        out.put_str(" ");
        out.put_str(p);
    }
}

impl Capability<'_> {
    /// Writes the canonical `ehlo-line` (upper-case keyword, single spaces).
    pub(crate) fn write(&self, out: &mut impl Sink) {
        match self {
            Self::Size(n) => {
                out.put_str("SIZE");
                if let Some(n) = n {
                    out.put_str(" ");
                    write_num(out, *n);
                }
            }
            Self::DeliverBy(n) => {
                out.put_str("DELIVERBY");
                if let Some(n) = n {
                    out.put_str(" ");
                    write_num(out, u64::from(*n));
                }
            }
            Self::Auth { mechanisms, legacy: true } => {
                out.put_str("AUTH=");
                out.put_str(mechanisms.as_str());
            }
            Self::Auth { mechanisms, legacy: false } => {
                out.put_str("AUTH");
                param(out, Some(mechanisms.as_str()).filter(|m| !m.is_empty()));
            }
            Self::MtPriority(p) => {
                out.put_str("MT-PRIORITY");
                param(out, p.as_ref().map(|k| k.as_str()));
            }
            Self::FutureRelease { max_interval, max_datetime } => {
                out.put_str("FUTURERELEASE ");
                write_num(out, u64::from(*max_interval));
                out.put_str(" ");
                out.put_str(max_datetime.as_str());
            }
            Self::Limits(l) => {
                out.put_str("LIMITS");
                param(out, Some(l.as_str()));
            }
            Self::Burl(p) => {
                out.put_str("BURL");
                param(out, p.as_ref().map(|p| p.as_str()));
            }
            Self::NoSoliciting(p) => {
                out.put_str("NO-SOLICITING");
                param(out, p.as_ref().map(|p| p.as_str()));
            }
            Self::Other { keyword, params } => {
                out.put_str(keyword.as_str());
                param(out, params.as_ref().map(|p| p.as_str()));
            }
            Self::Malformed { keyword, params, .. } => {
                out.put(keyword.as_str().as_bytes());
                out.put(params.as_bytes());
            }
            other => out.put_str(other.keyword()),
        }
    }
}

/// The refusal of capability `k` for `kind`.
fn refused(k: usize, kind: BuildErrorKind) -> BuildError {
    BuildError::new("capability", kind).item(k)
}

/// Checks what the types of a capability do not: a `Malformed` (only read, never written),
/// an `Other` that names a known keyword, a
/// legacy `AUTH=` without a mechanism (RFC 4954 §3 has at least one after the `=`), numbers
/// with more digits than their grammar allows (`1*9DIGIT`, RFC 2852 §4, RFC 4865 §3).
fn check_capability(k: usize, c: &Capability<'_>) -> Result<(), BuildError> {
    const NINE_DIGITS: u32 = 999_999_999;
    match c {
        Capability::Malformed { extension, .. } => {
            let keyword = extension.map_or("EHLO", |e| e.keyword());
            Err(refused(k, BuildErrorKind::Grammar(ParseErrorKind::InvalidCapability { keyword })))
        }
        Capability::Other { keyword, .. } if extension(keyword.as_str().as_bytes()).is_some() => {
            Err(refused(k, BuildErrorKind::KnownKeyword))
        }
        Capability::Auth { mechanisms, legacy: true } if mechanisms.is_empty() => {
            Err(refused(k, BuildErrorKind::Grammar(ParseErrorKind::InvalidCapability { keyword: "AUTH" })))
        }
        Capability::DeliverBy(Some(n)) | Capability::FutureRelease { max_interval: n, .. } if *n > NINE_DIGITS => {
            Err(refused(k, BuildErrorKind::OutOfRange))
        }
        _ => Ok(()),
    }
}

/// Writes the lines of an EHLO reply within `limits` into `out`: `250` and the host with the
/// greeting, then one line per capability. Returns the length of the host. On a refusal
/// `out` may hold part of the reply: the caller truncates it.
///
/// One pass, each check made as its line is written, with the refusals in the builder's
/// order: a control character in the greeting (checked while it is copied), too many lines,
/// a host over the domain limit, the first capability its type does not hold to
/// ([`check_capability`]), then the first line over the line limit (RFC 5321 §4.5.3.1.5),
/// which is kept until every capability has been checked.
#[inline(always)]
fn write_ehlo(
    out: &mut Vec<u8>,
    host: &Host<'_>,
    greeting: Option<&str>,
    capabilities: &[Capability<'_>],
    limits: &Limits,
) -> Result<usize, BuildError> {
    let greeting = greeting.filter(|g| !g.is_empty());
    // `line_limit` for a reply that is not a challenge.
    let max_line = limits.reply_line().max(5);
    debug_assert_eq!(max_line, line_limit(false, &ParseOptions::STRICT.with_limits(*limits)));
    let too_long = || BuildErrorKind::TooLong { limit: max_line };
    out.reserve(64 + 24 * capabilities.len());
    let start = out.len();
    out.extend_from_slice(if capabilities.is_empty() { b"250 " } else { b"250-" });
    match host {
        // A domain is checked text: copied in blocks.
        Host::Domain(d) => put_text(out, d.as_str().as_bytes()),
        Host::Literal(_) => host.write_wire(out),
    }
    let host_len = out.len() - start - 4;
    if let Some(g) = greeting {
        out.push(b' ');
        // Written from `str` values, ASCII keywords and numbers: only the greeting's text is
        // checked, for control characters, as it is copied.
        if !put_checked(out, g.as_bytes()) {
            refuse_controls(g, "EHLO greeting", true)?;
        }
    }
    out.extend_from_slice(b"\r\n");
    let max_lines = limits.reply_lines().max(1);
    if capabilities.len() >= max_lines {
        return Err(BuildError::new("EHLO reply", BuildErrorKind::TooManyLines { limit: max_lines }));
    }
    if let Host::Domain(d) = host {
        if d.as_str().len() > limits.domain() {
            return Err(BuildError::new("EHLO host", BuildErrorKind::TooLong { limit: limits.domain() }));
        }
    }
    let mut long = (out.len() - start > max_line).then(|| BuildError::new("EHLO reply line", too_long()));
    let mut line = out.len();
    for (k, c) in capabilities.iter().enumerate() {
        line = out.len();
        match whole_line(c) {
            // One copy of fixed size for a capability without parameters (nothing to check).
            Some((block, len)) => out.put_block(block, *len),
            // The two with parameters that every server sends, which no value refuses: in
            // blocks of fixed size too.
            None if size_line(out, c) => {}
            None if auth_line(out, c) => {}
            None => {
                check_capability(k, c)?;
                out.extend_from_slice(b"250-");
                c.write(out);
                out.extend_from_slice(b"\r\n");
            }
        }
        if out.len() - line > max_line && long.is_none() {
            long = Some(refused(k, too_long()));
        }
    }
    if let Some(e) = long {
        return Err(e);
    }
    // The last line is `250 ` (RFC 5321 §4.2: no `-` after the code).
    if !capabilities.is_empty() {
        if let Some(sep) = out.get_mut(line + 3) {
            *sep = b' ';
        }
    }
    Ok(host_len)
}

/// Writes the whole line of `c` if it is `SIZE` with a value of at most 14 digits
/// (`"SIZE" SP 1*20DIGIT`, RFC 1870 §4): `250-SIZE `, the digits and CRLF in two 16-octet
/// words, cut to their length. `false` (nothing written) for another capability.
#[inline(always)]
fn size_line(out: &mut Vec<u8>, c: &Capability<'_>) -> bool {
    const PREFIX: u128 = u128::from_le_bytes(*b"250-SIZE \0\0\0\0\0\0\0");
    const CRLF: u128 = 0x0a0d;
    let Capability::Size(Some(n)) = c else { return false };
    let Some((digits, len)) = digits16(*n).filter(|&(_, len)| len <= 14) else { return false };
    // The digits and CRLF (at most 16 octets) after the 9 octets of the prefix.
    let body = digits | CRLF << (8 * len);
    let end = out.len() + 9 + len + 2;
    out.extend_from_slice(&(PREFIX | body << 72).to_le_bytes());
    out.extend_from_slice(&(body >> 56).to_le_bytes());
    out.truncate(end);
    true
}

/// Writes the whole line of `c` if it is `AUTH` SP and a list (RFC 4954 §3; the list was
/// checked when it was made): `250-AUTH `, the list in blocks ([`put_text`]) and CRLF.
/// `false` (nothing written) for another capability.
#[inline(always)]
fn auth_line(out: &mut Vec<u8>, c: &Capability<'_>) -> bool {
    let Capability::Auth { mechanisms, legacy: false } = c else { return false };
    if mechanisms.is_empty() {
        return false;
    }
    out.extend_from_slice(b"250-AUTH ");
    put_text(out, mechanisms.as_str().as_bytes());
    out.extend_from_slice(b"\r\n");
    true
}

/// A whole line in a fixed 32-octet block (copied without a call, then cut to its length).
type Padded = ([u8; 32], usize);

/// `line` padded to 32 octets, and its length; evaluated at compile time only, so an index
/// out of bounds is a compile error, never a panic.
#[allow(clippy::indexing_slicing)]
const fn pad(line: &[u8]) -> Padded {
    let mut block = [0u8; 32];
    let mut k = 0;
    while k < line.len() {
        block[k] = line[k];
        k += 1;
    }
    (block, line.len())
}

/// The whole `250-` line of a capability without parameters, CRLF included (the keyword as
/// [`Capability::keyword`] gives it); `None` for one with parameters.
fn whole_line(c: &Capability<'_>) -> Option<&'static Padded> {
    const LINES: [Padded; 16] = [
        pad(b"250-8BITMIME\r\n"),
        pad(b"250-BINARYMIME\r\n"),
        pad(b"250-CHUNKING\r\n"),
        pad(b"250-PIPELINING\r\n"),
        pad(b"250-STARTTLS\r\n"),
        pad(b"250-SMTPUTF8\r\n"),
        pad(b"250-ENHANCEDSTATUSCODES\r\n"),
        pad(b"250-DSN\r\n"),
        pad(b"250-ETRN\r\n"),
        pad(b"250-EXPN\r\n"),
        pad(b"250-VRFY\r\n"),
        pad(b"250-HELP\r\n"),
        pad(b"250-REQUIRETLS\r\n"),
        pad(b"250-RRVS\r\n"),
        pad(b"250-SIZE\r\n"),
        pad(b"250-DELIVERBY\r\n"),
    ];
    static WHOLE: [Padded; 16] = LINES;
    let k = match c {
        Capability::EightBitMime => 0,
        Capability::BinaryMime => 1,
        Capability::Chunking => 2,
        Capability::Pipelining => 3,
        Capability::StartTls => 4,
        Capability::SmtpUtf8 => 5,
        Capability::EnhancedStatusCodes => 6,
        Capability::Dsn => 7,
        Capability::Etrn => 8,
        Capability::Expn => 9,
        Capability::Vrfy => 10,
        Capability::Help => 11,
        Capability::RequireTls => 12,
        Capability::Rrvs => 13,
        Capability::Size(None) => 14,
        Capability::DeliverBy(None) => 15,
        _ => return None,
    };
    WHOLE.get(k)
}

/// The canonical `ehlo-line`; a [`Capability::Malformed`] as read, its parameters escaped as
/// [`UnparsedParams`](crate::UnparsedParams) shows them (they may not be UTF-8).
impl fmt::Display for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Self::Malformed { keyword, params, .. } = self {
            // Reply text, maybe not UTF-8: shown escaped.
            return write!(f, "{keyword}{params}");
        }
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each whole line is `250-`, the keyword and CRLF, as the general writer writes it.
    #[test]
    fn whole_lines_are_the_keyword() {
        use Capability::*;
        let units = [
            EightBitMime,
            BinaryMime,
            Chunking,
            Pipelining,
            StartTls,
            SmtpUtf8,
            EnhancedStatusCodes,
            Dsn,
            Etrn,
            Expn,
            Vrfy,
            Help,
            RequireTls,
            Rrvs,
            Size(None),
            DeliverBy(None),
        ];
        for c in units {
            let mut general = b"250-".to_vec();
            c.write(&mut general);
            general.extend_from_slice(b"\r\n");
            assert_eq!(whole_line(&c).map(|(block, len)| block.get(..*len)), Some(Some(&general[..])));
        }
    }

    /// The whole-line writers of `SIZE` and `AUTH` write what the general writer writes (the
    /// value's digits, the list as given), behind other octets in the buffer: `SIZE` at every
    /// number of digits and around each power of ten, `AUTH` at every list length to 70; and
    /// they take what they claim to take (`SIZE` up to 14 digits, `AUTH` with a list).
    #[test]
    fn size_and_auth_lines_are_the_general_writer() {
        use alloc::format;
        use alloc::string::String;

        use crate::AuthMechanisms;
        let general = |c: &Capability<'_>| {
            let mut line = b"xy250-".to_vec();
            c.write(&mut line);
            line.extend_from_slice(b"\r\n");
            line
        };
        let mut p: u64 = 1;
        for digits in 1..=20 {
            for n in [p, p + 1, p.saturating_mul(10) - 1, p.saturating_mul(7) / 3 + 1] {
                let c = Capability::Size(Some(n));
                let mut out = b"xy".to_vec();
                assert_eq!(size_line(&mut out, &c), digits <= 14, "{n}");
                if digits <= 14 {
                    assert_eq!(out, general(&c), "{n}");
                    assert_eq!(out, format!("xy250-SIZE {n}\r\n").into_bytes());
                }
            }
            p = p.saturating_mul(10);
        }
        assert!(!size_line(&mut Vec::new(), &Capability::Size(None)));
        let mut list = String::new();
        let mut taken = 0;
        while list.len() < 70 {
            list.push(if list.len() % 7 == 6 { ' ' } else { char::from(b'A' + (list.len() % 26) as u8) });
            let trimmed = list.trim_end();
            let Ok(m) = AuthMechanisms::new(trimmed) else { continue };
            let legacy = Capability::Auth { mechanisms: m.clone(), legacy: true };
            let c = Capability::Auth { mechanisms: m, legacy: false };
            let mut out = b"xy".to_vec();
            assert!(auth_line(&mut out, &c), "{trimmed}");
            assert_eq!(out, general(&c), "{trimmed}");
            assert!(!auth_line(&mut Vec::new(), &legacy));
            taken += 1;
        }
        assert!(taken > 50, "{taken}");
    }
}
