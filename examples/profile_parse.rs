//! Profiling driver (not a benchmark): parses a fixed mix in a loop so `perf record` or
//! `valgrind --tool=callgrind` can attribute the time, and so instruction counts can compare
//! two builds on a noisy machine. `cargo run --release --example profile_parse -- WHAT ROUNDS`
//! with WHAT one of `commands` (the corpus client lines), `replies` (the corpus server
//! replies), `ehlo` (the corpus EHLO replies, capabilities typed) or `data` (the corpus DATA
//! bodies, decoded in 16 KiB reads), `build` (each corpus reply rebuilt with `ReplyBuilder`,
//! each EHLO reply with `EhloReply::new`), `body` / `body-copy` (a generated 4 MiB plain
//! body, the one `benches/data.rs` calls `plain`, decoded in 16 KiB reads; runs touched, or
//! appended to a `Vec`), `build-replies` / `build-ehlo` (what `benches/reply.rs` times:
//! each corpus reply, or each EHLO reply, built from parts prepared beforehand and encoded
//! into one `Vec`), `write-replies` / `write-ehlo` (the same parts written with
//! `Reply::write_to` / `EhloReply::write_to` into one `Vec`: no allocation), `write-common` (the
//! single-line corpus replies with an enhanced code written with `Reply::write_to`; compare with
//! `write-common-proto`, smtp-proto's `Response::write` on the same parts, and `build-common`,
//! the same replies built with `ReplyBuilder` and encoded, as `benches/reply.rs` times it; `write-ehlo`
//! with `write-ehlo-proto`, its `EhloResponse::write`), `encode` (the corpus client lines, parsed beforehand, encoded into one
//! `Vec`). The peers on the same inputs, for instruction counts side by side:
//! `commands-proto` (smtp-proto's `Request::parse` on the lines it accepts; compare with
//! `commands-common`, smtp-wire on the same lines), `commands-bench` / `commands-bench-proto`
//! (exactly what `benches/command.rs` times in its `parse_commands` group), `encode-codec` (smtp-codec's serializer
//! on the commands both write alike; compare with `encode-common`), `encode-bench` /
//! `encode-bench-codec` (the same on exactly what `benches/command.rs` times in its
//! `encode_commands` group: its mix and the corpus lines, `inputs::command_lines`), `body-proto` (smtp-proto's
//! `DataReceiver` on the `body` input, copying like `body-copy`), `ehlo-proto` (smtp-proto's
//! `EhloResponse::parse` on the corpus EHLO replies; compare with `ehlo-parse`, smtp-wire's
//! parse alone, and `ehlo`, parse and every capability typed). What `benches/reply.rs` times
//! in its `parse_ehlo` group, on its six EHLO replies (`inputs::EHLO`):
//! `ehlo-bench` (`EhloReply::parse`), `ehlo-bench-typed` (parse, every capability typed,
//! `size_limit` and the `auth_mechanisms` counted) and `ehlo-bench-proto` (smtp-proto's
//! `EhloResponse::parse`); the parts of `ehlo-bench-typed` alone, after the parse:
//! `x-caps` (the capabilities typed), `x-count` (counted), `x-size` (`size_limit`) and
//! `x-auth` (the `auth_mechanisms` counted); and on the six replies parsed beforehand, without
//! the parse: `y-caps` (the capabilities typed), `y-caps-forget` (the same, each value
//! forgotten instead of dropped: the cost of `Capability`'s drop) and `y-auth` (the
//! `auth_mechanisms` counted). What `benches/reply.rs` times in its
//! `write_ehlo` group: `write-ehlo-bench` (`EhloReply::write_to` of the parts of the six
//! bench replies) and `write-ehlo-bench-proto` (smtp-proto's `EhloResponse::write` of them).
//! The other generated bodies of `benches/data.rs` the same way: `long` / `long-copy` /
//! `long-proto` (the `long-lines` body) and `dots` / `dots-copy` / `dots-proto` (the
//! `dot-heavy` body); `bdat-copy` / `bdat-proto` (the `plain` body in 1 MiB BINARYMIME chunks read in
//! 16 KiB pieces and appended to a `Vec`, as `bdat_decode/plain` does, or smtp-proto's
//! `BdatReceiver` on the same reads); `body-memcpy` / `long-memcpy` / `dots-memcpy` (the
//! reads of a body appended to a `Vec`: the bench's "memcpy of the reads").
//!
//! `pair A B [PAIRS]` times two of these modes against each other, alternating in short
//! blocks (see [`pair`]): `pair ehlo-bench-typed ehlo-bench-proto` says how many times faster
//! the typed EHLO workload is than smtp-proto's parse, with a spread, on a machine whose speed
//! drifts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../benches/common/inputs.rs"]
mod inputs;

