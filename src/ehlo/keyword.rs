//! The service extensions this crate types ([`Extension`]), and which one an EHLO keyword
//! names: one length-and-integer comparison.

use core::fmt;

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

/// The known keyword `kw` (case-insensitive): the length and one integer comparison for the
/// first eight octets, one more for the last eight of a longer keyword (two for the 19 octets
/// of `ENHANCEDSTATUSCODES`). No string is compared.
///
/// `kw` must be a keyword the grammar accepted (`ALPHA / DIGIT / "-" / "_"`): for other octets
/// the folding can make two words equal (0x18 folds onto `8`); [`Extension::from_keyword`]
/// checks its caller's text exactly.
#[inline(always)]
pub(crate) fn extension(kw: &[u8]) -> Option<Extension> {
    const DSN: u64 = fold8(b"DSN");
    const SIZE: u64 = fold8(b"SIZE");
    const AUTH: u64 = fold8(b"AUTH");
    const ETRN: u64 = fold8(b"ETRN");
    const EXPN: u64 = fold8(b"EXPN");
    const VRFY: u64 = fold8(b"VRFY");
    const HELP: u64 = fold8(b"HELP");
    const BURL: u64 = fold8(b"BURL");
    const RRVS: u64 = fold8(b"RRVS");
    const LIMITS: u64 = fold8(b"LIMITS");
    const EIGHTBITMIME: u64 = fold8(b"8BITMIME");
    const CHUNKING: u64 = fold8(b"CHUNKING");
    const STARTTLS: u64 = fold8(b"STARTTLS");
    const SMTPUTF8: u64 = fold8(b"SMTPUTF8");
    const DELIVERB: u64 = fold8(b"DELIVERB");
    const BINARYMI: u64 = fold8(b"BINARYMI");
    const PIPELINI: u64 = fold8(b"PIPELINI");
    const REQUIRET: u64 = fold8(b"REQUIRET");
    const MT_PRIOR: u64 = fold8(b"MT-PRIOR");
    const FUTURERE: u64 = fold8(b"FUTURERE");
    const NO_SOLIC: u64 = fold8(b"NO-SOLIC");
    const ENHANCED: u64 = fold8(b"ENHANCED");
    // The last eight octets of the longer keywords (overlapping the first eight).
    const ELIVERBY: u64 = fold8(b"ELIVERBY");
    const NARYMIME: u64 = fold8(b"NARYMIME");
    const PELINING: u64 = fold8(b"PELINING");
    const QUIRETLS: u64 = fold8(b"QUIRETLS");
    const PRIORITY: u64 = fold8(b"PRIORITY");
    const ERELEASE: u64 = fold8(b"ERELEASE");
    const LICITING: u64 = fold8(b"LICITING");
    const STATUSCO: u64 = fold8(b"STATUSCO");
    const TUSCODES: u64 = fold8(b"TUSCODES");
    let back = || fold_back(kw);
    Some(match (kw.len(), fold_front(kw)) {
        (3, DSN) => Extension::Dsn,
        (4, SIZE) => Extension::Size,
        (4, AUTH) => Extension::Auth,
        (4, ETRN) => Extension::Etrn,
        (4, EXPN) => Extension::Expn,
        (4, VRFY) => Extension::Vrfy,
        (4, HELP) => Extension::Help,
        (4, BURL) => Extension::Burl,
        (4, RRVS) => Extension::Rrvs,
        (6, LIMITS) => Extension::Limits,
        (8, EIGHTBITMIME) => Extension::EightBitMime,
        (8, CHUNKING) => Extension::Chunking,
        (8, STARTTLS) => Extension::StartTls,
        (8, SMTPUTF8) => Extension::SmtpUtf8,
        (9, DELIVERB) if back() == ELIVERBY => Extension::DeliverBy,
        (10, BINARYMI) if back() == NARYMIME => Extension::BinaryMime,
        (10, PIPELINI) if back() == PELINING => Extension::Pipelining,
        (10, REQUIRET) if back() == QUIRETLS => Extension::RequireTls,
        (11, MT_PRIOR) if back() == PRIORITY => Extension::MtPriority,
        (13, FUTURERE) if back() == ERELEASE => Extension::FutureRelease,
        (13, NO_SOLIC) if back() == LICITING => Extension::NoSoliciting,
        (19, ENHANCED) if back() == TUSCODES && fold_front(kw.get(8..).unwrap_or(&[])) == STATUSCO => {
            Extension::EnhancedStatusCodes
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use alloc::string::String;

    use super::{Extension, extension};

    /// Every keyword in both cases is found; any one octet changed to another keyword octet,
    /// or one octet more or less, is not that keyword.
    #[test]
    fn dispatch_is_exact() {
        const OCTETS: &[u8] = b"AZaz09-_";
        for ext in Extension::ALL {
            let kw = ext.keyword().as_bytes();
            assert_eq!(extension(kw), Some(ext));
            assert_eq!(extension(&kw.to_ascii_lowercase()), Some(ext));
            for i in 0..kw.len() {
                for &c in OCTETS.iter().filter(|&&c| !c.eq_ignore_ascii_case(&kw[i])) {
                    let mut w = kw.to_vec();
                    w[i] = c;
                    assert_ne!(extension(&w), Some(ext), "{}", String::from_utf8_lossy(&w));
                }
            }
            assert_ne!(extension(&kw[..kw.len() - 1]), Some(ext));
            assert_ne!(extension(&[kw, b"S"].concat()), Some(ext));
        }
    }
}
