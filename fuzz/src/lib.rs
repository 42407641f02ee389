//! Shared pieces of the fuzz targets: the option sets every parser is run under, the oracles
//! every parseable value is held to (generic over [`Parse`], [`ParsePrefix`] and [`Encode`]),
//! and the configuration and split points of the body targets.

use core::cell::Cell;
use core::fmt::Debug;

use smtp_wire::framing::{BareLineEnds, BodyConfig};
use smtp_wire::{Encode, Limits, Parse, ParseError, ParseOptions, ParsePrefix, Status};

/// Strict defaults, SMTPUTF8 on, and every leniency on with long lines: each parser runs
/// under all three, so a leniency cannot hide a crash that strict mode would reach.
pub fn option_sets() -> [ParseOptions; 3] {
    [
        ParseOptions::default(),
        ParseOptions::default().with_smtputf8(true),
        ParseOptions::default()
            .with_smtputf8(true)
            .with_space_after_colon(true)
            .with_exact_parameter_repeats(true)
            .with_utf8_envelope(true)
            .with_malformed_capabilities(true)
            .with_loose_reply_text(true)
            .with_limits(Limits::default().with_command_line(8192)),
    ]
}

/// Strict, SMTPUTF8, SMTPUTF8 with `limits` small enough for a fuzzer to reach (reply line
/// length, line count), and the reply leniencies (malformed capabilities, loose text; without
/// SMTPUTF8, so that UTF-8 comes in through the leniency) with the same limits.
pub fn small_limit_sets(limits: Limits) -> [ParseOptions; 4] {
    let utf8 = ParseOptions::default().with_smtputf8(true);
    let tolerant = ParseOptions::default().with_malformed_capabilities(true).with_loose_reply_text(true);
    [ParseOptions::default(), utf8, utf8.with_limits(limits), tolerant.with_limits(limits)]
}

/// `opts` without the reply leniencies: what a strict reader with the same limits and session
/// state accepts must be accepted, and read the same, by a tolerant one.
pub fn without_reply_leniencies(opts: &ParseOptions) -> ParseOptions {
    opts.with_malformed_capabilities(false).with_loose_reply_text(false)
}

/// The most permissive set: what constructed values are parsed back with.
pub fn permissive() -> ParseOptions {
    option_sets()[2]
}

/// A value type as a family over the lifetime of the input it borrows (`Command<'static>`
/// stands for every `Command<'a>`), so that an oracle can parse octets of its own buffer and
/// compare the result with a value borrowed from elsewhere.
pub trait Value {
    /// The value borrowing from input that lives for `'a`.
    type At<'a>: Encode + Debug + PartialEq;

    /// The value as one borrowing for less (the types are covariant; a generic projection is
    /// not known to be).
    fn shorten<'s, 'l: 's>(v: &'s Self::At<'l>) -> &'s Self::At<'s>;
}

macro_rules! values {
    ($($t:ident),* $(,)?) => {$(
        impl Value for smtp_wire::$t<'static> {
            type At<'a> = smtp_wire::$t<'a>;
            fn shorten<'s, 'l: 's>(v: &'s Self::At<'l>) -> &'s Self::At<'s> {
                v
            }
        }
    )*};
}

values!(
    Command,
    AuthResponse,
    Reply,
    SaslChallenge,
    EhloReply,
    Params,
    ReversePath,
    ForwardPath,
    Mailbox,
    Path,
    LocalPart,
    Domain,
    Host,
    AddressLiteral,
);

/// The re-encoding of an accepted input is exactly the input, into a buffer of its exact size
/// and into one with room to spare after other octets, and the length estimate agrees.
pub fn assert_exact<T: Encode + Debug>(value: &T, input: &[u8]) {
    let out = value.to_vec();
    assert_eq!(value.encoded_len(), out.len(), "encoded_len disagrees for {value:?}");
    assert!(
        out == input,
        "re-encoding differs:\n in: {}\nout: {}\nvalue: {value:?}",
        input.escape_ascii(),
        out.escape_ascii()
    );
    // After other octets, into a buffer with room to spare (where a command is written in
    // place rather than piece by piece): the same octets.
    let mut roomy = Vec::with_capacity(1 + out.len() + 1024);
    roomy.push(b'x');
    value.encode(&mut roomy);
    assert!(roomy[1..] == out[..], "encoding with room differs:\n{}\n{}", roomy.escape_ascii(), out.escape_ascii());
}

