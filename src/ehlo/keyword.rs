//! The service extensions this crate types ([`Extension`]), and which one an EHLO keyword
//! names: a perfect hash of its first eight octets, then a comparison of whole words.

use core::fmt;

use super::kind_of;
use crate::wire::swar::{fold_back, fold_front, fold8};

/// A service extension this crate types (the EHLO keywords of RFC 5321 and of the extensions
/// registered since). Used to ask an [`EhloReply`](crate::EhloReply) what it offers; unknown keywords are asked
/// with [`EhloReply::supports_keyword`](crate::EhloReply::supports_keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Extension {
    /// `SIZE` (RFC 1870)
    Size,
    /// `8BITMIME` (RFC 6152)
    EightBitMime,
    /// `BINARYMIME` (RFC 3030)
    BinaryMime,
    /// `CHUNKING` (RFC 3030): BDAT
    Chunking,
    /// `PIPELINING` (RFC 2920)
    Pipelining,
    /// `STARTTLS` (RFC 3207)
    StartTls,
    /// `SMTPUTF8` (RFC 6531)
    SmtpUtf8,
    /// `ENHANCEDSTATUSCODES` (RFC 2034)
    EnhancedStatusCodes,
    /// `DSN` (RFC 3461)
    Dsn,
    /// `AUTH` (RFC 4954), either spelling
    Auth,
    /// `DELIVERBY` (RFC 2852)
    DeliverBy,
    /// `ETRN` (RFC 1985)
    Etrn,
    /// `EXPN` (RFC 5321 §4.1.1.7)
    Expn,
    /// `VRFY` (RFC 5321 §4.1.1.6)
    Vrfy,
    /// `HELP` (RFC 5321 §4.1.1.8)
    Help,
    /// `REQUIRETLS` (RFC 8689)
    RequireTls,
    /// `MT-PRIORITY` (RFC 6710)
    MtPriority,
    /// `FUTURERELEASE` (RFC 4865)
    FutureRelease,
    /// `LIMITS` (RFC 9422)
    Limits,
    /// `BURL` (RFC 4468)
    Burl,
    /// `NO-SOLICITING` (RFC 3865)
    NoSoliciting,
    /// `RRVS` (RFC 7293)
    Rrvs,
}

impl Extension {
    /// Every extension, in declaration order.
    pub const ALL: [Self; 22] = [
        Self::Size,
        Self::EightBitMime,
        Self::BinaryMime,
        Self::Chunking,
        Self::Pipelining,
        Self::StartTls,
        Self::SmtpUtf8,
        Self::EnhancedStatusCodes,
        Self::Dsn,
        Self::Auth,
        Self::DeliverBy,
        Self::Etrn,
        Self::Expn,
        Self::Vrfy,
        Self::Help,
        Self::RequireTls,
        Self::MtPriority,
        Self::FutureRelease,
        Self::Limits,
        Self::Burl,
        Self::NoSoliciting,
        Self::Rrvs,
    ];

    /// The EHLO keyword, upper case.
    pub const fn keyword(self) -> &'static str {
        match self {
            Self::Size => "SIZE",
            Self::EightBitMime => "8BITMIME",
            Self::BinaryMime => "BINARYMIME",
            Self::Chunking => "CHUNKING",
            Self::Pipelining => "PIPELINING",
            Self::StartTls => "STARTTLS",
            Self::SmtpUtf8 => "SMTPUTF8",
            Self::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Self::Dsn => "DSN",
            Self::Auth => "AUTH",
            Self::DeliverBy => "DELIVERBY",
            Self::Etrn => "ETRN",
            Self::Expn => "EXPN",
            Self::Vrfy => "VRFY",
            Self::Help => "HELP",
            Self::RequireTls => "REQUIRETLS",
            Self::MtPriority => "MT-PRIORITY",
            Self::FutureRelease => "FUTURERELEASE",
            Self::Limits => "LIMITS",
            Self::Burl => "BURL",
            Self::NoSoliciting => "NO-SOLICITING",
            Self::Rrvs => "RRVS",
        }
    }

    /// The extension whose keyword is `keyword` (case-insensitive, RFC 5321 §2.4).
    pub fn from_keyword(keyword: &str) -> Option<Self> {
        extension(keyword.as_bytes()).filter(|e| e.keyword().eq_ignore_ascii_case(keyword))
    }
}

impl fmt::Display for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// The known keyword `kw` (case-insensitive): one multiplication picks the only extension it
/// can be from its first eight octets, folded ([`SLOTS`], a perfect hash of the 22 keywords),
/// and that one is compared whole: its length, its first and last eight octets folded, and
/// for the 19 octets of `ENHANCEDSTATUSCODES` the eight after the first. No string is
/// compared and no jump goes through a table.
///
/// Exact for any `kw` without an octet below 0x20: setting the 0x20 bit folds no other octet
/// onto a letter, digit or `-` of a known keyword. Below 0x20 it is not (0x18 folds onto `8`,
/// CR onto `-`); [`Extension::from_keyword`] checks its caller's text exactly.
#[inline(always)]
pub(crate) fn extension(kw: &[u8]) -> Option<Extension> {
    known(kw).map(|(ext, _)| ext)
}

