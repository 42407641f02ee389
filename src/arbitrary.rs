//! `arbitrary::Arbitrary` for the value types, building only valid values.
//!
//! Each generator draws from the alphabet its grammar allows, so no fuzz input is wasted on
//! values that would be rejected, and every generated value must survive
//! encode → parse unchanged (the second fuzz oracle).

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ::arbitrary::{Arbitrary, Error, Result, Unstructured};

use crate::*;

const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ATEXT: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";
const UTF8_SAMPLES: &[&str] = &["ü", "é", "ß", "日本", "ドメイン", "δ", "я", "😀"];

fn pick<T: Copy>(u: &mut Unstructured<'_>, items: &[T]) -> Result<T> {
    u.choose(items).copied()
}

/// A string of `min..=max` octets drawn from `alphabet`.
fn from_alphabet(u: &mut Unstructured<'_>, alphabet: &[u8], min: usize, max: usize) -> Result<String> {
    let n = u.int_in_range(min..=max)?;
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        s.push(char::from(pick(u, alphabet)?));
    }
    Ok(s)
}

/// Printable ASCII with spaces, plus now and then a non-ASCII character.
fn printable(u: &mut Unstructured<'_>, max: usize, utf8: bool) -> Result<String> {
    let n = u.int_in_range(0..=max)?;
    let mut s = String::with_capacity(n);
    for _ in 0..n {
        if utf8 && u.ratio(1, 16)? {
            s.push_str(pick(u, UTF8_SAMPLES)?);
        } else {
            s.push(char::from(u.int_in_range(32..=126u8)?));
        }
    }
    Ok(s)
}

fn label(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 12)? {
        return Ok(String::from(pick(u, UTF8_SAMPLES)?));
    }
    let mut s = from_alphabet(u, ALNUM, 1, 1)?;
    let mid = from_alphabet(u, b"abcdefghijklmnopqrstuvwxyz0123456789-ABC", 0, 10)?;
    if !mid.is_empty() {
        s.push_str(&mid);
        s.push_str(&from_alphabet(u, ALNUM, 1, 1)?);
    }
    Ok(s)
}

impl<'a> Arbitrary<'a> for Domain<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let n = u.int_in_range(1..=4)?;
        let mut s = label(u)?;
        for _ in 1..n {
            s.push('.');
            s.push_str(&label(u)?);
        }
        Domain::new(&s).map(Domain::into_owned).map_err(|_| Error::IncorrectFormat)
    }
}

/// RFC 5321 §4.1.3 text forms of an IPv6 address, in random spellings.
fn ipv6_text(u: &mut Unstructured<'_>, a: Ipv6Addr) -> Result<String> {
    use core::fmt::Write;
    let mut s = String::new();
    match u.int_in_range(0..=2u8)? {
        // Full form, random case and leading zeros.
        0 => {
            for (k, w) in a.segments().iter().enumerate() {
                if k > 0 {
                    s.push(':');
                }
                let _ = if u.arbitrary()? { write!(s, "{w:04X}") } else { write!(s, "{w:x}") };
            }
        }
        // Full form with an embedded IPv4 address.
        1 => {
            for w in a.segments().iter().take(6) {
                let _ = write!(s, "{w:x}:");
            }
            let o = a.octets();
            let _ = write!(s, "{}.{}.{}.{}", o[12], o[13], o[14], o[15]);
        }
        // The standard compressed form (RFC 5952), which compresses runs of two or more.
        _ => {
            let _ = write!(s, "{a}");
        }
    }
    Ok(s)
}

impl<'a> Arbitrary<'a> for AddressLiteral<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=3u8)? {
            0 => AddressLiteral::from_ip(IpAddr::V4(Ipv4Addr::from(u.arbitrary::<u32>()?))),
            1 => AddressLiteral::from_ip(IpAddr::V6(Ipv6Addr::from(u.arbitrary::<u128>()?))),
            2 => {
                let a = Ipv6Addr::from(u.arbitrary::<u128>()?);
                let prefix = pick(u, &["IPv6:", "ipv6:", "IPV6:"])?;
                let text = alloc::format!("[{prefix}{}]", ipv6_text(u, a)?);
                AddressLiteral::parse(text.as_bytes())
                    .map(AddressLiteral::into_owned)
                    .map_err(|_| Error::IncorrectFormat)?
            }
            _ => {
                let tag = alloc::format!("X-{}", from_alphabet(u, ALNUM, 1, 6)?);
                let content = from_alphabet(u, b"abcXYZ0129!#$%&'*+-/=?^_`{|}~.:;<>@", 1, 16)?;
                AddressLiteral::general(&tag, &content).map_err(|_| Error::IncorrectFormat)?
            }
        })
    }
}

