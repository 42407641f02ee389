//! EHLO replies (RFC 5321 §4.1.1.1): the server's name and greeting, and the service
//! extensions it advertises, typed where an RFC defines them and kept verbatim otherwise.
//!
//! The reply value lives here, the capabilities in [`capability`]; [`check`] holds the
//! grammar of a capability line, [`grammar`] validates the reply with it ([`fast`] in one
//! pass when it can, recording the [`index`] the lookups read), [`encode`] writes and builds
//! them.
//!
//! # Strict framing, tolerant content
//! By default an EHLO reply is held to RFC 5321 §4.1.1.1 and to the grammar each extension's
//! RFC gives its parameters: one line that breaks them refuses the whole reply. A client
//! should not give up on a server it could talk to because of one unreadable offer, so two
//! [`ParseOptions`](crate::ParseOptions) switches (both on in
//! [`ClientConfig`](crate::ClientConfig)'s defaults) loosen the content:
//! - [`with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities): a
//!   line that starts with a keyword followed by SP, HT, `=` or the end of the line is
//!   accepted whatever follows. Trailing SP and HT are ignored when it is typed; if the
//!   rest still breaks the grammar (`SIZE 10M`, `SIZE -1`, `SIZE` with 21 digits,
//!   `STARTTLS now`, `AUTH PLAIN,LOGIN`, `X-FOO a  b`) it is
//!   [`Capability::Malformed`]: [`EhloReply::supports`] says the extension is offered, the
//!   value lookups ([`EhloReply::size_limit`], [`EhloReply::auth_mechanisms`],
//!   [`EhloReply::limits`]) find nothing in it. A space after the server's name with no
//!   greeting is accepted too.
//! - [`with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text): every line's
//!   text may carry any octet but NUL, CR and LF: controls, UTF-8 without SMTPUTF8, and
//!   octets that are not UTF-8 (kept as they were: [`EhloReply::greeting_bytes`],
//!   [`UnparsedParams::as_bytes`]). This is what lets the greeting use the controls that
//!   `ehlo-greet` allows, or Latin-1 (see [`EhloReply`]); a capability line with such octets
//!   after its keyword is then `Malformed` (under the first switch) or refused.
//!
//! Neither touches the framing: CRLF line ends, one code on every line (and `250` here),
//! the `-` continuation marks, the line length and line count limits, a first line that
//! names the server, and a keyword at the start of every other line are checked in every
//! mode. Every reply, tolerated or not, re-encodes to exactly the octets it was read from.

mod capability;
mod check;
pub(crate) mod encode;
mod fast;
pub(crate) mod grammar;
mod index;
mod keyword;
mod unparsed;

pub use capability::{AuthMechanisms, Capability, EhloKeyword, EhloParams, MechanismIter, ServerLimit, ServerLimits};
pub use keyword::Extension;
pub use unparsed::UnparsedParams;

use alloc::borrow::Cow;
use alloc::string::String;

use capability::{capability, capability_at, dup_key, key_of, known_at, typed};
use fast::{TextLines, find_cr, next_line};
pub(crate) use index::{AUTH_LEGACY, Index, TABLE, UNITS, kind_of};
use index::{EXTENSION_OF, unit};

use crate::domain::{AddressLiteral, Domain, Host};
use crate::reply::{Reply, ReplyLines};

