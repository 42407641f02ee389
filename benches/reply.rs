//! Reply and EHLO parsing (and writing) throughput, beside `smtp-proto` 0.2.5 (the fastest Rust
//! peer) on the same inputs in the same run.
//!
//! Replies: what a client reads in a session with Postfix, Exim, Sendmail, Microsoft and
//! Google (single and multi-line, with and without enhanced codes), plus every reply of the
//! recorded Postfix sessions in `tests/corpus`. EHLO: the lists those servers send. Only inputs
//! both parsers accept are used, so the two do the same work.
//!
//! Run: `cargo bench --bench reply`. Read `elements/s` as replies (or EHLO replies) per second.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;

#[path = "common/inputs.rs"]
mod inputs;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smtp_wire::{Capability, EhloReply, Encode, Reply, ReplyBuilder, Status};

const REPLIES: &[&[u8]] = &[
    b"220 mx.postfix.test ESMTP Postfix\r\n",
    b"250 2.1.0 Ok\r\n",
    b"250 2.1.5 Ok\r\n",
    b"354 End data with <CR><LF>.<CR><LF>\r\n",
    b"250 2.0.0 Ok: queued as 2693CBA7AD\r\n",
    b"221 2.0.0 Bye\r\n",
    b"554 5.7.1 <bob@example.org>: Relay access denied\r\n",
    b"450 4.1.8 <a@b.invalid>: Sender address rejected: Domain not found\r\n",
    b"220-mail.example.com ESMTP Exim 4.96 Mon, 06 Feb 2023 08:00:59 -0700 \r\n220-We do not authorize the use of this system to transport unsolicited, \r\n220 and/or bulk e-mail.\r\n",
    b"250 OK id=1r0IT8-0007he-RC\r\n",
    b"550 Unrouteable address\r\n",
    b"250 2.1.0 <alice@example.org>... Sender ok\r\n",
    b"550 5.1.1 <nobody@example.com>... User unknown\r\n",
    b"550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)\r\n",
    b"421 4.3.2 Service not available\r\n",
    b"220 mx.google.com ESMTP d9443c01a7336-1f2b3c4d5e6si123456plb.123 - gsmtp\r\n",
    b"550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient's email address for typos or\r\n550-5.1.1 unnecessary spaces. For more information, go to\r\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser d9443c01a7336-1f2b3c4d5e6si123456plb.123 - gsmtp\r\n",
    b"530 5.7.0 Must issue a STARTTLS command first. d9443c01a7336-1f2b3c4d5e6si123456plb.123 - gsmtp\r\n",
    b"334 VXNlcm5hbWU6\r\n",
    b"235 2.7.0 Accepted\r\n",
];

/// The reply mix plus every reply of the corpus; only what both parsers accept.
fn replies() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = REPLIES.iter().map(|r| r.to_vec()).collect();
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for p in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "s2c")) {
        let data = std::fs::read(p).unwrap();
        let mut rest = &data[..];
        while let Ok(Status::Complete { consumed, .. }) = Reply::parse_prefix(rest) {
            out.push(rest[..consumed].to_vec());
            rest = &rest[consumed..];
        }
    }
    out.retain(|r| Reply::parse(r).is_ok() && proto_reply(r).is_some());
    out
}

fn proto_reply(bytes: &[u8]) -> Option<smtp_proto::Response<String>> {
    let mut it = bytes.iter();
    let r = smtp_proto::response::parser::ResponseReceiver::default().parse(&mut it).ok()?;
    it.as_slice().is_empty().then_some(r)
}

fn proto_ehlo(bytes: &[u8]) -> Option<smtp_proto::EhloResponse<String>> {
    let mut it = bytes.iter();
    let r = smtp_proto::EhloResponse::parse(&mut it).ok()?;
    it.as_slice().is_empty().then_some(r)
}

fn ehlos() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = inputs::EHLO.iter().map(|r| r.to_vec()).collect();
    out.retain(|r| EhloReply::parse(r).is_ok() && proto_ehlo(r).is_some());
    assert_eq!(out.len(), inputs::EHLO.len(), "both parsers take every EHLO input");
    out
}

fn parse_replies(c: &mut Criterion) {
    let inputs = replies();
    let mut g = c.benchmark_group("parse_replies");
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("smtp-wire", |b| {
        b.iter(|| {
            for r in &inputs {
                black_box(Reply::parse(black_box(r)).unwrap());
            }
        })
    });
    g.bench_function("smtp-wire (lines and enhanced codes read)", |b| {
        b.iter(|| {
            for r in &inputs {
                let reply = Reply::parse(black_box(r)).unwrap();
                for line in reply.lines() {
                    black_box((line.enhanced_code(), line.message()));
                }
            }
        })
    });
    g.bench_function("smtp-proto 0.2.5", |b| {
        let mut receiver = smtp_proto::response::parser::ResponseReceiver::default();
        b.iter(|| {
            for r in &inputs {
                receiver.reset();
                black_box(receiver.parse(&mut black_box(r).iter()).unwrap());
            }
        })
    });
    g.finish();
}

