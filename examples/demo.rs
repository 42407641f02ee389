//! The crate's main job, on real traffic: read recorded client sessions, parse every command
//! line, print the typed value and its re-encoding, and check that the bytes come back exact.
//!
//! ```sh
//! cargo run --example demo                 # a few sessions from tests/corpus
//! cargo run --example demo -- FILE.c2s...  # your own client byte streams
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::process::ExitCode;

use smtp_wire::framing::{Line, LineFramer};
use smtp_wire::{Command, CommandBody, Encode, Param, Status};

fn main() -> ExitCode {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
        for name in [
            "postfix-2525.swaks-pipeline.plain.0.c2s",
            "postfix-2525.exim.plain.0.c2s",
            "postfix-2525.smtplib.starttls.0.c2s",
        ] {
            files.push(format!("{dir}/{name}"));
        }
    }
    let (mut ok, mut bad) = (0, 0);
    for file in &files {
        let data = match std::fs::read(file) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("== {file}");
        let mut framer = LineFramer::new(512);
        let mut rest = &data[..];
        while !rest.is_empty() {
            let (line, consumed) = match framer.next_line(rest) {
                Ok(Status::Complete { value: Line::Complete(l), consumed }) => (l, consumed),
                Ok(Status::Complete { value: Line::TooLong { len }, consumed }) => {
                    println!("   !! line of {len} octets skipped (over 512)");
                    rest = &rest[consumed..];
                    continue;
                }
                Ok(Status::Complete { consumed, .. }) => {
                    rest = &rest[consumed..];
                    continue;
                }
                Ok(Status::Incomplete) => {
                    println!("   .. {} octets without CRLF at the end", rest.len());
                    break;
                }
                Err(e) => {
                    println!("   !! framing error: {e}");
                    bad += 1;
                    break;
                }
            };
            rest = &rest[consumed..];
            print!("C: {}", String::from_utf8_lossy(line).replace("\r\n", "\\r\\n\n"));
            match Command::parse(line) {
                Ok(cmd) => {
                    let again = cmd.to_vec();
                    let same = again == line;
                    println!("   = {}", describe(&cmd));
                    println!(
                        "   re-encoded {} ({} octets)",
                        if same { "byte for byte" } else { "DIFFERENTLY" },
                        again.len()
                    );
                    if same {
                        ok += 1
                    } else {
                        bad += 1
                    }
                    // Skip the message body that follows DATA or BDAT.
                    match cmd.body() {
                        CommandBody::Data => {
                            let end = if rest.starts_with(b".\r\n") {
                                Some(3)
                            } else {
                                rest.windows(5).position(|w| w == b"\r\n.\r\n").map(|p| p + 5)
                            };
                            let n = end.unwrap_or(rest.len());
                            println!("   [message body: {n} octets up to CRLF.CRLF]");
                            rest = &rest[n..];
                        }
                        CommandBody::Bdat { size, .. } => {
                            let n = (*size as usize).min(rest.len());
                            println!("   [chunk: {n} octets]");
                            rest = &rest[n..];
                        }
                        _ => {}
                    }
                }
                Err(e) => {
                    println!("   !! {e}");
                    bad += 1;
                }
            }
        }
    }
    println!("\n{ok} commands parsed and re-encoded exactly, {bad} problems");
    if bad == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn describe(cmd: &Command<'_>) -> String {
    match cmd.body() {
        CommandBody::Ehlo { host } | CommandBody::Helo { host } | CommandBody::Lhlo { host } => {
            format!("{} from {host}", cmd.verb())
        }
        CommandBody::Mail { reverse_path, params } => {
            let p: Vec<String> = params.iter().map(|p| describe_param(&p)).collect();
            format!("MAIL sender {reverse_path} params [{}]", p.join(", "))
        }
        CommandBody::Rcpt { forward_path, params } => {
            let p: Vec<String> = params.iter().map(|p| describe_param(&p)).collect();
            format!("RCPT recipient {forward_path} params [{}]", p.join(", "))
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