impl<'a> Arbitrary<'a> for Host<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 4)? { Host::Literal(u.arbitrary()?) } else { Host::Domain(u.arbitrary()?) })
    }
}

impl<'a> Arbitrary<'a> for LocalPart<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let value = if u.arbitrary()? {
            // A dot-string.
            let n = u.int_in_range(1..=3)?;
            let mut s = from_alphabet(u, ATEXT, 1, 12)?;
            for _ in 1..n {
                s.push('.');
                s.push_str(&from_alphabet(u, ATEXT, 1, 12)?);
            }
            if u.ratio(1, 10)? {
                s.push_str(pick(u, UTF8_SAMPLES)?);
            }
            s
        } else {
            // Anything printable: quoted (and escaped) when it is not a dot-string.
            printable(u, 24, true)?
        };
        LocalPart::new(&value).map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Mailbox<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Mailbox::new(u.arbitrary()?, u.arbitrary::<Host<'_>>()?))
    }
}

impl<'a> Arbitrary<'a> for Path<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mailbox = u.arbitrary()?;
        let source_route = if u.ratio(1, 8)? {
            let n = u.int_in_range(1..=2)?;
            let mut s = String::new();
            for k in 0..n {
                if k > 0 {
                    s.push(',');
                }
                s.push('@');
                s.push_str(u.arbitrary::<Domain<'_>>()?.as_str());
            }
            Some(SourceRoute(Cow::Owned(s)))
        } else {
            None
        };
        Ok(Path { source_route, mailbox })
    }
}

impl<'a> Arbitrary<'a> for ReversePath<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 8)? { ReversePath::Null } else { ReversePath::Path(u.arbitrary()?) })
    }
}

impl<'a> Arbitrary<'a> for Postmaster {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut word = *b"POSTMASTER";
        for c in &mut word {
            if u.arbitrary()? {
                c.make_ascii_lowercase();
            }
        }
        Ok(Self::from_spelling(&word))
    }
}

impl<'a> Arbitrary<'a> for ForwardPath<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 10)? { ForwardPath::Postmaster(u.arbitrary()?) } else { ForwardPath::Path(u.arbitrary()?) })
    }
}