use std::hint::black_box;

use smtp_wire::framing::{DataDecoder, DataEvent};
use smtp_wire::{Capability, Command, CommandBody, EhloReply, Encode, Reply, ReplyBuilder, Status};

fn corpus(ext: &str) -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.into_iter().filter(|p| p.extension().is_some_and(|e| e == ext)).map(|p| std::fs::read(p).unwrap()).collect()
}

/// Client lines up to the first DATA or BDAT of each stream, and the DATA bodies.
fn client_side() -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let (mut lines, mut bodies) = (Vec::new(), Vec::new());
    for data in corpus("c2s") {
        let mut rest = &data[..];
        while let Ok(Status::Complete { value, consumed }) = Command::parse_prefix(rest) {
            lines.push(rest[..consumed].to_vec());
            rest = &rest[consumed..];
            match value.body() {
                CommandBody::Data => {
                    bodies.push(rest.to_vec());
                    break;
                }
                CommandBody::Bdat { .. } => break,
                _ => {}
            }
        }
    }
    (lines, bodies)
}

/// Every reply of the server streams.
fn replies() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for data in corpus("s2c") {
        let mut rest = &data[..];
        while let Ok(Status::Complete { consumed, .. }) = Reply::parse_prefix(rest) {
            out.push(rest[..consumed].to_vec());
            rest = &rest[consumed..];
        }
    }
    out
}

/// The `plain` body of `benches/data.rs` (the same generator and seed), DATA-encoded.
fn plain_wire() -> Vec<u8> {
    let body = inputs::plain(&mut inputs::Rng(inputs::SEED));
    let mut out = Vec::new();
    let mut enc = smtp_wire::framing::DataEncoder::default();
    enc.encode(&body, &mut out).unwrap();
    enc.finish(&mut out).unwrap();
    out
}

