//! Real client traffic (`tests/corpus`, recorded against Postfix 3.7): every DATA and BDAT
//! body decodes, strict, and the session stays in step — every command before and after a
//! body parses, and the stream ends exactly after the last one. Each body re-encodes to the
//! client's exact octets, and the whole session gives the same result fed one octet at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::corpus;
use smtp_wire::framing::{BdatDecoder, BdatEncoder, BdatEvent, BodyConfig, DataDecoder, DataEncoder, DataEvent};
use smtp_wire::{BodyType, Command, CommandBody, Param, ParseOptions, Status};

/// How commands are read here: with the two leniencies the `*.utf8.*` sessions need (their
/// commands are checked strictly in `corpus.rs`; this file is about the bodies).
fn commands() -> ParseOptions {
    ParseOptions::default().with_utf8_envelope(true).with_exact_parameter_repeats(true)
}

/// What a session held.
#[derive(Debug, Default, PartialEq, Eq)]
struct Session {
    verbs: Vec<String>,
    /// (decoded body, the octets it came from on the wire)
    data: Vec<(Vec<u8>, Vec<u8>)>,
    /// BDAT messages: (decoded body, chunk sizes)
    bdat: Vec<(Vec<u8>, Vec<u64>)>,
}

/// A tiny server read loop: commands from a line buffer; after DATA a `DataDecoder`, after
/// BDAT a `BdatDecoder`. Input arrives in reads of `read` octets and the loop keeps only the
/// unconsumed tail between reads, as a real server would.
fn serve(stream: &[u8], read: usize) -> Session {
    enum Mode {
        Commands,
        /// The decoder, the body so far, and the stream offset where the body started.
        Data(DataDecoder, Vec<u8>, usize),
        Bdat(u64),
    }
    let mut s = Session::default();
    let mut mode = Mode::Commands;
    let mut bdat = BdatDecoder::default();
    let mut bdat_body = Vec::new();
    let mut bdat_sizes = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut done = 0; // stream octets consumed
    for piece in stream.chunks(read) {
        buf.extend_from_slice(piece);
        loop {
            // (octets used, whether to wait for the next read)
            let (used, wait) = match &mut mode {
                Mode::Commands => match Command::parse_prefix_with(&buf, &commands()).unwrap() {
                    Status::Incomplete => (0, true),
                    Status::Complete { value, consumed } => {
                        s.verbs.push(value.verb().to_owned());
                        match value.body() {
                            CommandBody::Mail { params, .. } => {
                                let binary = params.iter().any(|p| p == Param::Body(BodyType::BinaryMime));
                                bdat =
                                    BdatDecoder::new(if binary { BodyConfig::BINARYMIME } else { BodyConfig::STRICT });
                            }
                            CommandBody::Data => mode = Mode::Data(DataDecoder::default(), Vec::new(), done + consumed),
                            &CommandBody::Bdat { size, last } => {
                                bdat.start_chunk(size, last).unwrap();
                                bdat_sizes.push(size);
                                mode = Mode::Bdat(size);
                            }
                            _ => {}
                        }
                        (consumed, false)
                    }
                },
                Mode::Data(dec, body, start) => {
                    let d = dec.decode(&buf);
                    match d.event {
                        DataEvent::Body(run) => {
                            body.extend_from_slice(run);
                            (d.consumed, false)
                        }
                        DataEvent::NeedMore => (d.consumed, true),
                        DataEvent::End(summary) => {
                            assert_eq!(summary.refusal(), None);
                            assert_eq!(summary.body_len(), body.len() as u64);
                            let wire = stream[*start..done + d.consumed].to_vec();
                            assert_eq!(summary.wire_len(), wire.len() as u64);
                            s.data.push((std::mem::take(body), wire));
                            mode = Mode::Commands;
                            (d.consumed, false)
                        }
                        other => panic!("{other:?}"),
                    }
                }
                Mode::Bdat(size) => {
                    let d = bdat.decode(&buf);
                    match d.event {
                        BdatEvent::Body(run) => {
                            bdat_body.extend_from_slice(run);
                            (d.consumed, false)
                        }
                        BdatEvent::NeedMore => (d.consumed, true),
                        BdatEvent::ChunkEnd(end) => {
                            assert_eq!(end.size(), *size);
                            assert!(end.summary().is_accepted(), "{:?}", end.summary());
                            if end.is_last() {
                                s.bdat.push((std::mem::take(&mut bdat_body), std::mem::take(&mut bdat_sizes)));
                            }
                            mode = Mode::Commands;
                            (d.consumed, false)
                        }
                        other => panic!("{other:?}"),
                    }
                }
            };
            buf.drain(..used);
            done += used;
            if wait {
                // The body decoders consume everything they are given.
                assert!(matches!(mode, Mode::Commands) || buf.is_empty());
                break;
            }
        }
    }
    assert!(matches!(mode, Mode::Commands), "the stream ended inside a body");
    assert!(buf.is_empty(), "left over: {:?}", String::from_utf8_lossy(&buf));
    assert_eq!(done, stream.len());
    s
}