fn parse_ehlo(c: &mut Criterion) {
    let inputs = ehlos();
    let mut g = c.benchmark_group("parse_ehlo");
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("smtp-wire", |b| {
        b.iter(|| {
            for r in &inputs {
                black_box(EhloReply::parse(black_box(r)).unwrap());
            }
        })
    });
    g.bench_function("smtp-wire (capabilities typed and iterated)", |b| {
        b.iter(|| {
            for r in &inputs {
                let e = EhloReply::parse(black_box(r)).unwrap();
                for cap in e.capabilities() {
                    black_box(cap);
                }
                black_box((e.size_limit(), e.auth_mechanisms().count()));
            }
        })
    });
    g.bench_function("smtp-proto 0.2.5", |b| {
        b.iter(|| {
            for r in &inputs {
                black_box(smtp_proto::EhloResponse::parse(&mut black_box(r).iter()).unwrap());
            }
        })
    });
    g.finish();
}

fn write(c: &mut Criterion) {
    // Single-line replies with an enhanced code: what both writers produce alike.
    let all: Vec<Reply<'static>> = replies().iter().filter_map(|r| Some(Reply::parse(r).ok()?.into_owned())).collect();
    let single = inputs::single_line_enhanced(&all);
    let proto = inputs::proto_responses(&single);
    let parsed: Vec<Reply<'static>> = replies().iter().map(|r| Reply::parse(r).unwrap().into_owned()).collect();
    let mut out = Vec::with_capacity(64 * 1024);
    let mut g = c.benchmark_group("write_replies");
    g.throughput(Throughput::Elements(single.len() as u64));
    g.bench_function("smtp-wire (ReplyBuilder: validate, split, check)", |b| {
        b.iter(|| {
            out.clear();
            for (code, esc, msg) in &single {
                ReplyBuilder::new(*code).enhanced_code(*esc).line(msg).build().unwrap().encode(&mut out);
            }
            black_box(out.len())
        })
    });
    g.bench_function("smtp-wire (Reply::write_to: validate while writing)", |b| {
        b.iter(|| {
            out.clear();
            for (code, esc, msg) in &single {
                Reply::write_to(&mut out, *code, Some(*esc), &[msg.as_str()]).unwrap();
            }
            black_box(out.len())
        })
    });
    g.bench_function("smtp-proto 0.2.5 (Response::write, unvalidated)", |b| {
        b.iter(|| {
            out.clear();
            for r in &proto {
                r.write(&mut out).unwrap();
            }
            black_box(out.len())
        })
    });
    g.finish();
    let mut g = c.benchmark_group("encode_parsed_replies");
    g.throughput(Throughput::Elements(parsed.len() as u64));
    g.bench_function("smtp-wire", |b| {
        b.iter(|| {
            out.clear();
            for r in &parsed {
                black_box(r).encode(&mut out);
            }
            black_box(out.len())
        })
    });
    g.finish();

    let lists: Vec<EhloReply<'static>> = ehlos().iter().map(|r| EhloReply::parse(r).unwrap().into_owned()).collect();
    let parts: Vec<(smtp_wire::Host<'static>, Option<String>, Vec<Capability<'static>>)> = lists
        .iter()
        .map(|e| {
            let caps = e.capabilities().map(Capability::into_owned).collect();
            (e.host().into_owned(), e.greeting().map(str::to_owned), caps)
        })
        .collect();
    let proto: Vec<smtp_proto::EhloResponse<String>> = ehlos().iter().map(|r| proto_ehlo(r).unwrap()).collect();
    let mut g = c.benchmark_group("write_ehlo");
    g.throughput(Throughput::Elements(lists.len() as u64));
    g.bench_function("smtp-wire (EhloReply::new: build and check)", |b| {
        b.iter(|| {
            out.clear();
            for (host, greeting, caps) in &parts {
                EhloReply::new(host, greeting.as_deref(), caps).unwrap().encode(&mut out);
            }
            black_box(out.len())
        })
    });
    g.bench_function("smtp-wire (EhloReply::write_to: check while writing)", |b| {
        b.iter(|| {
            out.clear();
            for (host, greeting, caps) in &parts {
                EhloReply::write_to(&mut out, host, greeting.as_deref(), caps).unwrap();
            }
            black_box(out.len())
        })
    });
    g.bench_function("smtp-proto 0.2.5 (EhloResponse::write)", |b| {
        b.iter(|| {
            out.clear();
            for e in &proto {
                e.write(&mut out).unwrap();
            }
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, parse_replies, parse_ehlo, write);
criterion_main!(benches);