/// One of the generated bodies of `benches/data.rs`, by its name there, DATA-encoded.
fn body_wire(name: &str) -> Vec<u8> {
    let body = inputs::bodies().into_iter().find(|(n, _)| *n == name).unwrap().1;
    let mut out = Vec::new();
    let mut enc = smtp_wire::framing::DataEncoder::default();
    enc.encode(&body, &mut out).unwrap();
    enc.finish(&mut out).unwrap();
    out
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "commands".into());
    let rounds: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(20000);
    let (lines, bodies) = client_side();
    let replies = replies();
    let ehlos: Vec<Vec<u8>> = replies.iter().filter(|r| EhloReply::parse(r).is_ok()).cloned().collect();
    let parsed: Vec<Reply<'_>> = replies.iter().map(|r| Reply::parse(r).unwrap()).collect();
    // A reply's parts (host, greeting, typed capabilities), as `benches/reply.rs` writes them.
    let parts_of = |e: &[u8]| {
        let e = EhloReply::parse(e).unwrap();
        (
            e.host().into_owned(),
            e.greeting().map(str::to_owned),
            e.capabilities().map(Capability::into_owned).collect::<Vec<_>>(),
        )
    };
    let parts: Vec<_> = ehlos.iter().map(|e| parts_of(e)).collect();
    // The same of the bench replies (`inputs::EHLO`).
    let bench_parts: Vec<_> = inputs::EHLO.iter().map(|e| parts_of(e)).collect();
    let bench_proto: Vec<_> =
        inputs::EHLO.iter().map(|e| smtp_proto::EhloResponse::<String>::parse(&mut e.iter()).unwrap()).collect();
    let reply_parts: Vec<_> = parsed
        .iter()
        .map(|r| {
            let esc = r.enhanced_code();
            let texts: Vec<String> =
                r.lines().map(|l| if esc.is_some() { l.message() } else { l.text() }.to_owned()).collect();
            (r.code(), esc, texts)
        })
        .collect();
    let reply_texts: Vec<Vec<&str>> =
        reply_parts.iter().map(|(_, _, texts)| texts.iter().map(String::as_str).collect()).collect();
    // What smtp-proto's writers write alike: single-line replies with an enhanced code of
    // one-digit parts, and the EHLO replies (its greeting is fixed).
    let common_replies = inputs::single_line_enhanced(&parsed);
    let proto_replies = inputs::proto_responses(&common_replies);
    let proto_ehlos: Vec<_> =
        ehlos.iter().map(|e| smtp_proto::EhloResponse::<String>::parse(&mut e.iter()).unwrap()).collect();
    let mut out = Vec::with_capacity(64 << 10);
    let commands: Vec<Command<'_>> = lines.iter().map(|l| Command::parse(l).unwrap()).collect();
    // The modes to run: `what`, or the two of `pair`, which share their inputs.
    let modes: Vec<String> =
        if what == "pair" { std::env::args().skip(2).take(2).collect() } else { vec![what.clone()] };
    let wants = |prefix: &str| modes.iter().any(|m| m.starts_with(prefix));
    let wire = if wants("body") || wants("bdat") {
        plain_wire()
    } else if wants("long") || wants("dots") {
        assert!(!(wants("long") && wants("dots")), "one generated body at a time");
        body_wire(if wants("long") { "long-lines" } else { "dot-heavy" })
    } else {
        Vec::new()
    };
    let bdat_body = if wants("bdat") { inputs::plain(&mut inputs::Rng(inputs::SEED)) } else { Vec::new() };
    let mut copy = Vec::with_capacity(wire.len());
    let proto_lines: Vec<&Vec<u8>> =
        lines.iter().filter(|l| smtp_proto::Request::parse(&mut l.iter()).is_ok()).collect();
    let common = inputs::codec_common(&lines);
    let bench_lines =
        if wants("encode-bench") || wants("commands-bench") { inputs::command_lines() } else { Vec::new() };
    let bench_common = inputs::codec_common(&bench_lines);
    let bench_ehlo: Vec<EhloReply<'_>> = inputs::EHLO.iter().map(|e| EhloReply::parse(e).unwrap()).collect();
    // One round of the workload `what`.
    let mut step = |what: &str| -> usize {
        let mut n = 0usize;
        match what {
            "commands" => {
                for l in &lines {
                    n += usize::from(black_box(Command::parse(black_box(l))).is_ok());
                }
            }
            "replies" => {
                for r in &replies {
                    n += usize::from(black_box(Reply::parse(black_box(r))).is_ok());
                }
            }
            "ehlo" => {
                for e in &ehlos {
                    n += EhloReply::parse(black_box(e)).map_or(0, |e| e.capabilities().count());
                }
            }
            "ehlo-parse" => {
                for e in &ehlos {
                    n += usize::from(black_box(EhloReply::parse(black_box(e))).is_ok());
                }
            }
            "ehlo-bench" => {
                for e in inputs::EHLO {
                    n += usize::from(black_box(EhloReply::parse(black_box(e))).is_ok());
                }
            }
            "ehlo-bench-typed" => {
                for e in inputs::EHLO {
                    let e = EhloReply::parse(black_box(e)).unwrap();
                    for cap in e.capabilities() {
                        black_box(cap);
                    }
                    black_box((e.size_limit(), e.auth_mechanisms().count()));
                }
            }
            "x-caps" => {
                for e in inputs::EHLO {
                    let e = EhloReply::parse(black_box(e)).unwrap();
                    for cap in e.capabilities() {
                        black_box(cap);
                    }
                }
            }
            "x-count" => {
                for e in inputs::EHLO {
                    let e = EhloReply::parse(black_box(e)).unwrap();
                    n += e.capabilities().count();
                }
            }
            "x-size" => {
                for e in inputs::EHLO {
                    let e = EhloReply::parse(black_box(e)).unwrap();
                    black_box(e.size_limit());
                }
            }
            "x-auth" => {
                for e in inputs::EHLO {
                    let e = EhloReply::parse(black_box(e)).unwrap();
                    black_box(e.auth_mechanisms().count());
                }
            }
            // The same parts on replies parsed beforehand (`bench_ehlo`): the typed view alone,
            // the typed view with each value forgotten instead of dropped (what the drop of a
            // `Capability` costs), the `auth_mechanisms` counted alone.
            "y-caps" => {
                for e in &bench_ehlo {
                    for cap in black_box(e).capabilities() {
                        black_box(cap);
                    }
                }
            }
            "y-caps-forget" => {
                for e in &bench_ehlo {
                    for cap in black_box(e).capabilities() {
                        // Handed over by value as in `y-caps`, then not dropped.
                        std::mem::forget(black_box(cap));
                    }
                }
            }
            "y-auth" => {
                for e in &bench_ehlo {
                    n += black_box(e).auth_mechanisms().count();
                }
            }
            "ehlo-bench-proto" => {
                for e in inputs::EHLO {
                    n += usize::from(
                        black_box(smtp_proto::EhloResponse::<String>::parse(&mut black_box(e).iter())).is_ok(),
                    );
                }
            }
            "ehlo-proto" => {
                for e in &ehlos {
                    n += usize::from(
                        black_box(smtp_proto::EhloResponse::<String>::parse(&mut black_box(e).iter())).is_ok(),
                    );
                }
            }
            "data" => {
                for b in &bodies {
                    let mut dec = DataDecoder::default();
                    'body: for piece in b.chunks(16 << 10) {
                        let mut input = piece;
                        loop {
                            let d = dec.decode(black_box(input));
                            input = &input[d.consumed..];
                            match d.event {
                                DataEvent::Body(run) => n += run.len(),
                                DataEvent::NeedMore => break,
                                _ => break 'body,
                            }
                        }
                    }
                }
            }
            "body-memcpy" | "long-memcpy" | "dots-memcpy" => {
                copy.clear();
                for piece in black_box(&wire).chunks(16 << 10) {
                    copy.extend_from_slice(piece);
                }
                n += copy.len();
            }
            "body" | "body-copy" | "long" | "long-copy" | "dots" | "dots-copy" => {
                let mut dec = DataDecoder::default();
                copy.clear();
                'wire: for piece in black_box(&wire).chunks(16 << 10) {
                    let mut input = piece;
                    loop {
                        let d = dec.decode(input);
                        input = &input[d.consumed..];
                        match d.event {
                            DataEvent::Body(run) if !what.ends_with("copy") => n += black_box(run).len(),
                            DataEvent::Body(run) => copy.extend_from_slice(run),
                            DataEvent::NeedMore => break,
                            _ => break 'wire,
                        }
                    }
                }
                n += copy.len();
            }
            "commands-bench" => {
                for l in &bench_lines {
                    black_box(Command::parse(black_box(l)).unwrap());
                    n += 1;
                }
            }
            "commands-bench-proto" => {
                for l in &bench_lines {
                    black_box(smtp_proto::Request::parse(&mut black_box(l).iter()).unwrap());
                    n += 1;
                }
            }
            "commands-proto" => {
                for l in &proto_lines {
                    n += usize::from(black_box(smtp_proto::Request::parse(&mut black_box(l).iter())).is_ok());
                }
            }
            "commands-common" => {
                for l in &proto_lines {
                    n += usize::from(black_box(Command::parse(black_box(l))).is_ok());
                }
            }
            "encode-codec" | "encode-bench-codec" => {
                let set = if what == "encode-codec" { &common } else { &bench_common };
                out.clear();
                for (_, c) in set {
                    black_box(c).serialize(&mut out).unwrap();
                }
                n += black_box(out.len());
            }
            "encode-common" | "encode-bench" => {
                let set = if what == "encode-common" { &common } else { &bench_common };
                out.clear();
                for (c, _) in set {
                    black_box(c).encode(&mut out);
                }
                n += black_box(out.len());
            }
            "bdat-copy" => {
                let chunks: Vec<&[u8]> = bdat_body.chunks(1 << 20).collect();
                copy.clear();
                let mut dec = smtp_wire::framing::BdatDecoder::new(smtp_wire::framing::BodyConfig::BINARYMIME);
                for (k, chunk) in black_box(&chunks).iter().enumerate() {
                    dec.start_chunk(chunk.len() as u64, k + 1 == chunks.len()).unwrap();
                    'chunk: for read in chunk.chunks(16 << 10).chain([&[][..]]) {
                        let mut input = read;
                        loop {
                            let d = dec.decode(input);
                            input = &input[d.consumed..];
                            match d.event {
                                smtp_wire::framing::BdatEvent::Body(run) => copy.extend_from_slice(run),
                                smtp_wire::framing::BdatEvent::NeedMore => break,
                                _ => break 'chunk,
                            }
                        }
                    }
                }
                n += copy.len();
            }
            "bdat-proto" => {
                let chunks: Vec<&[u8]> = bdat_body.chunks(1 << 20).collect();
                copy.clear();
                for (k, chunk) in black_box(&chunks).iter().enumerate() {
                    let mut r = smtp_proto::request::receiver::BdatReceiver::new(chunk.len(), k + 1 == chunks.len());
                    for read in chunk.chunks(16 << 10) {
                        r.ingest(&mut read.iter(), &mut copy);
                    }
                }
                n += copy.len();
            }
            "body-proto" | "long-proto" | "dots-proto" => {
                copy.clear();
                let mut r = smtp_proto::request::receiver::DataReceiver::new();
                for piece in black_box(&wire).chunks(16 << 10) {
                    if r.ingest(&mut piece.iter(), &mut copy) {
                        break;
                    }
                }
                n += copy.len();
            }
            "encode" => {
                out.clear();
                for c in &commands {
                    black_box(c).encode(&mut out);
                }
                n += black_box(out.len());
            }
            "build-replies" => {
                out.clear();
                for (code, esc, texts) in &reply_parts {
                    let mut b = ReplyBuilder::new(*code);
                    if let Some(e) = esc {
                        b = b.enhanced_code(*e);
                    }
                    b.lines(texts.iter().map(String::as_str)).build().unwrap().encode(&mut out);
                }
                n += black_box(out.len());
            }
            "write-replies" => {
                out.clear();
                for ((code, esc, _), texts) in reply_parts.iter().zip(&reply_texts) {
                    Reply::write_to(&mut out, *code, *esc, texts).unwrap();
                }
                n += black_box(out.len());
            }
            "write-ehlo" | "write-ehlo-bench" => {
                let set = if what == "write-ehlo" { &parts } else { &bench_parts };
                out.clear();
                for (host, greeting, caps) in set {
                    EhloReply::write_to(&mut out, host, greeting.as_deref(), caps).unwrap();
                }
                n += black_box(out.len());
            }
            "write-common" => {
                out.clear();
                for (code, esc, msg) in &common_replies {
                    Reply::write_to(&mut out, *code, Some(*esc), &[msg.as_str()]).unwrap();
                }
                n += black_box(out.len());
            }
            "build-common" => {
                out.clear();
                for (code, esc, msg) in &common_replies {
                    ReplyBuilder::new(*code).enhanced_code(*esc).line(msg).build().unwrap().encode(&mut out);
                }
                n += black_box(out.len());
            }
            "write-common-proto" => {
                out.clear();
                for r in &proto_replies {
                    black_box(r).write(&mut out).unwrap();
                }
                n += black_box(out.len());
            }
            "write-ehlo-proto" | "write-ehlo-bench-proto" => {
                let set = if what == "write-ehlo-proto" { &proto_ehlos } else { &bench_proto };
                out.clear();
                for e in set {
                    black_box(e).write(&mut out).unwrap();
                }
                n += black_box(out.len());
            }
            "build-ehlo" => {
                out.clear();
                for (host, greeting, caps) in &parts {
                    EhloReply::new(host, greeting.as_deref(), caps).unwrap().encode(&mut out);
                }
                n += black_box(out.len());
            }
            "build" => {
                for r in &parsed {
                    let mut b = ReplyBuilder::new(r.code());
                    if let Some(e) = r.enhanced_code() {
                        b = b.enhanced_code(e);
                    }
                    let b =
                        b.lines(r.lines().map(|l| if r.enhanced_code().is_some() { l.message() } else { l.text() }));
                    n += black_box(b.build()).map_or(0, |r| r.line_count());
                }
                for (host, greeting, caps) in &parts {
                    n += black_box(EhloReply::new(host, greeting.as_deref(), caps))
                        .map_or(0, |e| e.reply().line_count());
                }
            }
            other => panic!("unknown mix {other}"),
        }
        n
    };
    if what == "pair" {
        let a = std::env::args().nth(2).expect("pair A B [PAIRS]");
        let b = std::env::args().nth(3).expect("pair A B [PAIRS]");
        let pairs: usize = std::env::args().nth(4).and_then(|a| a.parse().ok()).unwrap_or(200);
        pair(&mut step, &a, &b, pairs);
        return;
    }
    let mut n = 0usize;
    for _ in 0..rounds {
        n += step(&what);
    }
    println!(
        "{what}: {n} ({} lines, {} replies, {} EHLO, {} bodies)",
        lines.len(),
        replies.len(),
        ehlos.len(),
        bodies.len()
    );
}

