//! Profiling driver (not a benchmark): parses the benchmark mix in a loop so `perf record`
//! or `valgrind --tool=callgrind` can attribute the time. `cargo run --release --example profile_parse`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use smtp_wire::{Command, CommandBody, Status};

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|e| e != "c2s") {
            continue;
        }
        let data = std::fs::read(p).unwrap();
        let mut rest = &data[..];
        while let Ok(Status::Complete { value, consumed }) = Command::parse_prefix(rest) {
            let body = matches!(value.body(), CommandBody::Data | CommandBody::Bdat { .. });
            lines.push(rest[..consumed].to_vec());
            rest = &rest[consumed..];
            if body {
                break;
            }
        }
    }
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20000);
    let mut n = 0usize;
    for _ in 0..rounds {
        for l in &lines {
            n += std::hint::black_box(Command::parse(std::hint::black_box(l))).is_ok() as usize;
        }
    }
    println!("{n} commands parsed");
}
