//! Replays recorded SMTP sessions (both directions, from the test corpus by default): parse
//! every command and reply, decode every message body with the crate's own DATA/BDAT decoders,
//! print the typed values, and check that every command and reply re-encodes byte for byte.
//!
//! ```sh
//! cargo run --example replay                    # three sessions from tests/corpus
//! cargo run --example replay -- SESSION.c2s ...  # your own recordings (a matching .s2c is read too)
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::process::ExitCode;

use smtp_wire::framing::{BdatDecoder, BdatEvent, BodyConfig, DataDecoder, DataEvent, Decoded, Line, LineFramer};
use smtp_wire::{Capability, Command, CommandBody, EhloReply, Encode, Param, Reply, Status};

#[derive(Default)]
struct Tally {
    exact: usize,
    problems: usize,
}

fn main() -> ExitCode {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
        for name in
            ["postfix-2525.swaks-pipeline.plain.0", "postfix-2525.exim.plain.0", "postfix-2525.smtplib.starttls.0"]
        {
            files.push(format!("{dir}/{name}.c2s"));
        }
    }
    let mut t = Tally::default();
    for file in &files {
        let Ok(client) = std::fs::read(file) else {
            eprintln!("cannot read {file}");
            return ExitCode::FAILURE;
        };
        println!("==== {file}");
        println!("---- client → server");
        client_side(&client, &mut t);
        let server_file = file.strip_suffix(".c2s").map(|s| format!("{s}.s2c"));
        if let Some(server) = server_file.and_then(|f| std::fs::read(f).ok()) {
            println!("---- server → client");
            server_side(&server, &mut t);
        }
        println!();
    }
    println!("{} commands and replies re-encoded byte for byte, {} problems", t.exact, t.problems);
    if t.problems == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn check(t: &mut Tally, encoded: Vec<u8>, wire: &[u8]) -> &'static str {
    if encoded == wire {
        t.exact += 1;
        "re-encoded byte for byte"
    } else {
        t.problems += 1;
        "RE-ENCODED DIFFERENTLY"
    }
}

fn client_side(data: &[u8], t: &mut Tally) {
    let mut framer = LineFramer::new(512);
    let mut rest = data;
    let mut bdat = BdatDecoder::new(BodyConfig::default());
    while !rest.is_empty() {
        let line = match framer.next_line(rest) {
            Ok(Status::Complete { value: Line::Complete(l), consumed }) => {
                rest = &rest[consumed..];
                l
            }
            Ok(Status::Complete { value: Line::TooLong { len }, consumed }) => {
                println!("  !! a {len}-octet line was skipped whole (limit 512)");
                rest = &rest[consumed..];
                continue;
            }
            Ok(Status::Complete { consumed, .. }) => {
                rest = &rest[consumed..];
                continue;
            }
            Ok(Status::Incomplete) => {
                println!("  .. {} octets without CRLF at the end", rest.len());
                return;
            }
            Err(e) => {
                println!("  !! framing error: {e}");
                t.problems += 1;
                return;
            }
        };
        print!("C: {}", show(line));
        let cmd = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => {
                println!("   !! {e}");
                t.problems += 1;
                continue;
            }
        };
        println!("   = {}", describe(&cmd));
        println!("     {}", check(t, cmd.to_vec(), line));
        match cmd.body() {
            CommandBody::Data => {
                let mut dec = DataDecoder::new(BodyConfig::default());
                let mut body = 0usize;
                loop {
                    let Decoded { consumed, event } = dec.decode(rest);
                    rest = &rest[consumed..];
                    match event {
                        DataEvent::Body(run) => body += run.len(),
                        DataEvent::End(summary) => {
                            let verdict = match summary.refusal() {
                                None => "accepted".to_owned(),
                                Some(e) => format!("refused: {e}"),
                            };
                            println!(
                                "   [body: {body} octets after un-stuffing, {} on the wire, {verdict}]",
                                summary.wire_len()
                            );
                            break;
                        }
                        _ => {
                            println!("   [body not terminated by CRLF.CRLF]");
                            return;
                        }
                    }
                }
            }
            CommandBody::Bdat { size, last } => {
                bdat.start_chunk(*size, *last).unwrap();
                let mut body = 0usize;
                loop {
                    let Decoded { consumed, event } = bdat.decode(rest);
                    rest = &rest[consumed..];
                    match event {
                        BdatEvent::Body(run) => body += run.len(),
                        BdatEvent::ChunkEnd(_) => {
                            println!("   [chunk: {body} octets]");
                            break;
                        }
                        _ => {
                            println!("   [chunk cut short]");
                            return;
                        }
                    }
                }
                if *last {
                    bdat.reset();
                }
            }
            _ => {}
        }
    }
}

fn server_side(data: &[u8], t: &mut Tally) {
    let mut rest = data;
    while !rest.is_empty() {
        let (reply, consumed) = match Reply::parse_prefix(rest) {
            Ok(Status::Complete { value, consumed }) => (value, consumed),
            Ok(Status::Incomplete) => {
                println!("  .. {} octets of an unfinished reply", rest.len());
                return;
            }
            Err(e) => {
                println!("  !! {e}");
                t.problems += 1;
                return;
            }
        };
        let wire = &rest[..consumed];
        rest = &rest[consumed..];
        for line in wire.split_inclusive(|&b| b == b'\n') {
            print!("S: {}", show(line));
        }
        let code = reply.code().as_u16();
        match reply.enhanced_code() {
            Some(e) => println!("   = {code} {e} ({})", e.description().unwrap_or(e.class_description())),
            None => println!("   = {code}, {} line(s)", reply.line_count()),
        }
        if code == 250 && reply.is_multiline() {
            if let Ok(ehlo) = EhloReply::try_from(&reply) {
                let caps: Vec<String> = ehlo.capabilities().map(|c| describe_capability(&c)).collect();
                println!("     EHLO from {}: {}", ehlo.host(), caps.join(", "));
            }
        }
        println!("     {}", check(t, reply.to_vec(), wire));
    }
}

fn show(line: &[u8]) -> String {
    String::from_utf8_lossy(line).replace("\r\n", "\\r\\n\n")
}

fn describe(cmd: &Command<'_>) -> String {
    match cmd.body() {
        CommandBody::Ehlo { host } | CommandBody::Helo { host } | CommandBody::Lhlo { host } => {
            format!("{} from {host}", cmd.verb())
        }
        CommandBody::Mail { reverse_path, params } => {
            format!(
                "MAIL sender {reverse_path} params [{}]",
                params.iter().map(|p| describe_param(&p)).collect::<Vec<_>>().join(", ")
            )
        }
        CommandBody::Rcpt { forward_path, params } => {
            format!(
                "RCPT recipient {forward_path} params [{}]",
                params.iter().map(|p| describe_param(&p)).collect::<Vec<_>>().join(", ")
            )
        }
        CommandBody::Bdat { size, last } => format!("BDAT chunk of {size} octets{}", if *last { ", last" } else { "" }),
        other => format!("{other:?}"),
    }
}

fn describe_param(p: &Param<'_>) -> String {
    match p {
        Param::Size(n) => format!("size {n} octets"),
        Param::Body(b) => format!("body {}", b.as_str()),
        other => format!("{other:?}"),
    }
}

fn describe_capability(c: &Capability<'_>) -> String {
    match c {
        Capability::Size(Some(n)) => format!("SIZE {n}"),
        other => other.keyword().to_owned(),
    }
}