/// The reply to EHLO (or LHLO): the server's name, an optional greeting, and the service
/// extensions it offers (RFC 5321 §4.1.1.1).
///
/// ```abnf
/// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
///             / ( "250-" Domain [ SP ehlo-greet ] CRLF
///               *( "250-" ehlo-line CRLF )
///               "250" SP ehlo-line CRLF )                 ; RFC 5321 §4.1.1.1
/// ```
///
/// Parsing checks the reply grammar (see [`Reply`]), the code (250, else
/// [`UnexpectedReplyCode`](crate::ParseErrorKind::UnexpectedReplyCode)), the domain (an address
/// literal is accepted too) and every capability line (see [`Capability`]). Nothing is
/// allocated: [`capabilities`](Self::capabilities) types the lines as it walks them, and the
/// lookups ([`supports`](Self::supports), [`size_limit`](Self::size_limit),
/// [`auth_mechanisms`](Self::auth_mechanisms)) read the wire text in place.
///
/// A keyword advertised twice is not merged away: [`duplicates`](Self::duplicates) reports
/// every repeat, and the lookups read the first occurrence, except
/// [`auth_mechanisms`](Self::auth_mechanisms), which reads every `AUTH` line. (`AUTH` and the
/// legacy `AUTH=` count as different keywords, since servers send both on purpose.)
///
/// The content can be read tolerantly while the framing stays strict:
/// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)
/// keeps a capability whose parameters break their grammar as [`Capability::Malformed`]
/// ("offered, value unusable") and ignores trailing spaces, and
/// [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text) admits
/// any octet but NUL in the text (controls, UTF-8, octets that are not UTF-8: see
/// [`greeting`](Self::greeting)). [`ClientConfig`](crate::ClientConfig) turns both on by
/// default. Keywords are ASCII in every mode, so the lookups read them as octets.
///
/// Two choices where the RFC text and the wire disagree:
/// - The greeting is held to the reply text grammar (HT and printable US-ASCII, UTF-8 under
///   SMTPUTF8), not to `ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127)`, which would admit
///   control characters such as NUL and ESC: §4.2 `textstring` does not, a `Reply` is read
///   before anyone knows it answers EHLO, and the strict reading is the one every reader
///   shares. [`ParseOptions::with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text)
///   admits the controls (but NUL, for every reply line).
/// - A keyword may contain `_` after its first character, which `ehlo-keyword` does not allow:
///   Exim (4.95 and later, by default) advertises `PIPE_CONNECT`, and refusing that line would
///   refuse the whole reply. Such a keyword is kept as [`Capability::Other`].
///
/// ```
/// use smtp_wire::{Capability, EhloReply, Encode, Extension};
///
/// let bytes = b"250-smtp.gmail.com at your service, [192.0.2.7]\r\n\
///               250-SIZE 35882577\r\n\
///               250-8BITMIME\r\n\
///               250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n\
///               250-ENHANCEDSTATUSCODES\r\n\
///               250-PIPELINING\r\n\
///               250-CHUNKING\r\n\
///               250 SMTPUTF8\r\n";
/// let ehlo = EhloReply::parse(bytes).unwrap();
/// assert_eq!(ehlo.host().to_string(), "smtp.gmail.com");
/// assert_eq!(ehlo.greeting(), Some("at your service, [192.0.2.7]"));
/// assert_eq!(ehlo.size_limit(), Some(35882577));
/// assert!(ehlo.supports(Extension::Chunking));
/// assert!(!ehlo.supports(Extension::StartTls));
/// assert!(ehlo.auth_mechanisms().any(|m| m.eq_ignore_ascii_case("XOAUTH2")));
/// assert_eq!(ehlo.capabilities().nth(1), Some(Capability::EightBitMime));
/// assert_eq!(ehlo.to_vec(), bytes);
/// ```
#[derive(Debug, Clone)]
pub struct EhloReply<'a> {
    reply: Reply<'a>,
    /// Length of the host in the first line's text.
    host_len: usize,
    /// Whether the host is an address literal.
    literal: bool,
    /// Whether a capability line was accepted only under
    /// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)
    /// (the typed view then checks each line again).
    pub(crate) tolerated: bool,
    /// What the one-pass parse learned of the capability lines (a cache of the wire text:
    /// not compared, not hashed).
    pub(crate) index: Index,
}

impl PartialEq for EhloReply<'_> {
    fn eq(&self, other: &Self) -> bool {
        // The index is derived from the wire text: two values with the same text agree.
        (&self.reply, self.host_len, self.literal, self.tolerated)
            == (&other.reply, other.host_len, other.literal, other.tolerated)
    }
}

impl Eq for EhloReply<'_> {}

impl core::hash::Hash for EhloReply<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        (&self.reply, self.host_len, self.literal, self.tolerated).hash(state);
    }
}

impl<'a> EhloReply<'a> {
    fn first_text(&self) -> &[u8] {
        self.reply.lines().next().map_or(&[], |l| l.text_bytes())
    }

