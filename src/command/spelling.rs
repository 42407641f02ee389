//! [`Spelling`]: how a command's fixed words were written, so that it re-encodes exactly.

use crate::wire::case_mask;

/// [`case_mask`] of a word of ASCII letters: bit `k` set when letter `k` is lower case.
///
/// For a letter, bit 5 (0x20) is exactly "lower case". The words a command holds (verbs of
/// 4 or 8 letters, `FROM`, `TO`, `LAST`) are loaded as one integer; the bit-5 flags, one per
/// octet, are then gathered into the low bits by one multiplication, whose partial products
/// land on distinct bits, so no carry disturbs the top octet that holds the mask.
#[inline]
fn letters_case_mask(word: &[u8]) -> u32 {
    let w = match *word {
        [] => return 0,
        [a, b] => u64::from(u16::from_le_bytes([a, b])),
        [a, b, c, d] => u64::from(u32::from_le_bytes([a, b, c, d])),
        [a, b, c, d, e, f, g, h] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => return case_mask(word),
    };
    let flags = (w >> 5) & 0x0101_0101_0101_0101;
    (flags.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

/// How the verb and the fixed keywords of a command were written on the wire.
///
/// SMTP verbs and keywords are case-insensitive (RFC 5321 §2.4), and
/// [`ParseOptions::with_space_after_colon`](crate::ParseOptions::with_space_after_colon) admits
/// a space in `MAIL FROM: <…>`. None of that changes the meaning of a command, but a codec
/// whose values must re-encode to the exact bytes they were parsed from has to remember it.
/// A `Spelling` does, in one integer: compare [`Command::body`](crate::Command::body) to ignore
/// it, compare whole [`Command`](crate::Command)s to include it.
///
/// ```
/// use smtp_wire::{Command, Encode, Spelling};
///
/// let cmd = Command::parse(b"mail From:<a@example.org>\r\n").unwrap();
/// assert!(!cmd.spelling().is_canonical());
/// assert_eq!(cmd.to_vec(), b"mail From:<a@example.org>\r\n");
/// let canonical = cmd.clone().with_spelling(Spelling::CANONICAL);
/// assert_eq!(canonical.to_vec(), b"MAIL FROM:<a@example.org>\r\n");
/// assert_eq!(canonical.body(), cmd.body());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Spelling(u32);

/// Bits 0..8: letters of the verb written in lower case.
const VERB_SHIFT: u32 = 0;
/// Bits 8..12: letters of the keyword (`FROM`, `TO`, `LAST`) written in lower case.
const WORD_SHIFT: u32 = 8;
/// Bit 16: one space after `FROM:` / `TO:`.
const SPACE_AFTER_COLON: u32 = 1 << 16;
/// Bits 17..22: leading zeros of the `BDAT` chunk size.
const ZEROS_SHIFT: u32 = 17;
const ZEROS_MASK: u32 = 0x1f;

impl Spelling {
    /// Upper-case verb and keywords, no optional spaces: how [`Command::new`] writes.
    ///
    /// [`Command::new`]: crate::Command::new
    pub const CANONICAL: Self = Self(0);

    /// Whether this is [`Spelling::CANONICAL`].
    pub const fn is_canonical(&self) -> bool {
        self.0 == 0
    }

    /// How many leading zeros the `BDAT` chunk size was written with (`BDAT 007`: 2).
    pub const fn leading_zeros(&self) -> u8 {
        ((self.0 >> ZEROS_SHIFT) & ZEROS_MASK) as u8
    }

    /// The same spelling with `n` leading zeros on the `BDAT` chunk size (at most 19: the size
    /// has at most 20 digits).
    #[must_use]
    pub const fn with_leading_zeros(self, n: u8) -> Self {
        let n = if n > 19 { 19 } else { n as u32 };
        Self((self.0 & !(ZEROS_MASK << ZEROS_SHIFT)) | (n << ZEROS_SHIFT))
    }

    /// Whether a space follows the colon of `FROM:` / `TO:`.
    pub const fn has_space_after_colon(&self) -> bool {
        self.0 & SPACE_AFTER_COLON != 0
    }

    /// The same spelling with the letters of the verb in the given case pattern: bit `k` set
    /// means letter `k` is lower case (bits past the verb's length are ignored).
    #[must_use]
    pub const fn with_verb_case(self, lower_mask: u8) -> Self {
        Self((self.0 & !(0xff << VERB_SHIFT)) | ((lower_mask as u32) << VERB_SHIFT))
    }

    /// The same spelling with the letters of the keyword (`FROM`, `TO`, `LAST`) in the given
    /// case pattern (bit `k`: letter `k` lower case).
    #[must_use]
    pub const fn with_keyword_case(self, lower_mask: u8) -> Self {
        Self((self.0 & !(0xf << WORD_SHIFT)) | (((lower_mask & 0xf) as u32) << WORD_SHIFT))
    }

    /// The same spelling with or without the space after the colon.
    #[must_use]
    pub const fn with_space_after_colon(self, on: bool) -> Self {
        if on { Self(self.0 | SPACE_AFTER_COLON) } else { Self(self.0 & !SPACE_AFTER_COLON) }
    }

    pub(crate) fn verb_mask(self) -> u32 {
        (self.0 >> VERB_SHIFT) & 0xff
    }

    pub(crate) fn word_mask(self) -> u32 {
        (self.0 >> WORD_SHIFT) & 0xf
    }

    /// The spelling of a verb and keyword made of letters only (the parser matched them).
    #[inline]
    pub(crate) fn from_parts(verb: &[u8], word: &[u8], space: bool) -> Self {
        let v = letters_case_mask(verb) & 0xff;
        let w = letters_case_mask(word) & 0xf;
        Self((v << VERB_SHIFT) | (w << WORD_SHIFT) | if space { SPACE_AFTER_COLON } else { 0 })
    }

    /// Keeps only the bits that a word of `verb_len` and `word_len` letters can use, so two
    /// spellings of the same text compare equal.
    pub(crate) fn masked(self, verb_len: usize, word_len: usize, colon: bool, zeros: bool) -> Self {
        let vm = if verb_len >= 8 { 0xff } else { (1u32 << verb_len) - 1 };
        let wm = if word_len >= 4 { 0xf } else { (1u32 << word_len) - 1 };
        let sp = if colon { SPACE_AFTER_COLON } else { 0 };
        let z = if zeros { ZEROS_MASK << ZEROS_SHIFT } else { 0 };
        Self(self.0 & ((vm << VERB_SHIFT) | (wm << WORD_SHIFT) | sp | z))
    }
}