#[test]
fn every_corpus_body_decodes_and_the_session_stays_in_step() {
    let (mut data, mut bdat) = (0, 0);
    for (name, stream) in corpus("c2s") {
        let s = serve(&stream, 16 * 1024);
        assert!(!s.verbs.is_empty(), "{name}");
        // (`serve` asserts the stream was consumed exactly: nothing left over, not inside a
        // body. Most sessions then QUIT; nodemailer closes right after the body.)
        let after = s.verbs.iter().skip_while(|v| *v != "DATA" && *v != "BDAT").skip(1).collect::<Vec<_>>();
        assert!(
            after.iter().all(|v| ["QUIT", "RSET", "MAIL", "RCPT", "DATA", "BDAT", "NOOP"].contains(&v.as_str())),
            "{name}: {after:?}"
        );
        for (body, wire) in &s.data {
            // The client's octets are exactly what the encoder writes for the decoded body.
            let mut out = Vec::new();
            let mut enc = DataEncoder::default();
            enc.encode(body, &mut out).unwrap();
            enc.finish(&mut out).unwrap();
            assert_eq!(&out, wire, "{name}: re-encoding differs");
            assert!(body.ends_with(b"\r\n"), "{name}");
        }
        for (body, sizes) in &s.bdat {
            assert_eq!(body.len() as u64, sizes.iter().sum::<u64>(), "{name}");
            // One chunk re-encoded: the same BDAT command and octets.
            let mut out = Vec::new();
            BdatEncoder::default().finish(body, &mut out).unwrap();
            assert!(out.starts_with(format!("BDAT {} LAST\r\n", body.len()).as_bytes()));
            assert!(stream.windows(out.len()).any(|w| w == out.as_slice()), "{name}: BDAT re-encoding not found");
        }
        data += s.data.len();
        bdat += s.bdat.len();
    }
    assert!(data >= 10, "only {data} DATA bodies");
    assert!(bdat >= 2, "only {bdat} BDAT bodies");
}

#[test]
fn corpus_sessions_fed_one_octet_at_a_time() {
    for (name, stream) in corpus("c2s") {
        let whole = serve(&stream, stream.len().max(1));
        assert_eq!(serve(&stream, 1), whole, "{name}");
        assert_eq!(serve(&stream, 7), whole, "{name}");
    }
}

#[test]
fn corpus_bodies_keep_their_dot_lines() {
    // The recorded clients send lines that start with dots; they decode with one dot fewer.
    let mut seen = 0;
    for (name, stream) in corpus("c2s") {
        for (body, wire) in serve(&stream, 4096).data {
            if wire.windows(4).any(|w| w == b"\r\n..") {
                assert!(body.windows(3).any(|w| w == b"\r\n."), "{name}");
                seen += 1;
            }
        }
    }
    assert!(seen >= 5, "{seen}");
}