    /// The server's name (first line): a domain, or an address literal.
    pub fn host(&self) -> Host<'_> {
        // The host was checked to be a domain or literal (ASCII, or UTF-8 under SMTPUTF8):
        // the `str` view of it is all of it.
        let s = core::str::from_utf8(self.first_text().get(..self.host_len).unwrap_or(&[])).unwrap_or("");
        // A literal was validated when the reply was parsed: reading it again cannot fail (and
        // does not allocate).
        if self.literal {
            if let Ok(l) = AddressLiteral::parse(s.as_bytes()) {
                return Host::Literal(l);
            }
        }
        Host::Domain(Domain(Cow::Borrowed(s)))
    }

    /// The greeting after the name on the first line, if there is one and it is UTF-8
    /// (always, unless the reply was parsed under
    /// [`with_loose_reply_text`](crate::ParseOptions::with_loose_reply_text)): a greeting that
    /// is not UTF-8 is read with [`greeting_bytes`](Self::greeting_bytes) or
    /// [`greeting_lossy`](Self::greeting_lossy).
    ///
    /// ```
    /// use smtp_wire::{EhloReply, ParseOptions};
    ///
    /// // RFC 5321 §4.1.1.1 `ehlo-greet` is 7-bit; an old server greets in Latin-1.
    /// let bytes = b"250-mx.example.org Gr\xfc\xdf Gott\r\n250 8BITMIME\r\n";
    /// assert!(EhloReply::parse(bytes).is_err());
    /// let loose = ParseOptions::default().with_loose_reply_text(true);
    /// let ehlo = EhloReply::parse_with(bytes, &loose).unwrap();
    /// assert_eq!(ehlo.greeting(), None);
    /// assert_eq!(ehlo.greeting_bytes(), Some(&b"Gr\xfc\xdf Gott"[..]));
    /// assert_eq!(ehlo.greeting_lossy().as_deref(), Some("Gr\u{fffd}\u{fffd} Gott"));
    /// assert_eq!(ehlo.host().to_string(), "mx.example.org");
    /// ```
    pub fn greeting(&self) -> Option<&str> {
        self.greeting_bytes().and_then(|g| core::str::from_utf8(g).ok())
    }

    /// The greeting after the name on the first line, if any, as the octets it was.
    pub fn greeting_bytes(&self) -> Option<&[u8]> {
        self.first_text().get(self.host_len + 1..).filter(|g| !g.is_empty())
    }

    /// The greeting after the name on the first line, if any, with every sequence that is not
    /// UTF-8 replaced by U+FFFD (a copy only then).
    pub fn greeting_lossy(&self) -> Option<Cow<'_, str>> {
        self.greeting_bytes().map(String::from_utf8_lossy)
    }

    /// The capabilities, typed, in the order advertised (every line after the first).
    #[inline]
    pub fn capabilities(&self) -> Capabilities<'_> {
        let wire = self.reply.as_bytes();
        let text = wire.get(self.capability_start()..).unwrap_or(&[]);
        if self.index.filled {
            // One entry of the index per line.
            let entries = self.index.table.get(..usize::from(self.index.lines)).unwrap_or(&[]).iter();
            return Capabilities { entries, text, at: 0, rest: &[], tolerated: false, size: Some(self.index.size) };
        }
        Capabilities { entries: [].iter(), text: &[], at: 0, rest: text, tolerated: self.tolerated, size: None }
    }

    /// The capability lines (every line after the first).
    fn capability_lines(&self) -> ReplyLines<'_> {
        let mut lines = self.reply.lines();
        lines.next();
        lines
    }

    /// Whether `extension` is advertised (`AUTH` in either spelling).
    pub fn supports(&self, extension: Extension) -> bool {
        if self.index.filled {
            return self.index.first(extension).is_some();
        }
        self.find(extension).is_some()
    }

    /// The known extensions advertised, in the order of their lines (a repeated keyword
    /// repeats), read from the keywords alone: one pass over the lines, nothing typed. A
    /// known keyword with unusable parameters (see
    /// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities))
    /// counts, as for [`supports`](Self::supports).
    ///
    /// ```
    /// use smtp_wire::{EhloReply, Extension};
    ///
    /// let ehlo = EhloReply::parse(b"250-mx\r\n250-PIPELINING\r\n250-X-FOO\r\n250 auth=LOGIN\r\n").unwrap();
    /// assert_eq!(ehlo.extensions().collect::<Vec<_>>(), [Extension::Pipelining, Extension::Auth]);
    /// ```
    pub fn extensions(&self) -> impl Iterator<Item = Extension> + '_ {
        self.keyword_lines().filter_map(|l| keyword::extension(key_of(l)))
    }

    /// Whether a capability with `keyword` is advertised (case-insensitive; `AUTH` matches
    /// `AUTH=` too).
    pub fn supports_keyword(&self, keyword: &str) -> bool {
        self.keyword_lines().any(|l| key_of(l).eq_ignore_ascii_case(keyword.as_bytes()))
    }

    /// The first capability of `extension`, typed ([`Capability::Malformed`] if its
    /// parameters were unreadable, under
    /// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)).
    pub fn capability(&self, extension: Extension) -> Option<Capability<'_>> {
        self.find(extension).map(|l| typed(l, self.tolerated))
    }

    /// The message size limit in octets: `Some(n)` when the server declared a fixed
    /// maximum (`SIZE n`, n > 0); `None` when it advertises no SIZE, or SIZE without a value
    /// or with 0, which RFC 1870 §4 defines as no fixed maximum, or (under
    /// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities))
    /// a value that is not a number (`SIZE 10M`, `SIZE -1`, more than 20 digits). Check
    /// [`supports`](Self::supports)`(Extension::Size)` to tell those apart.
    #[inline]
    pub fn size_limit(&self) -> Option<u64> {
        if self.index.filled {
            // The first `SIZE` line's value, read by the parse.
            return self.index.size.filter(|&n| n > 0);
        }
        if !self.tolerated {
            // Every line passed `check_capability`: `SIZE`, or `SIZE` SP 1*20DIGIT.
            let line = self.find(Extension::Size)?;
            return check::digits(line.get(5..)?, 20).filter(|&n| n > 0);
        }
        match self.capability(Extension::Size) {
            Some(Capability::Size(Some(n))) if n > 0 => Some(n),
            _ => None,
        }
    }

    /// The SASL mechanisms of every `AUTH` and legacy `AUTH=` line, line by line in the
    /// order advertised; empty when AUTH is not offered.
    ///
    /// Servers split their list (Exchange and some appliances send one `AUTH` line per
    /// mechanism), or send both spellings (Postfix with `broken_sasl_auth_clients`); RFC 4954
    /// §3 does not forbid either, so reading only the first line would hide mechanisms the
    /// server offers. A name listed again (in any case) is skipped; to keep that linear in
    /// what a hostile server can send without allocating, only the first 64 names are
    /// looked back at. A [`Capability::Malformed`] `AUTH` line lists nothing.
    ///
    /// ```
    /// use smtp_wire::EhloReply;
    ///
    /// let ehlo = EhloReply::parse(b"250-mx\r\n250-AUTH LOGIN\r\n250-SIZE 100\r\n250-auth PLAIN\r\n250 AUTH=LOGIN\r\n").unwrap();
    /// let names: Vec<String> = ehlo.auth_mechanisms().map(|m| m.as_str().to_owned()).collect();
    /// assert_eq!(names, ["LOGIN", "PLAIN"]);
    /// ```
    #[inline]
    pub fn auth_mechanisms(&self) -> MechanismIter<'_> {
        if self.index.filled {
            let wire = self.reply.as_bytes();
            // The first `AUTH` line (either spelling), and whether another follows.
            let (at, len) = (self.index.auth as usize, usize::from(self.index.auth_len));
            if at == 0 {
                return MechanismIter::one_line("");
            }
            if self.index.auth_more {
                // Split over lines: from the first `AUTH` line on.
                return MechanismIter::lines(TextLines { rest: wire.get(at..).unwrap_or(&[]) }, false);
            }
            // `AUTH`, `AUTH` SP list or `AUTH=` list: the list starts after the code,
            // separator, keyword and SP or `=` (US-ASCII, checked by the parse).
            return MechanismIter::one_line(if len > 5 { ascii_in(wire, at + 9, at + 4 + len) } else { "" });
        }
        MechanismIter::lines(self.keyword_lines(), self.tolerated)
    }

    /// The limits of the first `LIMITS` capability (RFC 9422), if advertised.
    pub fn limits(&self) -> Option<ServerLimits<'_>> {
        match self.capability(Extension::Limits) {
            Some(Capability::Limits(l)) => Some(l),
            _ => None,
        }
    }

    /// Every capability whose keyword an earlier line already advertised (case-insensitive),
    /// in order: RFC 5321 does not say which of two `SIZE` lines counts, so a repeat is
    /// reported rather than silently merged. The lookups read the first occurrence.
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply};
    ///
    /// let ehlo = EhloReply::parse(b"250-mx\r\n250-SIZE 100\r\n250-AUTH PLAIN\r\n250-AUTH=PLAIN\r\n250 size 200\r\n").unwrap();
    /// assert_eq!(ehlo.duplicates().collect::<Vec<_>>(), [Capability::Size(Some(200))]);
    /// assert_eq!(ehlo.size_limit(), Some(100));
    /// ```
    pub fn duplicates(&self) -> Duplicates<'_> {
        Duplicates { all: self.capability_lines(), seen: 0, lines: self.capability_lines(), tolerated: self.tolerated }
    }

    /// The reply this is.
    pub fn reply(&self) -> &Reply<'a> {
        &self.reply
    }

    /// The reply, by value.
    pub fn into_reply(self) -> Reply<'a> {
        self.reply
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> EhloReply<'static> {
        EhloReply {
            reply: self.reply.into_owned(),
            host_len: self.host_len,
            literal: self.literal,
            tolerated: self.tolerated,
            index: self.index,
        }
    }

    /// Where the capability lines start in the wire text: after the first line's CRLF, which
    /// comes after its code, separator and host (the search starts there).
    #[inline]
    fn capability_start(&self) -> usize {
        if self.index.filled {
            return self.index.caps as usize;
        }
        let wire = self.reply.as_bytes();
        let from = (4 + self.host_len).min(wire.len());
        find_cr(wire.get(from..).unwrap_or(&[])).map_or(wire.len(), |n| from + n + 2)
    }

    /// The text of the capability lines.
    fn keyword_lines(&self) -> TextLines<'_> {
        let wire = self.reply.as_bytes();
        let first = self.capability_start();
        TextLines { rest: wire.get(first..).unwrap_or(&[]) }
    }

    /// Whether the index answers as a walk of the lines does (the debug assertions of the
    /// one-pass parse).
    pub(crate) fn index_agrees(&self) -> bool {
        let mut walked = self.clone();
        walked.index = Index::default();
        Extension::ALL.iter().all(|&e| self.supports(e) == walked.supports(e))
            && self.size_limit() == walked.size_limit()
            && self.auth_mechanisms().eq(walked.auth_mechanisms())
            && self.capabilities().eq(walked.capabilities())
    }

    fn find(&self, extension: Extension) -> Option<&[u8]> {
        // The line's keyword names `extension`, in any case (`AUTH=` is `AUTH`).
        let kw = extension.keyword().as_bytes();
        self.keyword_lines().find(|l| key_of(l).eq_ignore_ascii_case(kw))
    }
}

