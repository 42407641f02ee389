//! The index the one-pass parse ([`fast`](super::fast::fast)) records of an EHLO reply's
//! capability lines (RFC 5321 §4.1.1.1 `ehlo-line`): their lengths and kinds, the first
//! `SIZE` value (RFC 1870 §4) and where the `AUTH` lines are (RFC 4954 §3).

use super::{Capability, Extension};

/// What the one-pass parse ([`fast`](super::fast::fast)) learns of the capability lines on its way:
/// a table of their lengths and kinds, the value of the first `SIZE` line and where the
/// `AUTH` lines are, so that the typed view and the lookups answer from it without scanning
/// or reading the text again. It only caches what the wire text says: a value built
/// otherwise (the full parser, the builders), or a reply whose lines do not fit the table,
/// leaves it unfilled, and the lookups then walk the lines; both give the same answers
/// (`tests/ehlo_index.rs`, and a debug assertion on every reply the one-pass parse accepts).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Index {
    /// Whether the table describes every capability line.
    pub(crate) filled: bool,
    /// How many capability lines there are (at most [`TABLE`] when filled).
    pub(crate) lines: u8,
    /// Where the capability lines start in the wire text.
    pub(crate) caps: u32,
    /// Each capability line: the length of its text (the low octet, at most 255), and its
    /// kind (the high octet, see [`kind_of`]): [`AUTH_LEGACY`] for the legacy `AUTH=`
    /// spelling, 0 for another keyword.
    pub(crate) table: [u16; TABLE],
    /// The value of the first `SIZE` line (RFC 1870 §4: `None` when it has none, or when
    /// there is no `SIZE` line).
    pub(crate) size: Option<u64>,
    /// Where the first `AUTH` line (either spelling) starts in the wire text (its code), 0
    /// when there is none (the first line is the server's).
    pub(crate) auth: u32,
    /// The length of the text of that line.
    pub(crate) auth_len: u8,
    /// Whether another `AUTH` line follows it.
    pub(crate) auth_more: bool,
}

/// How many capability lines [`Index`] describes (a reply has a dozen, seldom more).
pub(crate) const TABLE: usize = 16;

/// The kind of an `AUTH=` line in [`Index::table`] (RFC 4954 §3 names only `AUTH` SP; servers
/// still send the pre-standard spelling for old clients).
pub(crate) const AUTH_LEGACY: u8 = 0xff;

/// How many kinds in [`Index::table`] name an extension without parameters (kinds 1 to
/// this): [`unit()`] types them without reading the line.
pub(crate) const UNITS: u8 = 14;

/// The kind of `ext` in [`Index::table`]: the extensions that take no parameters first (1 to
/// [`UNITS`]), then `SIZE`, `AUTH` and the others (0 is a keyword this crate does not type,
/// [`AUTH_LEGACY`] the legacy `AUTH=`).
#[inline(always)]
pub(crate) const fn kind_of(ext: Extension) -> u8 {
    match ext {
        Extension::EightBitMime => 1,
        Extension::BinaryMime => 2,
        Extension::Chunking => 3,
        Extension::Pipelining => 4,
        Extension::StartTls => 5,
        Extension::SmtpUtf8 => 6,
        Extension::EnhancedStatusCodes => 7,
        Extension::Dsn => 8,
        Extension::Etrn => 9,
        Extension::Expn => 10,
        Extension::Vrfy => 11,
        Extension::Help => 12,
        Extension::RequireTls => 13,
        Extension::Rrvs => 14,
        Extension::Size => 15,
        Extension::Auth => 16,
        Extension::DeliverBy => 17,
        Extension::MtPriority => 18,
        Extension::FutureRelease => 19,
        Extension::Limits => 20,
        Extension::Burl => 21,
        Extension::NoSoliciting => 22,
    }
}

/// The extension of each kind of [`Index::table`] below 23 (the inverse of [`kind_of`]).
pub(super) const EXTENSION_OF: [Option<Extension>; 23] = {
    let mut all = [None; 23];
    let mut k = 0;
    while k < Extension::ALL.len() {
        // `kind_of` is below 23 and `k` below the length of `ALL`: a compile-time index.
        #[allow(clippy::indexing_slicing)]
        {
            all[kind_of(Extension::ALL[k]) as usize] = Some(Extension::ALL[k]);
        }
        k += 1;
    }
    all
};

/// The capability of a kind from 1 to [`UNITS`] (an extension without parameters; its
/// line is its keyword alone, RFC 5321 §4.1.1.1).
#[inline(always)]
pub(super) fn unit(kind: u8) -> Capability<'static> {
    match kind {
        1 => Capability::EightBitMime,
        2 => Capability::BinaryMime,
        3 => Capability::Chunking,
        4 => Capability::Pipelining,
        5 => Capability::StartTls,
        6 => Capability::SmtpUtf8,
        7 => Capability::EnhancedStatusCodes,
        8 => Capability::Dsn,
        9 => Capability::Etrn,
        10 => Capability::Expn,
        11 => Capability::Vrfy,
        12 => Capability::Help,
        13 => Capability::RequireTls,
        _ => Capability::Rrvs,
    }
}

impl Index {
    /// The capability lines the table describes: where each starts in the wire text (its
    /// code), the length of its text, and its kind.
    #[inline]
    pub(super) fn entries(&self) -> impl Iterator<Item = (usize, usize, u8)> + '_ {
        let n = usize::from(self.lines);
        self.table.iter().take(n).scan(self.caps as usize, |at, &e| {
            let here = *at;
            let len = usize::from(e & 0xff);
            *at += len + 6;
            Some((here, len, (e >> 8) as u8))
        })
    }

    /// The first line of `ext` (`AUTH` in either spelling).
    #[inline]
    pub(super) fn first(&self, ext: Extension) -> Option<(usize, usize, u8)> {
        let k = kind_of(ext);
        let auth = ext == Extension::Auth;
        self.entries().find(|&(_, _, kind)| kind == k || (auth && kind == AUTH_LEGACY))
    }
}

#[cfg(test)]
mod tests {
    use super::super::capability::capability;
    use super::{Capability, EXTENSION_OF, Extension, UNITS, kind_of, unit};

    /// The kinds of the index name each extension once, those up to `UNITS` the extensions
    /// whose line is the keyword alone, and `unit` types each of them as its extension.
    #[test]
    fn kinds_are_the_extensions() {
        for ext in Extension::ALL {
            let kind = kind_of(ext);
            assert_eq!(EXTENSION_OF.get(usize::from(kind)).copied().flatten(), Some(ext));
            let line = ext.keyword().as_bytes();
            let alone = capability(line);
            let without = matches!(
                alone,
                Capability::EightBitMime
                    | Capability::BinaryMime
                    | Capability::Chunking
                    | Capability::Pipelining
                    | Capability::StartTls
                    | Capability::SmtpUtf8
                    | Capability::EnhancedStatusCodes
                    | Capability::Dsn
                    | Capability::Etrn
                    | Capability::Expn
                    | Capability::Vrfy
                    | Capability::Help
                    | Capability::RequireTls
                    | Capability::Rrvs
            );
            assert_eq!((1..=UNITS).contains(&kind), without, "{ext}");
            if without {
                assert_eq!(unit(kind), alone, "{ext}");
            }
        }
        assert_eq!(EXTENSION_OF.first(), Some(&None));
    }
}
