//! Decoding message bodies allocates nothing: DATA and BDAT bodies of every kind (plain,
//! dot-heavy, refused, normalized, oversized, smuggling variants, the real corpus bodies),
//! decoded in network-sized reads under a counting allocator. Encoding allocates nothing
//! either once the output buffer has room.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::allocations;

use smtp_wire::framing::{
    BareLineEnds, BdatDecoder, BdatEncoder, BdatEvent, BodyConfig, DataDecoder, DataEncoder, DataEvent, EncoderConfig,
};

/// Decodes a DATA stream in reads of `read` octets; returns (octets yielded, end offset).
fn decode_data(wire: &[u8], cfg: BodyConfig, read: usize) -> (u64, Option<usize>) {
    let mut dec = DataDecoder::new(cfg);
    let mut yielded = 0u64;
    for (k, piece) in wire.chunks(read).enumerate() {
        let mut input = piece;
        loop {
            let d = dec.decode(input);
            input = &input[d.consumed..];
            match d.event {
                DataEvent::Body(run) => yielded += run.len() as u64,
                DataEvent::NeedMore => break,
                DataEvent::End(_) => return (yielded, Some(k * read + piece.len() - input.len())),
                _ => return (yielded, None),
            }
        }
    }
    (yielded, None)
}

fn bodies() -> Vec<Vec<u8>> {
    let mut plain = Vec::new();
    let mut dots = Vec::new();
    for i in 0..20_000 {
        plain.extend_from_slice(format!("Line {i} of a plain text message body, about seventy octets\r\n").as_bytes());
        dots.extend_from_slice(b"..stuffed\r\n...\r\n.x\r\n");
    }
    let mut out = vec![plain, dots];
    for variant in [&b"\n.\r\n"[..], b"\r.\r", b"\r\n.\r\r\n", b"\r\n\x00.\r\n", b"a\rb"] {
        let mut v = b"hello".to_vec();
        v.extend_from_slice(variant);
        v.extend_from_slice(b"mail FROM:<x@y>\r\n");
        out.push(v);
    }
    out.push(vec![b'x'; 100_000]);
    for b in &mut out {
        b.extend_from_slice(b"\r\n.\r\nQUIT\r\n");
    }
    out
}

#[test]
fn decoding_data_allocates_nothing() {
    let configs = [
        BodyConfig::STRICT,
        BodyConfig::STRICT.with_bare_line_ends(BareLineEnds::Normalize).with_max_size(Some(1000)),
        BodyConfig::STRICT.with_bare_line_ends(BareLineEnds::Allow).with_max_line(None),
    ];
    let mut ends = 0;
    for body in bodies() {
        for cfg in configs {
            for read in [1, 7, 16 * 1024] {
                let (n, (_, end)) = allocations(|| decode_data(&body, cfg, read));
                assert_eq!(n, 0, "{} octets in reads of {read} allocated", body.len());
                assert_eq!(end, Some(body.len() - 6), "the end was found");
                ends += 1;
            }
        }
    }
    assert_eq!(ends, 8 * 3 * 3);
}

#[test]
fn decoding_the_corpus_bodies_allocates_nothing() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "c2s") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let Some(at) = data.windows(8).position(|w| w == b"\r\nDATA\r\n") else { continue };
        let body = &data[at + 8..];
        let (n, (_, end)) = allocations(|| decode_data(body, BodyConfig::STRICT, 512));
        assert_eq!(n, 0, "{}", path.display());
        assert!(end.is_some(), "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 10, "{seen}");
}

#[test]
fn decoding_bdat_allocates_nothing() {
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    for cfg in [BodyConfig::BINARYMIME, BodyConfig::STRICT, BodyConfig::STRICT.with_max_size(Some(10))] {
        let (n, yielded) = allocations(|| {
            let mut dec = BdatDecoder::new(cfg);
            let mut yielded = 0usize;
            let mut rest = &payload[..];
            for (size, last) in [(65_536u64, false), (0, false), (134_464, true)] {
                dec.start_chunk(size, last).unwrap();
                'chunk: for piece in rest.chunks(16 * 1024).chain([&[][..]]) {
                    let mut input = piece;
                    loop {
                        let d = dec.decode(input);
                        input = &input[d.consumed..];
                        rest = &rest[d.consumed..];
                        match d.event {
                            BdatEvent::Body(run) => yielded += run.len(),
                            BdatEvent::NeedMore => break,
                            BdatEvent::ChunkEnd(_) => break 'chunk,
                            _ => panic!(),
                        }
                    }
                }
            }
            assert!(dec.is_complete());
            yielded
        });
        assert_eq!(n, 0, "{cfg:?}");
        assert!(yielded > 0);
    }
}

#[test]
fn encoding_into_a_buffer_with_room_allocates_nothing() {
    let body: Vec<u8> = bodies().swap_remove(1);
    let mut out = Vec::with_capacity(body.len() * 2 + 64);
    let (n, ()) = allocations(|| {
        let mut enc = DataEncoder::default();
        for piece in body.chunks(16 * 1024) {
            enc.encode(piece, &mut out).unwrap();
        }
        enc.finish(&mut out).unwrap();
    });
    assert_eq!(n, 0);
    assert!(out.len() > body.len());
    out.clear();
    let (n, ()) = allocations(|| {
        let mut enc = BdatEncoder::new(EncoderConfig::STRICT);
        for piece in body.chunks(16 * 1024) {
            enc.encode(piece, &mut out).unwrap();
        }
        enc.finish(b"", &mut out).unwrap();
    });
    assert_eq!(n, 0);
    // The counter works: an allocation is seen.
    let (n, v) = allocations(|| vec![1u8; 16]);
    assert_eq!((n, v.len()), (1, 16));
}
