//! The common case of an EHLO reply read in one pass per line: each line is framed and its
//! text classed eight octets at a time (SWAR: word arithmetic, no `unsafe`, no vector set-up
//! for lines of 10 to 30 octets), and the keyword of a capability line is dispatched from the
//! same pass.
//!
//! This is an accelerator, not a second grammar: it answers only when the reply is plainly
//! well-formed under the same rules [`grammar`](super::grammar) applies (RFC 5321 §4.2 framing,
//! §4.1.1.1 `ehlo-line`, each extension's parameters through
//! [`check_capability`](super::check::check_capability)), and gives up (`None`) on anything
//! else: HT, controls, octets outside US-ASCII, a bare CR or LF, a line or reply over its
//! limit, a line the strict grammar refuses, a reply cut short. The full parser then reads
//! that input from the start, so every error, every tolerance of
//! [`ParseOptions`] and every offset is its own.

use super::check::{check_capability, digits};
use super::keyword::{Extension, known};
use super::{AUTH_LEGACY, Index, TABLE, UNITS, kind_of};
use crate::ParseOptions;
use crate::domain::Host;
use crate::domain::grammar::host;
use crate::framing::reply::line_limit;
use crate::wire::class::{self as abnf, MECH};
use crate::wire::swar::{alnum, flag_bits, load, not_printable, octets_eq};

/// The position of the first octet `B` in `s`, eight octets at a time (exact for any
/// octets): whole words, then the last eight octets of `s` (overlapping the words before,
/// which hold no `B`), or for a shorter `s` its first and last four, or its octets.
#[inline]
pub(crate) fn find_octet<const B: u8>(s: &[u8]) -> Option<usize> {
    let mut p = 0usize;
    while let Some(b) = s.get(p..).and_then(<[u8]>::first_chunk::<8>) {
        let m = octets_eq(u64::from_le_bytes(*b), B);
        if m != 0 {
            return Some(p + (m.trailing_zeros() / 8) as usize);
        }
        p += 8;
    }
    let n = s.len();
    if let Some(b) = s.last_chunk::<8>() {
        let m = octets_eq(u64::from_le_bytes(*b), B);
        return (m != 0).then(|| n - 8 + (m.trailing_zeros() / 8) as usize);
    }
    if let (Some(a), Some(z)) = (s.first_chunk::<4>(), s.last_chunk::<4>()) {
        let m = octets_eq(u64::from(u32::from_le_bytes(*a)) | u64::from(u32::from_le_bytes(*z)) << 32, B);
        // Octet `k` of the word is octet `k` of `s` (the first four), or `n + k - 8`.
        let k = (m.trailing_zeros() / 8) as usize;
        return (m != 0).then_some(if k < 4 { k } else { n + k - 8 });
    }
    s.iter().position(|&c| c == B)
}

/// The position of the first CR in `s` (see [`find_octet`]).
#[inline]
pub(crate) fn find_cr(s: &[u8]) -> Option<usize> {
    find_octet::<b'\r'>(s)
}

/// Where the line at the front of `s` ends (its first CR, or the end of `s`) and its first
/// SP before that, octet by octet: [`next_line`]'s end, on the fewer than eight octets its
/// words leave.
#[inline]
fn split_line(s: &[u8]) -> (usize, Option<usize>) {
    let end = s.iter().position(|&c| c == b'\r').unwrap_or(s.len());
    (end, s.get(..end).and_then(|l| l.iter().position(|&c| c == b' ')))
}