/// Iterator over the capabilities of an [`EhloReply`](crate::EhloReply) (its `ehlo-line`s, RFC 5321 §4.1.1.1),
/// typed as it goes.
#[derive(Debug, Clone)]
pub struct Capabilities<'a> {
    /// The index entries of the lines not yet read, for a reply read in one pass (the index
    /// describes every line then); empty otherwise.
    entries: core::slice::Iter<'a, u16>,
    /// The capability lines of a reply read in one pass, and where the next one starts.
    text: &'a [u8],
    at: usize,
    /// The lines not yet read, for a reply without an index (code, separator, text and CRLF
    /// each).
    rest: &'a [u8],
    /// Whether the reply has a line accepted only under
    /// [`ParseOptions::with_malformed_capabilities`](crate::ParseOptions::with_malformed_capabilities)
    /// (each line is then checked again as it is typed).
    tolerated: bool,
    /// The value of the first `SIZE` line, from the index, until that line is typed.
    size: Option<Option<u64>>,
}

impl<'a> Iterator for Capabilities<'a> {
    type Item = Capability<'a>;
    #[inline(always)]
    fn next(&mut self) -> Option<Capability<'a>> {
        if let Some(&entry) = self.entries.next() {
            let len = usize::from(entry & 0xff);
            let at = self.at;
            // The text of a line follows its code and separator; its CRLF follows it.
            self.at = at + len + 6;
            let kind = (entry >> 8) as u8;
            if kind.wrapping_sub(1) < UNITS {
                // The keyword alone: nothing to read.
                return Some(unit(kind));
            }
            if kind == kind_of(Extension::Size) {
                // `SIZE` [SP 1*20DIGIT] (RFC 1870 §4): the first one's value was read by the
                // parse.
                return Some(Capability::Size(match self.size.take() {
                    Some(first) => first,
                    None => self.text.get(at + 9..at + 4 + len).and_then(|p| check::digits(p, 20)),
                }));
            }
            return Some(typed_kind(kind, self.text, at, len));
        }
        if self.rest.is_empty() {
            return None;
        }
        let (capability, rest) = scan(self.rest, self.tolerated);
        self.rest = rest;
        Some(capability)
    }
}

