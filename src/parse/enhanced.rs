//! Enhanced mail system status codes (RFC 3463 §2), as RFC 2034 §3 puts them at the start of
//! reply text.

use super::{PResult, expected};
use crate::types::EnhancedCode;

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
pub(crate) fn in_text(text: &str, reply_class: u8) -> Option<(EnhancedCode, &str)> {
    let (code, n) = prefix(text.as_bytes())?;
    if code.class() != reply_class {
        return None;
    }
    match text.as_bytes().get(n) {
        None => Some((code, "")),
        Some(b' ') => Some((code, text.get(n + 1..).unwrap_or(""))),
        Some(_) => None,
    }
}

/// Exactly one enhanced code, nothing after it.
pub(crate) fn whole(i: &[u8]) -> PResult<'_, EnhancedCode> {
    match prefix(i) {
        Some((code, n)) => Ok((i.get(n..).unwrap_or(&[]), code)),
        None => expected(i, "enhanced status code (class.subject.detail, RFC 3463)"),
    }
}