fn xtext(u: &mut Unstructured<'_>, max: usize) -> Result<XText<'static>> {
    let n = u.int_in_range(1..=max)?;
    let bytes: Vec<u8> = (0..n).map(|_| u.arbitrary::<u8>()).collect::<Result<_>>()?;
    let x = XText::encode(&bytes);
    Ok(if x.as_str().len() > 100 {
        XText(Cow::Owned(x.as_str().chars().take(99).filter(|c| *c != '+').collect()))
    } else {
        x
    })
}

fn timestamp(u: &mut Unstructured<'_>) -> Result<Timestamp<'static>> {
    let s = alloc::format!(
        "{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}{}{}",
        u.int_in_range(0..=9999)?,
        u.int_in_range(1..=12)?,
        u.int_in_range(1..=31)?,
        pick(u, &["T", "t"])?,
        u.int_in_range(0..=23)?,
        u.int_in_range(0..=59)?,
        u.int_in_range(0..=60)?,
        if u.arbitrary()? { ".5" } else { "" },
        pick(u, &["Z", "z", "+01:00", "-12:30"])?,
    );
    Timestamp::new(&s).map(Timestamp::into_owned).map_err(|_| Error::IncorrectFormat)
}

/// One parameter valid on MAIL (`mail`) or RCPT.
fn param(u: &mut Unstructured<'_>, mail: bool) -> Result<Param<'static>> {
    let other = |u: &mut Unstructured<'_>| -> Result<Param<'static>> {
        let keyword = Keyword(Cow::Owned(alloc::format!("X{}", from_alphabet(u, b"ABCXYZ019-", 0, 8)?)));
        let value = if u.arbitrary()? {
            let mut v = from_alphabet(u, b"abcXYZ0129!#$%&'*+-/?^_`{|}~.:;<>@", 1, 12)?;
            if u.ratio(1, 10)? {
                v.push_str(pick(u, UTF8_SAMPLES)?);
            }
            Some(EsmtpValue(Cow::Owned(v)))
        } else {
            None
        };
        Ok(Param::Other { keyword, value })
    };
    if !mail {
        return Ok(match u.int_in_range(0..=3u8)? {
            0 => Param::Notify(if u.ratio(1, 4)? {
                Notify::Never
            } else {
                let (mut success, failure, delay) = (u.arbitrary()?, u.arbitrary()?, u.arbitrary()?);
                if !(success || failure || delay) {
                    success = true;
                }
                Notify::On { success, failure, delay }
            }),
            1 => Param::Orcpt(Orcpt {
                addr_type: Keyword(Cow::Borrowed(pick(u, &["rfc822", "utf-8", "X-type"])?)),
                addr: xtext(u, 40)?,
            }),
            2 => Param::Rrvs(Rrvs {
                since: timestamp(u)?,
                action: pick(u, &[None, Some(RrvsAction::Continue), Some(RrvsAction::Reject)])?,
            }),
            _ => other(u)?,
        });
    }
    Ok(match u.int_in_range(0..=11u8)? {
        0 => Param::Size(u.arbitrary()?),
        1 => Param::Body(pick(u, &[BodyType::SevenBit, BodyType::EightBitMime, BodyType::BinaryMime])?),
        2 => Param::SmtpUtf8,
        3 => Param::RequireTls,
        4 => Param::Ret(pick(u, &[Ret::Full, Ret::Headers])?),
        5 => Param::EnvId(xtext(u, 30)?),
        6 => Param::Auth(if u.arbitrary()? { AuthParam::Null } else { AuthParam::Mailbox(xtext(u, 30)?) }),
        7 => Param::MtPriority(u.int_in_range(-9..=9)?),
        8 => Param::HoldFor(u.int_in_range(0..=999_999_999)?),
        9 => Param::HoldUntil(timestamp(u)?),
        10 => Param::By(By {
            time: u.int_in_range(-999_999_999..=999_999_999)?,
            mode: pick(u, &[ByMode::Notify, ByMode::Return])?,
            trace: u.arbitrary()?,
        }),
        _ => other(u)?,
    })
}

fn params(u: &mut Unstructured<'_>, mail: bool) -> Result<Params<'static>> {
    let n = u.int_in_range(0..=4)?;
    let mut list: Vec<Param<'static>> = Vec::new();
    for _ in 0..n {
        let p = param(u, mail)?;
        let kw = |p: &Param<'_>| {
            let mut s = String::new();
            p.write(&mut s);
            s.split('=').next().unwrap_or("").to_ascii_uppercase()
        };
        if list.iter().all(|q| kw(q) != kw(&p)) {
            list.push(p);
        }
    }
    let built = if mail { Params::mail(&list) } else { Params::rcpt(&list) };
    built.map_err(|_| Error::IncorrectFormat)
}

fn smtp_string(u: &mut Unstructured<'_>) -> Result<SmtpString<'static>> {
    let mut v = printable(u, 16, true)?;
    if v.is_empty() {
        v.push('x');
    }
    SmtpString::from_value(&v).map_err(|_| Error::IncorrectFormat)
}

impl<'a> Arbitrary<'a> for Command<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let body = match u.int_in_range(0..=16u8)? {
            0 => CommandBody::Helo { host: u.arbitrary()? },
            1 => CommandBody::Ehlo { host: u.arbitrary()? },
            2 => CommandBody::Lhlo { host: u.arbitrary()? },
            3 => CommandBody::Mail { reverse_path: u.arbitrary()?, params: params(u, true)? },
            4 => CommandBody::Rcpt { forward_path: u.arbitrary()?, params: params(u, false)? },
            5 => CommandBody::Data,
            6 => CommandBody::Bdat { size: u.arbitrary()?, last: u.arbitrary()? },
            7 => CommandBody::Rset,
            8 => CommandBody::Vrfy { arg: smtp_string(u)? },
            9 => CommandBody::Expn { arg: smtp_string(u)? },
            10 => CommandBody::Help { arg: if u.arbitrary()? { Some(smtp_string(u)?) } else { None } },
            11 => CommandBody::Noop { arg: if u.arbitrary()? { Some(smtp_string(u)?) } else { None } },
            12 => CommandBody::Quit,
            13 => CommandBody::StartTls,
            14 => {
                let mechanism =
                    Mechanism(Cow::Owned(from_alphabet(u, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_plain", 1, 20)?));
                let initial_response = match u.int_in_range(0..=2u8)? {
                    0 => None,
                    1 => Some(InitialResponse::Empty),
                    _ => {
                        let n = u.int_in_range(1..=48)?;
                        let bytes: Vec<u8> = (0..n).map(|_| u.arbitrary::<u8>()).collect::<Result<_>>()?;
                        Some(InitialResponse::Data(Base64::encode(&bytes)))
                    }
                };
                CommandBody::Auth { mechanism, initial_response }
            }
            15 => {
                let arg = match u.int_in_range(0..=2u8)? {
                    0 => u.arbitrary::<Domain<'_>>()?.as_str().into(),
                    1 => alloc::format!("@{}", u.arbitrary::<Domain<'_>>()?.as_str()),
                    _ => alloc::format!("#{}", from_alphabet(u, ATEXT, 1, 10)?),
                };
                CommandBody::Etrn { arg: Text(Cow::Owned(arg)) }
            }
            _ => {
                let verb = Keyword(Cow::Owned(alloc::format!("X{}", from_alphabet(u, ALNUM, 0, 8)?)));
                let args = printable(u, 30, true)?;
                CommandBody::Other { verb, args: if args.is_empty() { None } else { Some(Text(Cow::Owned(args))) } }
            }
        };
        let spelling = Spelling::CANONICAL
            .with_verb_case(u.arbitrary()?)
            .with_keyword_case(u.arbitrary()?)
            .with_space_after_colon(u.ratio(1, 8)?)
            .with_leading_zeros(u.int_in_range(0..=3)?);
        Ok(Command::new(body).map_err(|_| Error::IncorrectFormat)?.with_spelling(spelling))
    }
}

impl<'a> Arbitrary<'a> for AuthResponse<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(1, 8)? {
            return Ok(AuthResponse::Cancel);
        }
        let n = u.int_in_range(0..=64)?;
        let bytes: Vec<u8> = (0..n).map(|_| u.arbitrary::<u8>()).collect::<Result<_>>()?;
        Ok(AuthResponse::Data(Base64::encode(&bytes)))
    }
}

// ---------------------------------------------------------------------------------------------
// Replies (RFC 5321 §4.2), EHLO replies (§4.1.1.1), SASL challenges (RFC 4954 §4)

impl<'a> Arbitrary<'a> for ReplyCode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let code = u.int_in_range(2..=5u16)? * 100 + u.int_in_range(0..=5u16)? * 10 + u.int_in_range(0..=9u16)?;
        Self::new(code).map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for EnhancedCode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let class = pick(u, &[2u8, 4, 5])?;
        // Mostly the registered range, sometimes three digits (5.7.520).
        let sub = |u: &mut Unstructured<'_>| -> Result<u16> {
            if u.ratio(1, 4)? { u.int_in_range(0..=999) } else { u.int_in_range(0..=12) }
        };
        let (subject, detail) = (sub(u)?, sub(u)?);
        Self::new(class, subject, detail).map_err(|_| Error::IncorrectFormat)
    }
}

/// Reply text: printable ASCII with tabs, now and then UTF-8, sometimes longer than a line.
fn reply_text(u: &mut Unstructured<'_>) -> Result<String> {
    let max = if u.ratio(1, 10)? { 1200 } else { 60 };
    let mut s = printable(u, max, true)?;
    if u.ratio(1, 8)? {
        s.insert(0, '\t');
    }
    Ok(s)
}

impl<'a> Arbitrary<'a> for Reply<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let code: ReplyCode = u.arbitrary()?;
        let mut b = ReplyBuilder::new(code);
        let class = (code.as_u16() / 100) as u8;
        if class != 3 && u.ratio(1, 2)? {
            let e: EnhancedCode = u.arbitrary()?;
            b = b.enhanced_code(EnhancedCode::new(class, e.subject(), e.detail()).map_err(|_| Error::IncorrectFormat)?);
        }
        let n = u.int_in_range(0..=5)?;
        for _ in 0..n {
            b = b.line(&reply_text(u)?);
        }
        b.build().map_err(|_| Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for SaslChallenge<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let n = u.int_in_range(0..=64)?;
        let bytes: Vec<u8> = (0..n).map(|_| u.arbitrary::<u8>()).collect::<Result<_>>()?;
        Ok(SaslChallenge::from_bytes(&bytes))
    }
}