/// The typed view of a capability line of `kind` in the index (neither one of the
/// [`UNITS`] nor `SIZE`), the line at `at` in `text` (its code) with a text of `len` octets.
#[inline(always)]
fn typed_kind(kind: u8, text: &[u8], at: usize, len: usize) -> Capability<'_> {
    if kind == kind_of(Extension::Auth) {
        // `AUTH`, or `AUTH` SP and a list (RFC 4954 §3).
        let list = if len > 5 { ascii_in(text, at + 9, at + 4 + len) } else { "" };
        return Capability::Auth { mechanisms: AuthMechanisms(Cow::Borrowed(list)), legacy: false };
    }
    let line = text.get(at + 4..at + 4 + len).unwrap_or(&[]);
    match EXTENSION_OF.get(usize::from(kind)).copied().flatten() {
        // A known keyword: its parameters follow it and a SP.
        Some(ext) => known_at(ext, line.get(ext.keyword().len() + 1..)),
        None => capability(line),
    }
}

/// `s[start..end]` as `str`, for an `s` that is US-ASCII throughout (a reply the one-pass
/// parse read: every octet of it was classed), else `""`. The UTF-8 check runs from an
/// address aligned to eight over a multiple of 16 octets where `s` has them, which
/// `core::str::from_utf8` checks two words at a time, rather than octet by octet up to the
/// first aligned word and after the last.
#[inline]
fn ascii_in(s: &[u8], start: usize, end: usize) -> &str {
    let from = start - start.min((s.as_ptr() as usize).wrapping_add(start) % 8);
    let to = (from + end.saturating_sub(from).next_multiple_of(16)).min(s.len());
    let wide = s.get(from..to).and_then(|w| core::str::from_utf8(w).ok()).unwrap_or("");
    wide.get(start - from..end.saturating_sub(from)).unwrap_or("")
}

