//! Message body throughput: DATA decoding and encoding, BDAT decoding, on multi-megabyte
//! bodies (plain text, dot-heavy, long lines) in 16 KiB reads, beside the practical limit (a
//! bare `memchr` scan for LF over the same reads) and beside `smtp-proto` 0.2.5's
//! `DataReceiver` (the fastest Rust peer), in the same run.
//!
//! `smtp-proto` copies the body into a `Vec`; `smtp-wire` yields borrowed runs. Both are shown:
//! `smtp-wire` alone (runs touched, not copied) and `smtp-wire + copy` (runs appended to a
//! `Vec`, the same work as the peer). The target is decoding at no less than half the speed
//! of the `memchr` scan.
//!
//! Run: `cargo bench --bench data`. Read the `bytes/s` figures; criterion reports them in GiB/s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smtp_wire::framing::{BdatDecoder, BdatEvent, BodyConfig, DataDecoder, DataEncoder, DataEvent, EncoderConfig};

#[path = "common/inputs.rs"]
mod inputs;

use inputs::bodies;

const READ: usize = 16 * 1024;

fn wire_of(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 8 + 8);
    let mut enc = DataEncoder::default();
    enc.encode(body, &mut out).unwrap();
    enc.finish(&mut out).unwrap();
    out
}

/// Decodes `wire` in reads; `sink` sees every body run. Returns the body length.
fn decode(wire: &[u8], mut sink: impl FnMut(&[u8])) -> u64 {
    let mut dec = DataDecoder::default();
    for read in wire.chunks(READ) {
        let mut input = read;
        loop {
            let d = dec.decode(input);
            input = &input[d.consumed..];
            match d.event {
                DataEvent::Body(run) => sink(run),
                DataEvent::NeedMore => break,
                DataEvent::End(s) => return s.body_len(),
                _ => unreachable!(),
            }
        }
    }
    panic!("no end of data")
}

/// Decodes `wire` in reads, touching every run without copying it. Returns the body length.
fn decode_len(wire: &[u8]) -> usize {
    let mut dec = DataDecoder::default();
    let mut len = 0;
    for read in wire.chunks(READ) {
        let mut input = read;
        loop {
            let d = dec.decode(input);
            input = &input[d.consumed..];
            match d.event {
                DataEvent::Body(run) => len += black_box(run).len(),
                DataEvent::NeedMore => break,
                _ => return len,
            }
        }
    }
    len
}

fn data_decode(c: &mut Criterion) {
    for (name, body) in bodies() {
        let wire = wire_of(&body);
        // Sanity: every decoder gives the same body.
        let mut ours = Vec::new();
        assert_eq!(decode(&wire, |r| ours.extend_from_slice(r)), body.len() as u64);
        assert_eq!(ours, body);
        let mut theirs = Vec::new();
        let mut r = smtp_proto::request::receiver::DataReceiver::new();
        let ended = wire.chunks(READ).any(|read| r.ingest(&mut read.iter(), &mut theirs));
        assert!(ended);
        assert_eq!(theirs, body, "smtp-proto decodes {name} differently");

        let mut g = c.benchmark_group(format!("data_decode/{name}"));
        g.throughput(Throughput::Bytes(wire.len() as u64));
        g.bench_function("memchr LF scan (limit)", |b| {
            b.iter(|| {
                let mut lines = 0usize;
                for read in black_box(&wire).chunks(READ) {
                    let mut at = 0;
                    while let Some(i) = memchr::memchr(b'\n', &read[at..]) {
                        lines += 1;
                        at += i + 1;
                    }
                }
                lines
            })
        });
        g.bench_function("smtp-wire", |b| b.iter(|| decode_len(black_box(&wire))));
        let mut out = Vec::with_capacity(wire.len());
        g.bench_function("smtp-wire + copy", |b| {
            b.iter(|| {
                out.clear();
                decode(black_box(&wire), |run| out.extend_from_slice(run));
                out.len()
            })
        });
        g.bench_function("smtp-proto 0.2.5 (copies)", |b| {
            b.iter(|| {
                out.clear();
                let mut r = smtp_proto::request::receiver::DataReceiver::new();
                for read in black_box(&wire).chunks(READ) {
                    if r.ingest(&mut read.iter(), &mut out) {
                        break;
                    }
                }
                out.len()
            })
        });
        g.bench_function("memcpy of the reads", |b| {
            b.iter(|| {
                out.clear();
                for read in black_box(&wire).chunks(READ) {
                    out.extend_from_slice(read);
                }
                out.len()
            })
        });
        g.finish();
    }
}