/// `1*(%d33-126)` parameters, space-separated.
fn ehlo_params(u: &mut Unstructured<'_>) -> Result<EhloParams<'static>> {
    let n = u.int_in_range(1..=3)?;
    let mut s = String::new();
    for k in 0..n {
        if k > 0 {
            s.push(' ');
        }
        let len = u.int_in_range(1..=12)?;
        for _ in 0..len {
            s.push(char::from(u.int_in_range(33..=126u8)?));
        }
    }
    EhloParams::new(&s).map(EhloParams::into_owned).map_err(|_| Error::IncorrectFormat)
}

impl<'a> Arbitrary<'a> for Capability<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        const MECH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        const LIMIT_VALUE: &[u8] = b"0123456789abcXYZ!\"#$%&'()*+,-./:<=>?@[\\]^_`{|}~";
        let maybe = |u: &mut Unstructured<'_>| -> Result<Option<EhloParams<'static>>> {
            if u.arbitrary()? { Ok(Some(ehlo_params(u)?)) } else { Ok(None) }
        };
        Ok(match u.int_in_range(0..=22u8)? {
            0 => Capability::Size(if u.arbitrary()? { Some(u.arbitrary()?) } else { None }),
            1 => Capability::EightBitMime,
            2 => Capability::BinaryMime,
            3 => Capability::Chunking,
            4 => Capability::Pipelining,
            5 => Capability::StartTls,
            6 => Capability::SmtpUtf8,
            7 => Capability::EnhancedStatusCodes,
            8 => Capability::Dsn,
            9 => {
                let legacy = u.ratio(1, 4)?;
                let n = u.int_in_range(usize::from(legacy)..=4)?;
                let mut s = String::new();
                for k in 0..n {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(&from_alphabet(u, MECH, 1, 20)?);
                }
                let mechanisms = AuthMechanisms::new(&s).map_err(|_| Error::IncorrectFormat)?.into_owned();
                Capability::Auth { mechanisms, legacy }
            }
            10 => Capability::DeliverBy(if u.arbitrary()? { Some(u.int_in_range(0..=999_999_999)?) } else { None }),
            11 => Capability::Etrn,
            12 => Capability::Expn,
            13 => Capability::Vrfy,
            14 => Capability::Help,
            15 => Capability::RequireTls,
            16 => Capability::MtPriority(if u.arbitrary()? {
                let p = pick(u, &["MIXER", "STANAG4406", "NSEP", "X-local"])?;
                Some(Keyword(Cow::Borrowed(p)))
            } else {
                None
            }),
            17 => Capability::FutureRelease {
                max_interval: u.int_in_range(0..=999_999_999)?,
                max_datetime: timestamp(u)?,
            },
            18 => {
                let n = u.int_in_range(1..=4)?;
                let mut s = String::new();
                for k in 0..n {
                    if k > 0 {
                        s.push(' ');
                    }
                    s.push_str(pick(u, &["MAILMAX", "RCPTMAX", "RCPTDOMAINMAX", "X_NEW", "rcptmax", "Z-9"])?);
                    if u.ratio(3, 4)? {
                        s.push('=');
                        let v = if u.arbitrary()? {
                            alloc::format!("{}", u.int_in_range(0..=2_000_000u32)?)
                        } else {
                            from_alphabet(u, LIMIT_VALUE, 1, 8)?
                        };
                        s.push_str(&v);
                    }
                }
                Capability::Limits(ServerLimits::new(&s).map_err(|_| Error::IncorrectFormat)?.into_owned())
            }
            19 => Capability::Burl(maybe(u)?),
            20 => Capability::NoSoliciting(maybe(u)?),
            21 => Capability::Rrvs,
            _ => {
                // Known keywords never start with X.
                let kw = alloc::format!("X{}", from_alphabet(u, b"ABCxyz019-_", 0, 10)?);
                let keyword = EhloKeyword::new(&kw).map_err(|_| Error::IncorrectFormat)?.into_owned();
                Capability::Other { keyword, params: maybe(u)? }
            }
        })
    }
}

impl<'a> Arbitrary<'a> for EhloReply<'_> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let host: Host<'_> = u.arbitrary()?;
        let greeting = if u.arbitrary()? { Some(printable(u, 40, true)?) } else { None };
        let n = u.int_in_range(0..=10)?;
        let caps: Vec<Capability<'static>> = (0..n).map(|_| u.arbitrary()).collect::<Result<_>>()?;
        EhloReply::new(&host, greeting.as_deref(), &caps).map_err(|_| Error::IncorrectFormat)
    }
}
