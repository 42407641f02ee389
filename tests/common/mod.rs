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