/// [`extension`], with the extension's kind in the one-pass parse's line index
/// ([`kind_of`]), read from the same table.
#[inline(always)]
pub(crate) fn known(kw: &[u8]) -> Option<(Extension, u8)> {
    let front = fold_front(kw);
    let slot = SLOTS.get(slot_of(front)).and_then(Option::as_ref)?;
    if slot.front != front || slot.len != kw.len() {
        return None;
    }
    // A keyword of up to eight octets is its first eight; a longer one is compared further.
    let rest = |kw: &[u8]| {
        fold_back(kw) == slot.back && (kw.len() <= 16 || fold_front(kw.get(8..).unwrap_or(&[])) == slot.mid)
    };
    (kw.len() <= 8 || rest(kw)).then_some((slot.ext, slot.kind))
}

/// What [`extension`] compares a keyword with: the extension's keyword folded ([`fold8`]) in
/// words: its first eight octets, its last eight (all of it when shorter), and the eight
/// after the first eight (which the other two leave out only for a keyword over 16 octets).
#[derive(Debug, Clone, Copy)]
struct Slot {
    len: usize,
    front: u64,
    back: u64,
    mid: u64,
    ext: Extension,
    kind: u8,
}

/// The multiplier of [`slot_of`]: the first eight octets of the 22 keywords, folded, fall on
/// 22 different slots (found by trying multipliers; the table's construction checks it).
const MULTIPLIER: u64 = 0x547e_e20d_0043_95e7;

/// The slot of [`SLOTS`] for a keyword whose first eight octets fold to `front`.
#[inline(always)]
const fn slot_of(front: u64) -> usize {
    (front.wrapping_mul(MULTIPLIER) >> 59) as usize
}

/// Each extension at the slot of its keyword's first eight octets; a slot holds one at most
/// (checked when the table is built, so a multiplier that does not separate them all fails
/// the build).
const SLOTS: [Option<Slot>; 32] = {
    let mut slots: [Option<Slot>; 32] = [None; 32];
    let mut k = 0;
    while k < Extension::ALL.len() {
        // `k` is below the length of `ALL`, a slot below 32, the slices in range: all checked
        // at compile time.
        #[allow(clippy::indexing_slicing)]
        {
            let ext = Extension::ALL[k];
            let kw = ext.keyword().as_bytes();
            let n = kw.len();
            let back = if n > 8 { kw.split_at(n - 8).1 } else { kw };
            let mid = if n > 8 { kw.split_at(8).1 } else { &[] };
            let front = fold8(kw);
            let at = slot_of(front);
            assert!(slots[at].is_none(), "two keywords share a slot: change MULTIPLIER");
            slots[at] = Some(Slot { len: n, front, back: fold8(back), mid: fold8(mid), ext, kind: kind_of(ext) });
        }
        k += 1;
    }
    slots
};

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::{Extension, extension};

    /// What `extension` must say: the keyword, compared octet by octet in any case.
    fn named(w: &[u8]) -> Option<Extension> {
        Extension::ALL.into_iter().find(|e| e.keyword().as_bytes().eq_ignore_ascii_case(w))
    }

    /// Every keyword in both cases is found; any one octet changed to any octet from 0x20 up,
    /// one octet more or less, and words that share a keyword's first and last eight octets
    /// but not its length (`DELIVERBELIVERBY`) or its middle, name what a plain comparison
    /// says they name (nothing, or another keyword).
    #[test]
    fn dispatch_is_exact() {
        for ext in Extension::ALL {
            let kw = ext.keyword().as_bytes();
            assert_eq!(extension(kw), Some(ext));
            assert_eq!(extension(&kw.to_ascii_lowercase()), Some(ext));
            for i in 0..kw.len() {
                for c in 0x20..=0xff_u8 {
                    let mut w = kw.to_vec();
                    w[i] = c;
                    assert_eq!(extension(&w), named(&w), "{}", w.escape_ascii());
                }
            }
            let shorter = &kw[..kw.len() - 1];
            assert_eq!(extension(shorter), named(shorter));
            let longer = [kw, b"S"].concat();
            assert_eq!(extension(&longer), named(&longer));
            if kw.len() > 8 {
                // The first and last eight octets of the keyword, overlapping or not, at every
                // length from 8 to 24.
                let (front, back) = (&kw[..8], &kw[kw.len() - 8..]);
                for n in 8..=24 {
                    let mut w = alloc::vec![b'X'; n];
                    w[..8].copy_from_slice(front);
                    w[n - 8..].copy_from_slice(back);
                    assert_eq!(extension(&w), named(&w), "{}", w.escape_ascii());
                }
            }
        }
        assert_eq!(extension(b"DELIVERBELIVERBY"), None);
        assert_eq!(extension(b"ENHANCEDXXXXXXXXXTUSCODES"), None);
        assert_eq!(extension(b"ENHANCEDXXXTUSCODES"), None);
    }
}
