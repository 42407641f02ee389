//! Shared helpers for the integration tests.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::*;

/// A proptest strategy for any `T: Arbitrary`, driven by random bytes (the same generators
/// the fuzz targets use). Inputs the generator cannot use are rejected, not turned into junk.
pub fn arb<T>() -> impl Strategy<Value = T>
where
    T: for<'a> Arbitrary<'a> + core::fmt::Debug,
{
    proptest::collection::vec(any::<u8>(), 64..1024).prop_filter_map("generator needs more bytes", |bytes| {
        let mut u = Unstructured::new(&bytes);
        T::arbitrary(&mut u).ok()
    })
}

/// Escaped bytes for assertion messages.
pub fn esc(b: &[u8]) -> String {
    b.escape_ascii().to_string()
}

/// The recorded streams in `tests/corpus` whose file extension is `ext` (`"c2s"` for client
/// streams, `"s2c"` for server streams), sorted by name: `(file name, octets)`.
pub fn corpus(ext: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

/// Feeds `stream` to a `parse_prefix`-style function in reads cut at `cuts` (each taken modulo
/// the stream length), dropping what each complete value consumed. Returns the values in order
/// and what was left unparsed.
pub fn feed_in_reads<T>(
    stream: &[u8],
    cuts: &[usize],
    mut parse: impl FnMut(&[u8]) -> smtp_wire::Status<T>,
) -> (Vec<T>, Vec<u8>) {
    let mut cut_points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    cut_points.push(stream.len());
    cut_points.sort_unstable();
    let (mut buf, mut fed, mut got) = (Vec::new(), 0, Vec::new());
    for cut in cut_points {
        buf.extend_from_slice(&stream[fed..cut]);
        fed = cut;
        while let smtp_wire::Status::Complete { value, consumed } = parse(&buf) {
            got.push(value);
            buf.drain(..consumed);
        }
    }
    (got, buf)
}

pub mod kat;
pub mod pair;

/// Runs `f` and returns how many heap allocations it made on this thread, with its result.
pub fn allocations<R>(f: impl FnOnce() -> R) -> (u64, R) {
    let mut out = None;
    let info = allocation_counter::measure(|| out = Some(f()));
    (info.count_total, out.expect("closure ran"))
}