/// `pair A B [PAIRS]`: runs the workloads `A` and `B` (two of the modes above, on the same
/// inputs) alternately in blocks of the same number of rounds (about 2 ms of `A` each),
/// `PAIRS` times (200 unless given), which one goes first flipped every pair, and prints the
/// quartiles of `B`'s time over `A`'s within each pair: how many times faster `A` is. This
/// machine's speed drifts by tens of percent over minutes, which moves two figures taken one
/// after the other (as criterion takes a group's functions) more than it moves a ratio taken
/// within a few milliseconds.
fn pair(step: &mut dyn FnMut(&str) -> usize, a: &str, b: &str, pairs: usize) {
    use std::time::{Duration, Instant};
    let mut rounds = 1usize;
    loop {
        let t = Instant::now();
        for _ in 0..rounds {
            black_box(step(a));
        }
        if t.elapsed() >= Duration::from_millis(2) || rounds >= 1 << 24 {
            break;
        }
        rounds *= 2;
    }
    let mut time = |m: &str| {
        let t = Instant::now();
        for _ in 0..rounds {
            black_box(step(m));
        }
        t.elapsed().as_secs_f64() * 1e6 / rounds as f64
    };
    let (mut ta, mut tb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..pairs.max(1) {
        let (x, y) = if i % 2 == 0 {
            let x = time(a);
            (x, time(b))
        } else {
            let y = time(b);
            (time(a), y)
        };
        ta.push(x);
        tb.push(y);
        ratio.push(y / x);
    }
    for v in [&mut ta, &mut tb, &mut ratio] {
        v.sort_by(f64::total_cmp);
    }
    let q = |v: &[f64], k: usize| v[(v.len() - 1) * k / 4];
    println!(
        "{a} vs {b}: {a} is {:.2}x as fast (quartiles {:.2}-{:.2}, {} pairs of {rounds} rounds); per round {a} {:.3} us, {b} {:.3} us (medians)",
        q(&ratio, 2),
        q(&ratio, 1),
        q(&ratio, 3),
        ratio.len(),
        q(&ta, 2),
        q(&tb, 2)
    );
}