/// Where a line of a parsed reply ends and its first SP, word by word up to the first SP or CR:
/// the common capability line (a keyword of up to seven octets and its CRLF, or a keyword,
/// SP and a short parameter) is settled by its first word, and after a SP only the CR is
/// looked for.
#[inline(always)]
pub(crate) fn next_line(s: &[u8]) -> (usize, Option<usize>) {
    let mut p = 0usize;
    while let Some(b) = s.get(p..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*b);
        let c = octets_eq(w, b'\r').trailing_zeros();
        let q = octets_eq(w, b' ').trailing_zeros();
        if c < q {
            // A CR before any SP: the line has none.
            return (p + (c / 8) as usize, None);
        }
        if q < 64 {
            let sp = p + (q / 8) as usize;
            let end = if c < 64 {
                p + (c / 8) as usize
            } else {
                let after = s.get(p + 8..).unwrap_or(&[]);
                p + 8 + find_cr(after).unwrap_or(after.len())
            };
            return (end, Some(sp));
        }
        p += 8;
    }
    let (end, sp) = split_line(s.get(p..).unwrap_or(&[]));
    (p + end, sp.map(|n| p + n))
}

/// The text of each line of `rest`, whole lines of a parsed reply (code, separator, text,
/// CRLF; a CR is only ever the start of a CRLF there), found by [`find_cr`].
#[derive(Debug, Clone)]
pub(crate) struct TextLines<'a> {
    pub(crate) rest: &'a [u8],
}

impl<'a> Iterator for TextLines<'a> {
    type Item = &'a [u8];
    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let end = find_cr(self.rest).unwrap_or(self.rest.len());
        let text = self.rest.get(4..end).unwrap_or(&[]);
        self.rest = self.rest.get(end + 2..).unwrap_or(&[]);
        Some(text)
    }
}

/// The first octet of `s` outside `%x20-7E`, and the first SP of `s` (which may come after
/// it): one pass of words.
#[inline(always)]
fn class_line(s: &[u8]) -> (usize, usize) {
    let mut sp = usize::MAX;
    let mut words = s.chunks_exact(8);
    let mut p = 0usize;
    for c in words.by_ref() {
        let w = c.first_chunk::<8>().map_or(0, |b| u64::from_le_bytes(*b));
        let spaces = octets_eq(w, b' ');
        if sp == usize::MAX && spaces != 0 {
            sp = p + (spaces.trailing_zeros() / 8) as usize;
        }
        let bad = not_printable(w);
        if bad != 0 {
            return (p + (bad.trailing_zeros() / 8) as usize, sp);
        }
        p += 8;
    }
    // The last octets, padded with zeros (not printable).
    let w = load(words.remainder());
    let spaces = octets_eq(w, b' ');
    if sp == usize::MAX && spaces != 0 {
        sp = p + (spaces.trailing_zeros() / 8) as usize;
    }
    (p + (not_printable(w).trailing_zeros() / 8) as usize, sp)
}

/// The text of one line at the front of `s` (after its code and separator): where it ends
/// (the CR of its CRLF) and its first SP, if the line is printable US-ASCII ended by CRLF.
#[inline(always)]
fn text_line(s: &[u8]) -> Option<(usize, Option<usize>)> {
    let (end, sp) = class_line(s);
    match s.get(end..end + 2) {
        Some(b"\r\n") => Some((end, (sp < end).then_some(sp))),
        _ => None,
    }
}

