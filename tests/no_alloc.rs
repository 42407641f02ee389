//! Parsing allocates nothing: every command line of the corpus and of the known-answer
//! shapes is parsed (and its parameters iterated) under a counting allocator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::allocations;

use smtp_wire::framing::LineFramer;
use smtp_wire::{AddressLiteral, AuthResponse, Command, CommandBody, Mailbox, ParseOptions, Status};

const LINES: &[&[u8]] = &[
    b"EHLO client.example\r\n",
    b"EHLO [IPv6:2001:db8::192.0.2.1]\r\n",
    b"MAIL FROM:<> SIZE=100 BODY=8BITMIME SMTPUTF8 REQUIRETLS RET=HDRS ENVID=a+2Bb AUTH=<> MT-PRIORITY=-3 HOLDFOR=60 HOLDUNTIL=2026-12-24T18:00:00Z BY=120;RT\r\n",
    b"MAIL FROM:<@a.example,@b.example:\"john \\\"q\\\" smith\"@[192.0.2.1]> X-FOO=bar\r\n",
    b"RCPT TO:<Postmaster>\r\n",
    b"RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+40example.org RRVS=2026-01-01T00:00:00Z;R\r\n",
    b"DATA\r\n",
    b"BDAT 0010 LAST\r\n",
    b"VRFY \"John Smith\"\r\n",
    b"HELP MAIL\r\n",
    b"AUTH PLAIN AHVzZXIAcGFzcw==\r\n",
    b"ETRN #queue\r\n",
    b"XCLIENT NAME=x ADDR=192.0.2.1\r\n",
    b"STARTTLS\r\n",
    b"QUIT\r\n",
];

fn consume(cmd: &Command<'_>) -> usize {
    // Touch everything a caller would: parameters are iterated typed.
    match cmd.body() {
        CommandBody::Mail { params, .. } | CommandBody::Rcpt { params, .. } => params.iter().count(),
        _ => 1,
    }
}

#[test]
fn parsing_commands_allocates_nothing() {
    let opts = ParseOptions::default().with_smtputf8(true);
    for line in LINES {
        let (n, r) = allocations(|| Command::parse_with(line, &opts).map(|c| consume(&c)));
        assert!(r.is_ok(), "{}", line.escape_ascii());
        assert_eq!(n, 0, "{} allocated", line.escape_ascii());
        let (n, _) = allocations(|| Command::parse_prefix_with(line, &opts).map(|s| s.map(|c| consume(&c))));
        assert_eq!(n, 0);
    }
    // Errors do not allocate either.
    let (n, r) = allocations(|| Command::parse(b"MAIL FROM:<a@b> SIZE=99999999999999999999999\r\n").map(|_| ()));
    assert!(r.is_err());
    assert_eq!(n, 0);
}

#[test]
fn parsing_the_corpus_allocates_nothing() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut lines = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "c2s") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        // Frame and parse the leading command lines (up to the first body).
        let mut framer = LineFramer::new(512);
        let mut rest = &data[..];
        loop {
            let (n, step) = allocations(|| {
                let Ok(Status::Complete { consumed, .. }) = framer.next_line(rest) else { return None };
                let parsed = Command::parse(&rest[..consumed])
                    .ok()
                    .map(|c| (consume(&c), matches!(c.body(), CommandBody::Data | CommandBody::Bdat { .. })));
                Some((consumed, parsed))
            });
            assert_eq!(n, 0, "{}", path.display());
            let Some((consumed, Some((_, body_follows)))) = step else { break };
            lines += 1;
            rest = &rest[consumed..];
            if body_follows {
                break;
            }
        }
    }
    assert!(lines > 50, "{lines}");
}

#[test]
fn value_parsers_allocate_nothing() {
    let (n, _) = allocations(|| {
        assert!(Mailbox::parse(b"\"a b\"@[IPv6:::1]").is_ok());
        assert!(AddressLiteral::parse(b"[IPv6:1:2:3:4:5:6:1.2.3.4]").is_ok());
        assert!(AuthResponse::parse(b"dXNlcg==\r\n").is_ok());
    });
    assert_eq!(n, 0);
    // The counter works: an allocation is seen.
    let (n, v) = allocations(|| vec![1u8; 16]);
    assert_eq!((n, v.len()), (1, 16));
}
