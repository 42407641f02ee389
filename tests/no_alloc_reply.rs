//! Parsing replies and EHLO lists allocates nothing: every reply of the corpus and of the
//! known-answer shapes is parsed, its lines, enhanced codes and capabilities walked, and the
//! capability lookups run, under a counting allocator; the same for what only the tolerant
//! switches (malformed capabilities, loose reply text) accept.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::allocations;

use smtp_wire::{Capability, EhloReply, Extension, ParseOptions, Reply, SaslChallenge, Status};

const REPLIES: &[&[u8]] = &[
    b"250 OK\r\n",
    b"250\r\n",
    b"220-mail.example.com ESMTP Exim 4.96\r\n220-We do not authorize unsolicited e-mail.\r\n220 Bye.\r\n",
    b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient's email address for typos or\r\n550 5.1.1 unnecessary spaces. - gsmtp\r\n",
    b"550 5.7.520 Access denied, Your organization does not allow external forwarding.\r\n",
    b"354 End data with <CR><LF>.<CR><LF>\r\n",
    b"334 VXNlcm5hbWU6\r\n",
    "250 Grüße 2.0.0\r\n".as_bytes(),
];

const EHLO: &[&[u8]] = &[
    b"250-smtp.gmail.com at your service, [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    b"250-mail.example.com Hello client.example [192.0.2.1]\r\n250-SIZE 52428800\r\n250-LIMITS MAILMAX=1000 RCPTMAX=50000\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-PIPE_CONNECT\r\n250-AUTH=PLAIN LOGIN\r\n250-CHUNKING\r\n250-PRDR\r\n250 HELP\r\n",
    b"250-[192.0.2.25]\r\n250-DELIVERBY 1296000\r\n250-MT-PRIORITY MIXER\r\n250-FUTURERELEASE 604800 2026-12-31T23:59:59Z\r\n250-BURL imap\r\n250-size 100\r\n250 SIZE 200\r\n",
    b"250 mx.example.org\r\n",
];

/// Touches everything a client reads from a reply.
fn walk(r: &Reply<'_>) -> usize {
    r.lines()
        .map(|l| {
            l.text().len()
                + l.message().len()
                + l.text_bytes().len()
                + l.message_bytes().len()
                + usize::from(l.is_utf8())
                + usize::from(l.enhanced_code().is_some())
        })
        .sum::<usize>()
        + usize::from(r.enhanced_code().is_some())
        + usize::from(r.is_utf8())
        + r.as_str().len()
}

/// Touches everything a client reads from an EHLO reply.
fn walk_ehlo(e: &EhloReply<'_>) -> usize {
    let mut n = e.host().to_string_len() + e.greeting().map_or(0, str::len) + e.greeting_bytes().map_or(0, <[u8]>::len);
    for c in e.capabilities() {
        n += c.keyword().len();
        if let Capability::Auth { mechanisms, .. } = &c {
            n += mechanisms.iter().count();
        }
        if let Capability::Malformed { params, .. } = &c {
            n += params.as_bytes().len() + params.as_str().len();
        }
        if let Capability::Limits(l) = &c {
            n += l.iter().count() + l.rcpt_max().unwrap_or(0) as usize;
        }
    }
    for ext in Extension::ALL {
        n += usize::from(e.supports(ext));
    }
    n += e.size_limit().unwrap_or(0) as usize;
    n += e.auth_mechanisms().filter(|m| m.eq_ignore_ascii_case("PLAIN")).count();
    n += usize::from(e.supports_keyword("PRDR"));
    n += e.duplicates().count();
    n += e.limits().map_or(0, |l| l.mail_max().unwrap_or(0) as usize);
    n
}

/// The length of a host's text form, computed without formatting into a `String`.
trait HostLen {
    fn to_string_len(&self) -> usize;
}

impl HostLen for smtp_wire::Host<'_> {
    fn to_string_len(&self) -> usize {
        match self {
            smtp_wire::Host::Domain(d) => d.as_str().len(),
            smtp_wire::Host::Literal(l) => l.as_str().len() + 2,
        }
    }
}

#[test]
fn parsing_replies_allocates_nothing() {
    let opts = ParseOptions::default().with_smtputf8(true);
    for bytes in REPLIES {
        let (n, r) = allocations(|| Reply::parse_with(bytes, &opts).map(|r| walk(&r)));
        assert!(r.is_ok(), "{}", bytes.escape_ascii());
        assert_eq!(n, 0, "{} allocated", bytes.escape_ascii());
        let (n, _) = allocations(|| Reply::parse_prefix_with(bytes, &opts).map(|s| s.map(|r| walk(&r))));
        assert_eq!(n, 0);
    }
    let (n, r) = allocations(|| SaslChallenge::parse(b"334 VXNlcm5hbWU6\r\n").map(|c| c.data().as_str().len()));
    assert_eq!((n, r), (0, Ok(12)));
    // Errors do not allocate either.
    let (n, r) = allocations(|| Reply::parse(b"250-a\r\n550 b\r\n").map(|_| ()));
    assert!(r.is_err());
    assert_eq!(n, 0);
    let (n, r) = allocations(|| EhloReply::parse(b"250-mx\r\n250 SIZE x\r\n").map(|_| ()));
    assert!(r.is_err());
    assert_eq!(n, 0);
}