fn data_encode(c: &mut Criterion) {
    for (name, body) in bodies() {
        let mut out = Vec::with_capacity(body.len() * 2);
        let mut g = c.benchmark_group(format!("data_encode/{name}"));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("smtp-wire", |b| {
            b.iter(|| {
                out.clear();
                let mut enc = DataEncoder::new(EncoderConfig::STRICT);
                for piece in black_box(&body).chunks(READ) {
                    enc.encode(piece, &mut out).unwrap();
                }
                enc.finish(&mut out).unwrap();
                out.len()
            })
        });
        g.bench_function("memcpy of the pieces", |b| {
            b.iter(|| {
                out.clear();
                for piece in black_box(&body).chunks(READ) {
                    out.extend_from_slice(piece);
                }
                out.len()
            })
        });
        g.finish();
    }
}

fn bdat_decode(c: &mut Criterion) {
    let (_, body) = bodies().swap_remove(0);
    // 1 MiB chunks, as Exim and Postfix clients send them, read in 16 KiB pieces.
    let chunks: Vec<&[u8]> = body.chunks(1 << 20).collect();
    let mut g = c.benchmark_group("bdat_decode/plain");
    g.throughput(Throughput::Bytes(body.len() as u64));
    // BINARYMIME runs are the input itself (no octet is looked at), so that figure alone only
    // says the framing costs nothing; the "+ copy" rows do the peer's work.
    let mut out = Vec::with_capacity(body.len());
    for (label, cfg, copy) in [
        ("smtp-wire text (strict)", BodyConfig::STRICT, false),
        ("smtp-wire text (strict) + copy", BodyConfig::STRICT, true),
        ("smtp-wire BINARYMIME", BodyConfig::BINARYMIME, false),
        ("smtp-wire BINARYMIME + copy", BodyConfig::BINARYMIME, true),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| {
                out.clear();
                let mut dec = BdatDecoder::new(cfg);
                let mut sum = 0usize;
                for (k, chunk) in black_box(&chunks).iter().enumerate() {
                    dec.start_chunk(chunk.len() as u64, k + 1 == chunks.len()).unwrap();
                    'chunk: for read in chunk.chunks(READ).chain([&[][..]]) {
                        let mut input = read;
                        loop {
                            let d = dec.decode(input);
                            input = &input[d.consumed..];
                            match d.event {
                                BdatEvent::Body(run) if copy => out.extend_from_slice(run),
                                BdatEvent::Body(run) => sum += black_box(run).len(),
                                BdatEvent::NeedMore => break,
                                BdatEvent::ChunkEnd(_) => break 'chunk,
                                _ => unreachable!(),
                            }
                        }
                    }
                }
                assert!(dec.is_complete());
                sum + out.len()
            })
        });
    }
    g.bench_function("smtp-proto 0.2.5 BdatReceiver (copies)", |b| {
        b.iter(|| {
            out.clear();
            for (k, chunk) in black_box(&chunks).iter().enumerate() {
                let mut r = smtp_proto::request::receiver::BdatReceiver::new(chunk.len(), k + 1 == chunks.len());
                for read in chunk.chunks(READ) {
                    r.ingest(&mut read.iter(), &mut out);
                }
            }
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, data_decode, data_encode, bdat_decode);
criterion_main!(benches);