/// Oracle 1 with any exact parser of `T`: an accepted input re-encodes to exactly its octets
/// (`encoded_len` agrees) and those parse back equal; a refusal's offset is within the input.
/// Returns the value for the target's own checks.
pub fn exact_by<'a, T: Value>(
    data: &'a [u8],
    parse: impl for<'b> Fn(&'b [u8]) -> Result<T::At<'b>, ParseError>,
) -> Option<T::At<'a>> {
    match parse(data) {
        Ok(value) => {
            assert_exact(&value, data);
            let again = value.to_vec();
            assert_eq!(parse(&again).as_ref(), Ok(T::shorten(&value)), "re-parse of {}", again.escape_ascii());
            Some(value)
        }
        Err(e) => {
            assert!(e.offset() <= data.len(), "offset {} past {} in {}", e.offset(), data.len(), data.escape_ascii());
            None
        }
    }
}

/// Oracle 1 through [`Parse::parse_with`].
pub fn exact<'a, T: Value>(data: &'a [u8], opts: &ParseOptions) -> Option<T::At<'a>>
where
    for<'b> T::At<'b>: Parse<'b>,
{
    exact_by::<T>(data, |input| <T::At<'_> as Parse<'_>>::parse_with(input, opts))
}

/// The prefix oracles for a value the wire frames on its own. `parse_prefix` agrees with
/// `parse` on the first value (consumed within the input); an input that is exactly one value
/// is taken whole (so `Incomplete` never comes for a complete value); an error's offset is
/// within the input; and answers are final: a reader fed the input in reads of any sizes gets,
/// at its first answer other than `Incomplete`, the answer for the whole input. Checked at
/// every prefix of inputs up to 600 octets (one octet at a time; quadratic), and at every line
/// end beyond. Returns the answer for the whole input.
pub fn prefix<'a, T: Value>(data: &'a [u8], opts: &ParseOptions) -> Result<Status<T::At<'a>>, ParseError>
where
    for<'b> T::At<'b>: ParsePrefix<'b>,
{
    prefix_at::<T>(data, opts, |k| k <= 600 || data[k - 1] == b'\n')
}

/// [`prefix`], with finality checked at the prefixes of the lengths `cut` selects.
pub fn prefix_at<'a, T: Value>(
    data: &'a [u8],
    opts: &ParseOptions,
    cut: impl Fn(usize) -> bool,
) -> Result<Status<T::At<'a>>, ParseError>
where
    for<'b> T::At<'b>: ParsePrefix<'b>,
{
    let first = |k: usize| <T::At<'a> as ParsePrefix<'a>>::parse_prefix_with(&data[..k], opts);
    let whole = first(data.len());
    match &whole {
        Ok(Status::Complete { value, consumed }) => {
            assert!(0 < *consumed && *consumed <= data.len(), "consumed {consumed} of {}", data.len());
            let exact = <T::At<'a> as Parse<'a>>::parse_with(&data[..*consumed], opts);
            assert_eq!(exact.as_ref(), Ok(value), "first value of {}", data.escape_ascii());
        }
        Ok(Status::Incomplete) => {}
        Err(e) => assert!(e.offset() <= data.len(), "offset {} past {}", e.offset(), data.len()),
    }
    if let Ok(value) = <T::At<'a> as Parse<'a>>::parse_with(data, opts) {
        let taken = Ok(Status::Complete { value, consumed: data.len() });
        assert_eq!(whole, taken, "one value, not taken whole: {}", data.escape_ascii());
    }
    for k in (0..data.len()).filter(|&k| cut(k)) {
        match first(k) {
            Ok(Status::Incomplete) => {}
            answer => {
                assert_eq!(answer, whole, "prefix {k} of {}", data.escape_ascii());
                break;
            }
        }
    }
    whole
}

