//! Whole sessions through the in-memory `Pair` (`tests/common/pair.rs`): the crate's client
//! and server, greeting, EHLO, STARTTLS with a pretend handshake, EHLO again, MAIL, five RCPT,
//! a 10 KiB body by DATA (pipelined), QUIT. Both machines run in the one thread, so
//! `elements/s` is sessions per second per core for the two sides together.
//!
//! Before measuring, the bench prints the heap allocations of one session (counted with
//! `allocation-counter`), and how many of them are the harness's setting up the pair and the
//! envelope.
//!
//! Run: `cargo bench --bench session`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "../tests/common/pair.rs"]
mod pair;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pair::Pair;
use smtp_wire::{ClientConfig, Domain, Envelope, ForwardPath, ReversePath, ServerConfig, TlsPolicy};

/// A 10 KiB message of ~70-octet lines, a few starting with a dot.
fn body() -> Vec<u8> {
    let mut b = b"From: <alice@example.org>\r\nTo: <bob@example.net>\r\nSubject: session bench\r\n\r\n".to_vec();
    let mut i = 0;
    while b.len() < 10 * 1024 {
        if i % 20 == 7 {
            b.extend_from_slice(b".a line that starts with a dot and is stuffed on the wire..........\r\n");
        } else {
            b.extend_from_slice(b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusm\r\n");
        }
        i += 1;
    }
    b
}

fn configs() -> (ServerConfig, ClientConfig) {
    let mut server = ServerConfig::new(Domain::new("mx.bench").unwrap());
    server.tls_policy = TlsPolicy::Opportunistic;
    let client = ClientConfig::new(Domain::new("client.bench").unwrap()).with_tls_policy(TlsPolicy::Required);
    (server, client)
}

fn envelope(body: &[u8]) -> Envelope {
    let from = ReversePath::parse(b"<alice@example.org>").unwrap().into_owned();
    let mut env = Envelope::new(from, body);
    for i in 0..5 {
        let to = format!("<rcpt{i}@example.net>");
        env = env.with_recipient(ForwardPath::parse(to.as_bytes()).unwrap().into_owned());
    }
    env
}

/// One session; returns the bytes delivered (checked once, below).
fn session(server: &ServerConfig, client: &ClientConfig, env: Envelope) -> Pair {
    let mut p = Pair::new(server.clone(), client.clone());
    p.record = false;
    p.send(env);
    p.drive_bounded(1000);
    p
}

fn bench(c: &mut Criterion) {
    let (server, client) = configs();
    let body = body();
    let check = session(&server, &client, envelope(&body));
    assert_eq!(check.received.len(), 1);
    assert_eq!(check.received[0], body);
    assert!(check.outcome.as_ref().unwrap().is_encrypted());

    // Allocations: the whole session, and the setup alone (the pair and the envelope).
    let env = envelope(&body);
    let total = allocation_counter::measure(|| drop(black_box(session(&server, &client, env)))).count_total;
    let env = envelope(&body);
    let setup = allocation_counter::measure(|| {
        let mut p = Pair::new(server.clone(), client.clone());
        p.send(env);
        drop(black_box(p));
    })
    .count_total;
    println!("heap allocations per session: {total} (of which {setup} setting up the pair and the envelope)");

    let mut g = c.benchmark_group("session");
    g.throughput(Throughput::Elements(1));
    g.bench_function("starttls_5rcpt_10k", |b| {
        b.iter_batched(
            || envelope(&body),
            |env| black_box(session(&server, &client, env)),
            criterion::BatchSize::SmallInput,
        );
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