/// Whether the capability line `t` (printable US-ASCII, `sp` its first SP) is well-formed
/// (RFC 5321 §4.1.1.1 and the grammar of a known keyword's parameters), as
/// [`check_capability`] would say: the keywords and parameters servers send every day are
/// settled here, the others by [`check_capability`] itself (`wide` is `t` and the octets
/// after it in the input, read in whole words). `Some` of the line's kind in
/// [`Index::table`] when it is, and of the value of a `SIZE` line that has one.
#[inline(always)]
fn capability_ok(t: &[u8], wide: &[u8], sp: Option<usize>) -> Option<(u8, Option<u64>)> {
    let (kw, params) = match sp {
        Some(n) => (t.get(..n).unwrap_or(t), t.get(n + 1..)),
        None => (t, None),
    };
    // `kw` has no octet below SP: the folded dispatch is exact on it (see `extension`, which
    // is exact for any octet from 0x20 up).
    const SIZE: u8 = kind_of(Extension::Size);
    const AUTH: u8 = kind_of(Extension::Auth);
    const FUTURE_RELEASE: u8 = kind_of(Extension::FutureRelease);
    const LIMITS: u8 = kind_of(Extension::Limits);
    let known = known(kw);
    // Decided on the kind's number (no jump through a table of the extensions).
    match (known.map(|(_, kind)| kind), params) {
        // "SIZE" SP 1*20DIGIT (RFC 1870 §4).
        (Some(SIZE), Some(p)) => Some((SIZE, Some(digits(p, 20)?))),
        // "AUTH" *(SP sasl-mech) (RFC 4954 §3): after a SP, at least one.
        (Some(AUTH), Some(p)) if mechanism_list(wide.get(t.len() - p.len()..).unwrap_or(p), p.len()) => {
            Some((AUTH, None))
        }
        // Keywords without parameters, but those that need them.
        (Some(FUTURE_RELEASE | LIMITS), None) => None,
        (Some(kind), None) => Some((kind, None)),
        _ => {
            check_capability(t).ok()?;
            Some((
                match known {
                    Some((_, kind)) => kind,
                    // The legacy `AUTH=` spelling (its keyword is `AUTH`, ended by the `=`).
                    None if t.get(..5).is_some_and(|k| k.eq_ignore_ascii_case(b"AUTH=")) => AUTH_LEGACY,
                    None => 0,
                },
                None,
            ))
        }
    }
}

/// Whether the first `n` octets of `s` (printable US-ASCII) are `sasl-mech *(SP sasl-mech)`,
/// `sasl-mech = 1*20mech-char` (RFC 4422 §3.1, lower case accepted): what
/// [`mechanisms`](super::check::mechanisms) accepts of a list that is not empty. A list of up
/// to 64 octets is checked eight octets at a time, one bit per octet (the octets of `s` past
/// `n`, which need not be US-ASCII, are cut off: a carry in `alnum` only runs to later
/// octets); a longer one octet by octet.
#[inline]
fn mechanism_list(s: &[u8], n: usize) -> bool {
    if n == 0 || n > 64 {
        return mechanism_octets(s.get(..n).unwrap_or(s));
    }
    let (mut good, mut spaces) = (0u64, 0u64);
    let mut k = 0;
    while k < n {
        let w = word_at(s, k);
        let sp = octets_eq(w, b' ');
        good |= u64::from(flag_bits(alnum(w) | octets_eq(w, b'-') | octets_eq(w, b'_') | sp)) << k;
        spaces |= u64::from(flag_bits(sp)) << k;
        k += 8;
    }
    let all = u64::MAX >> (64 - n);
    let spaces = spaces & all;
    // Runs of name octets: bit `i` of `four` is set when octets `i` to `i + 3` are name
    // octets, of `sixteen` when `i` to `i + 15` are, of `longer` when `i` to `i + 20` are.
    let names = !spaces & all;
    let two = names & names >> 1;
    let four = two & two >> 2;
    let sixteen = four & four >> 4 & four >> 8 & four >> 12;
    let longer = sixteen & four >> 16 & names >> 20;
    // Every octet a `mech-char` or SP; no SP first, last or after another; no run of 21.
    good & all == all && spaces & (1 | 1 << (n - 1) | spaces >> 1) == 0 && longer == 0
}

/// [`mechanism_list`] octet by octet.
fn mechanism_octets(p: &[u8]) -> bool {
    let mut run = 0usize;
    for &c in p {
        if c == b' ' {
            if run == 0 {
                return false;
            }
            run = 0;
        } else if run < 20 && abnf::is(c, MECH) {
            run += 1;
        } else {
            return false;
        }
    }
    run != 0
}

/// The eight octets of `s` from `k` in one word (the first in the lowest octet), padded with
/// zeros past the end of `s`.
#[inline(always)]
fn word_at(s: &[u8], k: usize) -> u64 {
    match s.get(k..).and_then(<[u8]>::first_chunk::<8>) {
        Some(b) => u64::from_le_bytes(*b),
        None => load(s.get(k..).unwrap_or(&[])),
    }
}