/// Oracle 2: a constructed value encodes (`encoded_len` agrees) to octets that parse back
/// under `opts` to the same value and re-encode exactly.
pub fn roundtrip<T: Value>(value: &T::At<'_>, opts: &ParseOptions)
where
    for<'b> T::At<'b>: Parse<'b>,
{
    let bytes = value.to_vec();
    assert_eq!(value.encoded_len(), bytes.len(), "encoded_len disagrees for {value:?}");
    match <T::At<'_> as Parse<'_>>::parse_with(&bytes, opts) {
        Ok(back) => {
            assert_eq!(&back, T::shorten(value), "{}", bytes.escape_ascii());
            assert_exact(&back, &bytes);
        }
        Err(e) => panic!("constructed value does not parse: {e}: {}", bytes.escape_ascii()),
    }
}

/// Oracle 2 and the prefix oracles for a framed value: sent twice in a row, the first
/// `parse_prefix` answer is the value, taking exactly its own octets, and shorter prefixes
/// are `Incomplete`. Checked at the shorter prefixes that end in the first 16 octets, at a
/// line end (before the CR, between CR and LF), in the first 4 octets of a line (a reply's
/// code and separator), inside a multi-octet UTF-8 character or at every 16th octet, from the
/// shortest on, while the octets they re-scan add up to at most 8 KiB (constructed values run
/// long, and the check is quadratic). Returns the value's octets.
pub fn roundtrip_framed<T: Value>(value: &T::At<'_>, opts: &ParseOptions) -> Vec<u8>
where
    for<'b> T::At<'b>: ParsePrefix<'b>,
{
    roundtrip::<T>(value, opts);
    let bytes = value.to_vec();
    let twice = [bytes.as_slice(), &bytes].concat();
    let scanned = Cell::new(0usize);
    let cut = |k: usize| {
        let boundary = || matches!(twice[k], b'\r' | b'\n' | 0x80..=0xbf) || twice[k - 4..k].contains(&b'\n');
        (k < 16 || k % 16 == 0 || boundary()) && {
            scanned.set(scanned.get() + k);
            scanned.get() <= 8 << 10
        }
    };
    match prefix_at::<T>(&twice, opts, cut) {
        Ok(Status::Complete { value: first, consumed }) => {
            assert_eq!(consumed, bytes.len(), "{}", twice.escape_ascii());
            assert_eq!(&first, T::shorten(value));
        }
        other => panic!("{other:?} for {}", twice.escape_ascii()),
    }
    bytes
}

/// A body decoder configuration from two fuzz bytes: every policy, line limits small enough
/// to be reached (3..=66, 1000, none) and size limits small enough to be reached.
pub fn body_config(sel: u8, size: u16) -> BodyConfig {
    let policy = match sel % 3 {
        0 => BareLineEnds::Reject,
        1 => BareLineEnds::Normalize,
        _ => BareLineEnds::Allow,
    };
    let max_line = match (sel >> 2) % 4 {
        0 => Some(1000),
        1 => None,
        _ => Some(3 + usize::from(sel >> 4) * 4),
    };
    let max_size = ((sel >> 6) & 1 == 1).then_some(u64::from(size % 512));
    BodyConfig::default().with_bare_line_ends(policy).with_max_line(max_line).with_max_size(max_size)
}

/// Cut points from fuzz bytes: each byte is the length of the next piece (0 allowed).
pub fn cuts(splits: &[u8], len: usize) -> Vec<usize> {
    let mut at = 0usize;
    let mut v = Vec::new();
    for &s in splits {
        at += usize::from(s);
        if at > len {
            break;
        }
        v.push(at);
    }
    v
}

/// Cut points for feeding `len` octets one at a time.
pub fn every_octet(len: usize) -> Vec<usize> {
    (1..len).collect()
}

/// A tape of fuzzer-chosen octets, read one at a time; a default once it runs out.
pub struct Tape<'a>(pub &'a [u8]);

impl Tape<'_> {
    /// The next octet, or `default` when the tape is empty.
    pub fn next(&mut self, default: u8) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => default,
        }
    }
}

/// The octets behind the escaped text a reply's `Display` writes (`\\`, `\xNN`, `\u{N}`
/// undone); `None` if `shown` is not such text (a lone `\`, a bad escape).
pub fn unescape_shown(shown: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(shown.len());
    let mut chars = shown.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next()? {
            '\\' => out.push(b'\\'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).ok()?);
            }
            'u' => {
                if chars.next()? != '{' {
                    return None;
                }
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The views of reply text agree with its octets: the `str` views are the whole text when it
/// is UTF-8 and empty when it is not, the lossy view is `String::from_utf8_lossy` of it.
pub fn assert_text_views(octets: &[u8], text: &str, lossy: &str) {
    match core::str::from_utf8(octets) {
        Ok(t) => assert_eq!((text, lossy), (t, t)),
        Err(_) => {
            assert_eq!(text, "");
            assert_eq!(lossy, String::from_utf8_lossy(octets));
        }
    }
}

/// What a reply's `Display` writes: no control character but HT and the `\n` between lines,
/// and, unescaped, exactly the lines' octets.
pub fn assert_shown(shown: &str, lines: &[&[u8]]) {
    assert!(shown.chars().all(|c| !c.is_control() || c == '\t' || c == '\n'), "{shown:?}");
    assert_eq!(unescape_shown(shown).as_deref(), Some(&lines.join(&b'\n')[..]), "{shown:?}");
}