/// The first of the lines `rest` (at least one) typed, and the lines after it: for a reply
/// without an index. (The state goes in and out by value, so that the iterator's own can
/// stay in registers.)
#[inline(never)]
fn scan(rest: &[u8], tolerated: bool) -> (Capability<'_>, &[u8]) {
    // Every CR in a reply starts its CRLF; the text of a line follows its code and
    // separator. One pass finds the end of the line and the end of its keyword.
    let body = rest.get(4..).unwrap_or(&[]);
    let (end, sp) = next_line(body);
    let line = body.get(..end).unwrap_or(&[]);
    let after = body.get(end + 2..).unwrap_or(&[]);
    if tolerated {
        // The line is checked again (it may hold octets that are not US-ASCII).
        return (typed(line, true), after);
    }
    // Every line passed `check_capability`, which takes US-ASCII only: the line is sliced
    // as it is, and only the values that hold text are made `str`.
    (capability_at(line, sp), after)
}

/// Iterator over the repeated capabilities of an [`EhloReply`](crate::EhloReply) (see
/// [`EhloReply::duplicates`]; RFC 5321 §4.1.1.1 does not say what a repeated keyword means).
#[derive(Debug, Clone)]
pub struct Duplicates<'a> {
    /// All capability lines, to look back into.
    all: ReplyLines<'a>,
    /// How many lines `lines` has yielded.
    seen: usize,
    lines: ReplyLines<'a>,
    tolerated: bool,
}

impl<'a> Iterator for Duplicates<'a> {
    type Item = Capability<'a>;
    fn next(&mut self) -> Option<Capability<'a>> {
        for l in self.lines.by_ref() {
            let key = dup_key(l.text_bytes());
            let earlier = self.all.clone().take(self.seen).any(|e| dup_key(e.text_bytes()).eq_ignore_ascii_case(key));
            self.seen += 1;
            if earlier {
                return Some(typed(l.text_bytes(), self.tolerated));
            }
        }
        None
    }
}