#[test]
fn parsing_ehlo_lists_allocates_nothing() {
    for bytes in EHLO {
        let (n, r) = allocations(|| EhloReply::parse(bytes).map(|e| walk_ehlo(&e)));
        assert!(r.is_ok(), "{}: {r:?}", bytes.escape_ascii());
        assert_eq!(n, 0, "{} allocated", bytes.escape_ascii());
        let (n, _) = allocations(|| EhloReply::parse_prefix(bytes).map(|s| s.map(|e| walk_ehlo(&e))));
        assert_eq!(n, 0);
        // From an already parsed reply, borrowed.
        let reply = Reply::parse(bytes).unwrap();
        let (n, r) = allocations(|| EhloReply::try_from(&reply).map(|e| walk_ehlo(&e)));
        assert!(r.is_ok());
        assert_eq!(n, 0);
    }
}

/// Replies and EHLO lists that only the tolerant switches accept.
const TOLERATED: &[&[u8]] = &[
    b"250-mx.example.org Hello\x07 there \r\n250-SIZE 10M\r\n250-PIPELINING \r\n250-AUTH PLAIN,LOGIN\r\n250-AUTH=LOGIN\r\n250-X-FOO a  b\r\n250-auth CRAM-MD5 login\r\n250-LIMITS RCPTMAX=1;2\r\n250 SIZE -1\r\n",
    b"250-mx \r\n250-SIZE 99999999999999999999999\r\n250-STARTTLS now\r\n250 SIZE\t1000\r\n",
    "250-mx Grüß Gott\r\n250 SIZE 1 Mio\r\n".as_bytes(),
    // Octets that are not UTF-8: a Latin-1 greeting and parameters.
    b"250-mx.example.org Gr\xfc\xdf dich\r\n250-X-FOO caf\xe9\r\n250-AUTH PLAIN \xff\r\n250 SIZE 1000\r\n",
];

#[test]
fn tolerant_parsing_allocates_nothing() {
    let opts = ParseOptions::default().with_malformed_capabilities(true).with_loose_reply_text(true);
    for bytes in TOLERATED {
        let (n, r) = allocations(|| EhloReply::parse_with(bytes, &opts).map(|e| walk_ehlo(&e)));
        assert!(r.is_ok(), "{}: {r:?}", bytes.escape_ascii());
        assert_eq!(n, 0, "{} allocated", bytes.escape_ascii());
        let (n, _) = allocations(|| EhloReply::parse_prefix_with(bytes, &opts).map(|s| s.map(|e| walk_ehlo(&e))));
        assert_eq!(n, 0);
        let reply = Reply::parse_with(bytes, &opts).unwrap();
        let (n, r) = allocations(|| EhloReply::from_reply_with(&reply, &opts).map(|e| walk_ehlo(&e)));
        assert!(r.is_ok());
        assert_eq!(n, 0);
        // The malformed lines, typed.
        let (n, k) = allocations(|| {
            let e = EhloReply::parse_with(bytes, &opts).unwrap();
            e.capabilities().filter(|c| matches!(c, Capability::Malformed { .. })).count()
        });
        assert!(k > 0);
        assert_eq!(n, 0);
    }
    for bytes in [
        &b"500 Error: command \"\x01\x02\" not recognized\r\n"[..],
        b"550 \x1b[31mno\x1b[0m\r\n",
        // Not UTF-8: aiosmtpd's echo of a binary command, a Latin-1 greeting.
        b"500 Error: command \"\xff\xfe\" not recognized\r\n",
        b"220-mx.example.org ESMTP Gr\xfc\xdf Gott\r\n220 5.0.0 Willkommen \xe0 bord\r\n",
    ] {
        let (n, r) = allocations(|| Reply::parse_with(bytes, &opts).map(|r| walk(&r)));
        assert!(r.is_ok(), "{}: {r:?}", bytes.escape_ascii());
        assert_eq!(n, 0);
        let (n, r) = allocations(|| Reply::parse_prefix_with(bytes, &opts).map(|s| s.map(|r| walk(&r))));
        assert!(matches!(r, Ok(Status::Complete { .. })));
        assert_eq!(n, 0);
    }
    // Refusals under the tolerant switches do not allocate either.
    let (n, r) = allocations(|| EhloReply::parse_with(b"250-mx\r\n250 SIZE.5\r\n", &opts).map(|_| ()));
    assert!(r.is_err());
    assert_eq!(n, 0);
    let (n, r) = allocations(|| Reply::parse_with(b"500 a\x00b\r\n", &opts).map(|_| ()));
    assert!(r.is_err());
    assert_eq!(n, 0);
}

#[test]
fn parsing_the_corpus_allocates_nothing() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "s2c") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let mut rest = &data[..];
        let mut index = 0;
        while !rest.is_empty() {
            let (n, consumed) = allocations(|| {
                let Ok(Status::Complete { value, consumed }) = Reply::parse_prefix(rest) else { return None };
                let mut touched = walk(&value);
                if index == 1 {
                    touched += walk_ehlo(&EhloReply::try_from(&value).ok()?);
                }
                Some((consumed, touched))
            });
            assert_eq!(n, 0, "{}", path.display());
            let (consumed, _) = consumed.expect("corpus replies parse");
            rest = &rest[consumed..];
            index += 1;
            seen += 1;
        }
    }
    assert!(seen > 150, "{seen}");
    // The counter works: an allocation is seen.
    let (n, v) = allocations(|| vec![1u8; 16]);
    assert_eq!((n, v.len()), (1, 16));
}
