//! Command parsing and encoding throughput, beside `smtp-proto` 0.2.5 (the fastest Rust peer)
//! and, for encoding, `smtp-codec` 0.2.0, on the same inputs in the same run.
//!
//! The mix is what a busy MX sees per message: EHLO, MAIL with parameters, several RCPTs,
//! DATA or BDAT, RSET/NOOP/QUIT, plus the real client lines from `tests/corpus`. Only lines
//! both parsers accept are used, so the two do the same work.
//!
//! Run: `cargo bench --bench command`. Read the `elements/s` figure as commands per second.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

#[path = "common/inputs.rs"]
mod inputs;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smtp_wire::{Command, CommandBody, Encode, ParseOptions};

fn parse(c: &mut Criterion) {
    let lines = inputs::command_lines();
    let bytes: usize = lines.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("parse_commands");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("smtp-wire", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(Command::parse(black_box(l)).unwrap());
            }
        })
    });
    g.bench_function("smtp-wire (params iterated)", |b| {
        b.iter(|| {
            for l in &lines {
                let cmd = Command::parse(black_box(l)).unwrap();
                if let CommandBody::Mail { params, .. } | CommandBody::Rcpt { params, .. } = cmd.body() {
                    for p in params {
                        black_box(p);
                    }
                }
                black_box(cmd);
            }
        })
    });
    g.bench_function("smtp-proto 0.2.5", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(smtp_proto::Request::parse(&mut black_box(l).iter()).unwrap());
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("parse_commands_bytes");
    g.throughput(Throughput::Bytes(bytes as u64));
    let opts = ParseOptions::default();
    g.bench_function("smtp-wire", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(Command::parse_with(black_box(l), &opts).unwrap());
            }
        })
    });
    g.bench_function("smtp-proto 0.2.5", |b| {
        b.iter(|| {
            for l in &lines {
                black_box(smtp_proto::Request::parse(&mut black_box(l).iter()).unwrap());
            }
        })
    });
    g.finish();
}

fn encode(c: &mut Criterion) {
    let lines = inputs::command_lines();
    let both = inputs::codec_common(&lines);
    assert!(both.len() >= 20, "only {} commands in common", both.len());
    eprintln!("encode_commands: {} of {} commands, written alike by both encoders", both.len(), lines.len());
    let mut out = Vec::with_capacity(4096);
    let mut g = c.benchmark_group("encode_commands");
    g.throughput(Throughput::Elements(both.len() as u64));
    g.bench_function("smtp-wire", |b| {
        b.iter(|| {
            out.clear();
            for (c, _) in &both {
                black_box(c).encode(&mut out);
            }
            black_box(out.len())
        })
    });
    g.bench_function("smtp-codec 0.2.0", |b| {
        b.iter(|| {
            out.clear();
            for (_, c) in &both {
                black_box(c).serialize(&mut out).unwrap();
            }
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, parse, encode);
criterion_main!(benches);
