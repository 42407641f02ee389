//! The CRLF line framer fed fuzzer-chosen chunks: never panics, never consumes more than it
//! was given, every complete line ends in CRLF with no CR or LF inside and fits the limit,
//! every skipped line is longer than the limit, and the result does not depend on the split.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtp_wire::Status;
use smtp_wire::framing::{Line, LineFramer};

#[derive(Debug, PartialEq)]
enum Ev {
    Line(Vec<u8>),
    TooLong(usize),
    Err(usize),
}

/// Runs the framer over `data` delivered in pieces of the given sizes.
fn run(data: &[u8], limit: usize, splits: &[u8]) -> Vec<Ev> {
    let mut framer = LineFramer::new(limit);
    let mut buf: Vec<u8> = Vec::new();
    let mut events = Vec::new();
    let mut fed = 0;
    let mut k = 0;
    let mut base = 0usize; // stream offset of buf[0]
    while fed < data.len() {
        let step = usize::from(splits.get(k).copied().unwrap_or(255)).max(1);
        k += 1;
        let end = (fed + step).min(data.len());
        buf.extend_from_slice(&data[fed..end]);
        fed = end;
        loop {
            match framer.next_line(&buf) {
                Ok(Status::Complete { value, consumed }) => {
                    assert!(consumed <= buf.len());
                    match value {
                        Line::Complete(l) => {
                            assert!(l.len() <= limit && l.ends_with(b"\r\n"));
                            assert!(!l[..l.len() - 2].iter().any(|&c| c == b'\r' || c == b'\n'));
                            events.push(Ev::Line(l.to_vec()));
                        }
                        Line::TooLong { len } => {
                            assert!(len > limit - 1);
                            events.push(Ev::TooLong(len));
                        }
                        Line::Discarding => assert_eq!(consumed, buf.len()),
                        _ => {}
                    }
                    buf.drain(..consumed);
                    base += consumed;
                    if consumed == 0 {
                        break;
                    }
                }
                Ok(Status::Incomplete) => break,
                Err(e) => {
                    events.push(Ev::Err(base + e.offset()));
                    return events;
                }
            }
        }
    }
    events
}

fuzz_target!(|input: (u8, Vec<u8>, Vec<u8>)| {
    let (limit, splits, data) = input;
    let limit = usize::from(limit).max(3);
    let whole = run(&data, limit, &[255; 1 + 4096 / 255]);
    let split = run(&data, limit, &splits);
    assert_eq!(whole, split);
});
