//! Real client traffic (recorded against Postfix 3.7, see `tests/corpus/README.md`): every
//! command in the plaintext part of every session parses and re-encodes byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::corpus;
use smtp_wire::{Command, CommandBody, Encode, ParseOptions, Status};

/// The options a stream is read with: strict, or for the sessions recorded to show them
/// (`*.utf8.*`) the two leniencies real clients need (see `tests/corpus/README.md`).
fn options(name: &str) -> ParseOptions {
    if name.contains(".utf8.") {
        ParseOptions::default().with_utf8_envelope(true).with_exact_parameter_repeats(true)
    } else {
        ParseOptions::default()
    }
}

/// Splits a client stream into command lines, skipping DATA bodies (to `CRLF.CRLF`) and BDAT
/// chunks (by count). Returns the commands with their exact octets.
fn commands(stream: &[u8], opts: &ParseOptions) -> Vec<(Vec<u8>, Command<'static>)> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let Status::Complete { value, consumed } = Command::parse_prefix_with(rest, opts)
            .unwrap_or_else(|e| panic!("{e} in {:?}", String::from_utf8_lossy(&rest[..rest.len().min(80)])))
        else {
            panic!("incomplete command at end of stream: {:?}", String::from_utf8_lossy(rest));
        };
        let line = rest[..consumed].to_vec();
        rest = &rest[consumed..];
        match value.body() {
            CommandBody::Data => {
                let end = rest.windows(5).position(|w| w == b"\r\n.\r\n").map(|p| p + 5);
                let end = if rest.starts_with(b".\r\n") { Some(3) } else { end };
                rest = &rest[end.expect("DATA body ends")..];
            }
            CommandBody::Bdat { size, .. } => rest = &rest[*size as usize..],
            _ => {}
        }
        out.push((line, value.into_owned()));
    }
    out
}

#[test]
fn every_client_command_round_trips() {
    let files = corpus("c2s");
    assert!(files.len() >= 40, "corpus missing: {}", files.len());
    let mut total = 0;
    let mut verbs = std::collections::BTreeSet::new();
    for (name, stream) in &files {
        let opts = options(name);
        let cmds = commands(stream, &opts);
        assert!(!cmds.is_empty(), "{name}: no commands");
        for (line, cmd) in &cmds {
            assert_eq!(&cmd.to_vec(), line, "{name}: re-encoding differs");
            assert_eq!(cmd.encoded_len(), line.len());
            assert_eq!(
                &Command::parse_with(line, &opts).unwrap(),
                cmd,
                "{name}: exact parse differs from prefix parse"
            );
            verbs.insert(cmd.verb().to_owned());
            total += 1;
        }
    }
    assert!(total >= 110, "only {total} commands");
    for v in ["EHLO", "MAIL", "RCPT", "DATA", "BDAT", "QUIT", "STARTTLS"] {
        assert!(verbs.contains(v), "corpus has no {v}");
    }
}

#[test]
fn corpus_commands_parse_fed_one_byte_at_a_time() {
    for (name, stream) in corpus("c2s") {
        let whole = commands(&stream, &options(&name));
        // Feed the first command line one octet at a time: Incomplete until its CRLF.
        let (line, cmd) = &whole[0];
        for k in 0..line.len() {
            assert_eq!(Command::parse_prefix(&line[..k]).unwrap(), Status::Incomplete, "{name} at {k}");
        }
        assert_eq!(Command::parse_prefix(line).unwrap(), Status::Complete { value: cmd.clone(), consumed: line.len() });
    }
}

#[test]
fn the_utf8_sessions_need_their_leniencies() {
    let files: Vec<_> = corpus("c2s").into_iter().filter(|(n, _)| n.contains(".utf8.")).collect();
    assert_eq!(files.len(), 3, "swaks, msmtp and smtplib");
    for (name, stream) in files {
        let lines = commands(&stream, &options(&name));
        // The strict parser refuses exactly the line that carries the quirk (smtplib declared
        // SMTPUTF8, so its session reads UTF-8 anyway).
        let strict = ParseOptions::default().with_smtputf8(name.contains("smtplib"));
        let refused: Vec<&[u8]> =
            lines.iter().map(|(l, _)| &l[..]).filter(|l| Command::parse_with(l, &strict).is_err()).collect();
        assert_eq!(refused.len(), 1, "{name}");
        let quirk = refused[0];
        if name.contains("smtplib") {
            assert!(quirk.ends_with(b" BODY=8BITMIME SMTPUTF8 BODY=8BITMIME\r\n"), "{name}");
        } else {
            assert!(quirk.starts_with("RCPT TO:<jörg@".as_bytes()), "{name}");
        }
    }
}