/// Reads the EHLO reply at the front of `buf` if it is plainly well-formed (see the module
/// docs): the length of the host in the first line's text, whether it is an address literal,
/// the length of the reply, and the [`Index`] of its capability lines. `None` leaves the
/// answer to the full parser.
pub(crate) fn fast(buf: &[u8], opts: &ParseOptions) -> Option<(usize, bool, usize, Index)> {
    const MORE: u32 = u32::from_le_bytes(*b"250-");
    const LAST: u32 = u32::from_le_bytes(*b"250 ");
    let limit = line_limit(false, opts);
    let max_lines = opts.limits().reply_lines().max(1);
    let mut start = 0usize;
    let mut index = 0usize;
    let mut first = (0usize, false);
    // Offsets in the index are `u32`: a longer reply (never, under sane limits) is left to the
    // full parser.
    let buf = buf.get(..buf.len().min(u32::MAX as usize))?;
    let mut idx = Index { filled: true, ..Index::default() };
    // Whether a `SIZE` line was read (the index keeps the first one's value).
    let mut sized = false;
    loop {
        let rest = buf.get(start..)?;
        let last = match rest.first_chunk::<4>().map(|c| u32::from_le_bytes(*c)) {
            Some(LAST) => true,
            Some(MORE) if index + 1 < max_lines => false,
            _ => return None,
        };
        let s = rest.get(4..)?;
        let (end, sp) = text_line(s)?;
        if end + 6 > limit {
            return None;
        }
        let t = s.get(..end)?;
        if index == 0 {
            // `Domain [SP ehlo-greet]`; an address literal is accepted too. A plain ASCII
            // domain by the domain grammar's one pass, the others by the grammar.
            let n = sp.unwrap_or(end);
            first = if crate::domain::grammar::ascii_domain(s, opts.limits().domain()) == Some(n) {
                (n, false)
            } else {
                let (after, h) = host(t, opts).ok()?;
                (t.len() - after.len(), matches!(h, Host::Literal(_)))
            };
            match t.get(first.0..).and_then(<[u8]>::split_first) {
                None => {}
                Some((b' ', greet)) if !greet.is_empty() => {}
                _ => return None,
            }
            idx.caps = (start + end + 6) as u32;
        } else {
            let (kind, value) = capability_ok(t, s, sp)?;
            // The line's place in the table; a reply with more lines, or a longer line,
            // leaves the index unfilled.
            match idx.table.get_mut(index - 1) {
                Some(e) if end <= 255 => *e = end as u16 | u16::from(kind) << 8,
                _ => idx.filled = false,
            }
            if kind > UNITS {
                // `SIZE`, `AUTH` or another extension with parameters (not a keyword alone).
                const SIZE: u8 = kind_of(Extension::Size);
                const AUTH: u8 = kind_of(Extension::Auth);
                match kind {
                    SIZE if !sized => (idx.size, sized) = (value, true),
                    AUTH | AUTH_LEGACY if idx.auth == 0 => (idx.auth, idx.auth_len) = (start as u32, end as u8),
                    AUTH | AUTH_LEGACY => idx.auth_more = true,
                    _ => {}
                }
            }
        }
        start += end + 6;
        index += 1;
        if last {
            idx.lines = (index - 1).min(TABLE) as u8;
            return Some((first.0, first.1, start, idx));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::mechanisms;
    use super::{find_cr, mechanism_list};

    /// The one-pass list check says what `mechanisms` says of every list that is not empty.
    #[test]
    fn mechanism_list_is_mechanisms() {
        let names: [&[u8]; 9] = [
            b"PLAIN",
            b"a",
            b"X-OAUTH_2",
            b"",
            b"PL,AIN",
            b"ABCDEFGHIJKLMNOPQRST",
            b"ABCDEFGHIJKLMNOPQRSTU",
            b"\xc3",
            b"\t",
        ];
        for a in names {
            for b in names {
                for sep in [&b" "[..], b"  ", b""] {
                    let list = [a, sep, b].concat();
                    let want = !list.is_empty() && mechanisms(&list, false).is_ok();
                    assert_eq!(mechanism_list(&list, list.len()), want, "{list:?}");
                    // The words read past the list (octets of any value) change nothing.
                    let wide = [&list[..], b"\xff\x80 x\r\n"].concat();
                    assert_eq!(mechanism_list(&wide, list.len()), want, "{list:?}");
                }
            }
        }
    }

    /// The domain grammar's one pass, as the EHLO reader asks it (does the domain end where
    /// the host does?), says what the grammar says of every short string over letters,
    /// digits, `-`, `.` and `_`, and of long ones around the label and length limits.
    #[test]
    fn ascii_domain_is_the_grammar() {
        use crate::ParseOptions;
        use crate::domain::Host;
        use crate::domain::grammar::host;
        let opts = ParseOptions::default();
        let grammar = |h: &[u8], limit: usize| {
            let line = [h, b" hi\r\n"].concat();
            let ok = matches!(host(&line, &opts), Ok((rest, Host::Domain(_))) if rest.len() + h.len() == line.len());
            ok && h.len() <= limit
        };
        let check = |h: &[u8]| {
            let line = [h, b" hi\r\n"].concat();
            for limit in [255, 5] {
                let fast = crate::domain::grammar::ascii_domain(&line, limit) == Some(h.len());
                // Accepted by the one pass exactly as the grammar accepts it.
                assert_eq!(fast, grammar(h, limit), "{h:?}");
            }
        };
        const OCTETS: &[u8] = b"a9-._";
        for n in 0..=7u32 {
            for mut x in 0..5usize.pow(n) {
                let mut h = alloc::vec::Vec::new();
                for _ in 0..n {
                    h.push(*OCTETS.get(x % 5).unwrap_or(&b'a'));
                    x /= 5;
                }
                check(&h);
            }
        }
        for n in 55..70 {
            let label = alloc::vec![b'x'; n];
            check(&label);
            check(&[&label[..], b".com"].concat());
            check(&[b"a.", &label[..]].concat());
            for at in [0, 7, 8, 15, 16, n - 1] {
                let mut h = label.clone();
                if let Some(o) = h.get_mut(at) {
                    *o = b'.';
                }
                check(&h);
            }
        }
    }

    /// Long lists, around the 64 octets of the word-wise check and the 20 of a name.
    #[test]
    fn long_mechanism_lists() {
        for n in 1..=24usize {
            for total in 50..80usize {
                let name = alloc::vec![b'M'; n];
                let mut list = alloc::vec::Vec::new();
                while list.len() + n < total {
                    list.extend_from_slice(&name);
                    list.push(b' ');
                }
                list.extend_from_slice(&name);
                let want = mechanisms(&list, false).is_ok();
                assert_eq!(mechanism_list(&list, list.len()), want, "{n} {total}");
                for bad in [b"  ".as_slice(), b" ", b",", b"\x7f"] {
                    let mut l = list.clone();
                    l.splice(total / 2..total / 2 + 1, bad.iter().copied());
                    assert_eq!(mechanism_list(&l, l.len()), mechanisms(&l, false).is_ok(), "{l:?}");
                }
            }
        }
    }

    /// The first CR, found a word at a time, at every place (the masks themselves are tested
    /// in `wire::swar`).
    #[test]
    fn find_cr_at_every_place() {
        for n in 0..24usize {
            for at in 0..n {
                let mut s = alloc::vec![b'a'; n];
                if let Some(o) = s.get_mut(at) {
                    *o = b'\r';
                }
                assert_eq!(find_cr(&s), Some(at), "{n} {at}");
                // A later CR does not hide the first.
                for later in at + 1..n {
                    let mut t = s.clone();
                    if let Some(o) = t.get_mut(later) {
                        *o = b'\r';
                    }
                    assert_eq!(find_cr(&t), Some(at), "{n} {at} {later}");
                }
            }
        }
        assert_eq!(find_cr(b"0123456789\r\n"), Some(10));
        assert_eq!(find_cr(b"01\r"), Some(2));
        assert_eq!(find_cr(b"0123456789"), None);
    }
}
