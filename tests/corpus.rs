//! Real client traffic (recorded against Postfix 3.7, see `tests/corpus/README.md`): every
//! command in the plaintext part of every session parses and re-encodes byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::corpus;
use smtp_wire::{Command, CommandBody, Encode, Status};

/// Splits a client stream into command lines, skipping DATA bodies (to `CRLF.CRLF`) and BDAT
/// chunks (by count). Returns the commands with their exact octets.
fn commands(stream: &[u8]) -> Vec<(Vec<u8>, Command<'static>)> {
    let mut out = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let Status::Complete { value, consumed } = Command::parse_prefix(rest)
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
        let cmds = commands(stream);
        assert!(!cmds.is_empty(), "{name}: no commands");
        for (line, cmd) in &cmds {
            assert_eq!(&cmd.to_vec(), line, "{name}: re-encoding differs");
            assert_eq!(cmd.encoded_len(), line.len());
            assert_eq!(&Command::parse(line).unwrap(), cmd, "{name}: exact parse differs from prefix parse");
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
        let whole = commands(&stream);
        // Feed the first command line one octet at a time: Incomplete until its CRLF.
        let (line, cmd) = &whole[0];
        for k in 0..line.len() {
            assert_eq!(Command::parse_prefix(&line[..k]).unwrap(), Status::Incomplete, "{name} at {k}");
        }
        assert_eq!(Command::parse_prefix(line).unwrap(), Status::Complete { value: cmd.clone(), consumed: line.len() });
    }
}
