//! Octet classes of RFC 5234, RFC 5321 and its extensions as 256-entry tables.
//!
//! One table lookup per octet: no branches on ranges in the hot loops.

/// `ALPHA` (RFC 5234 appendix B.1)
pub(crate) const ALPHA: u16 = 1 << 0;
/// `DIGIT`
pub(crate) const DIGIT: u16 = 1 << 1;
/// `atext` (RFC 5322 §3.2.3, used by RFC 5321 `Atom` and `Dot-string`)
pub(crate) const ATEXT: u16 = 1 << 2;
/// `qtextSMTP = %d32-33 / %d35-91 / %d93-126` (RFC 5321 §4.1.2)
pub(crate) const QTEXT: u16 = 1 << 3;
/// The octet after a backslash in `quoted-pairSMTP = %d92 %d32-126`
pub(crate) const QPAIR: u16 = 1 << 4;
/// `xchar`: `%d33-42 / %d44-60 / %d62-126` ("!" to "~" except "+" and "=", RFC 3461 §4)
pub(crate) const XCHAR: u16 = 1 << 5;
/// `esmtp-value` octets: `%d33-60 / %d62-126` (RFC 5321 §4.1.2)
pub(crate) const ESMTP_VALUE: u16 = 1 << 6;
/// `dcontent = %d33-90 / %d94-126` (general address literal content, RFC 5321 §4.1.3)
pub(crate) const DCONTENT: u16 = 1 << 7;
/// `Let-dig / "-"` (RFC 5321 §4.1.2 `Ldh-str`)
pub(crate) const LDH: u16 = 1 << 8;
/// `ALPHA / DIGIT / "-"` (`esmtp-keyword` tail; `ehlo-keyword` tail)
pub(crate) const KEYWORD: u16 = 1 << 9;
/// Base64 alphabet without padding (RFC 4648 §4)
pub(crate) const BASE64: u16 = 1 << 10;
/// `HEXDIG` (RFC 5234), both cases
pub(crate) const HEXDIG: u16 = 1 << 12;
/// SASL `mech-char` (RFC 4422 §3.1), lower case also accepted
pub(crate) const MECH: u16 = 1 << 13;
/// Text: `HT / %d32-126` (reply text, RFC 5321 §4.2; arguments of unknown commands)
pub(crate) const TEXT: u16 = 1 << 14;

const fn build() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0usize;
    while i < 256 {
        let c = i as u8;
        let mut f = 0u16;
        let alpha = c.is_ascii_alphabetic();
        let digit = c.is_ascii_digit();
        if alpha {
            f |= ALPHA;
        }
        if digit {
            f |= DIGIT;
        }
        if alpha || digit {
            f |= ATEXT | LDH | KEYWORD | BASE64 | MECH;
        }
        if matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        ) {
            f |= ATEXT;
        }
        if c == b'-' {
            f |= LDH | KEYWORD | MECH;
        }
        if c == b'_' {
            f |= MECH;
        }
        if c == b'+' || c == b'/' {
            f |= BASE64;
        }
        if (c >= 32 && c <= 33) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126) {
            f |= QTEXT;
        }
        if c >= 32 && c <= 126 {
            f |= QPAIR | TEXT;
        }
        if c == b'\t' {
            f |= TEXT;
        }
        if c >= 33 && c <= 126 && c != b'+' && c != b'=' {
            f |= XCHAR;
        }
        if c >= 33 && c <= 126 && c != b'=' {
            f |= ESMTP_VALUE;
        }
        if (c >= 33 && c <= 90) || (c >= 94 && c <= 126) {
            f |= DCONTENT;
        }
        if c.is_ascii_hexdigit() {
            f |= HEXDIG;
        }
        // `i < 256` by the loop condition.
        #[allow(clippy::indexing_slicing)]
        {
            t[i] = f;
        }
        i += 1;
    }
    t
}

static TABLE: [u16; 256] = build();

/// Whether octet `c` is in class `class`.
#[inline(always)]
pub(crate) fn is(c: u8, class: u16) -> bool {
    // A u8 always indexes a 256-entry table; the compiler drops the bounds check.
    TABLE.get(c as usize).is_some_and(|f| f & class != 0)
}

/// Length of the run at the front of `s` whose octets are in `class`.
#[inline]
pub(crate) fn span(s: &[u8], class: u16) -> usize {
    s.iter().position(|&c| !is(c, class)).unwrap_or(s.len())
}

/// Like [`span`], but octets above 0x7F also count when `utf8` is set (RFC 6531 extends
/// `atext`, `qtextSMTP`, `sub-domain` and `esmtp-value` with `UTF8-non-ascii`; well-formedness
/// is checked separately).
#[inline]
pub(crate) fn span_utf8(s: &[u8], class: u16, utf8: bool) -> usize {
    if utf8 { s.iter().position(|&c| !(c >= 0x80 || is(c, class))).unwrap_or(s.len()) } else { span(s, class) }
}
