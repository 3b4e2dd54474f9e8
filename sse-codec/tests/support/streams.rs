//! Generated event streams for the property tests.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Pieces that event streams are made of, including the awkward ones: every line end, the BOM
/// and its parts, NUL, digits for `retry`, multi-byte and invalid UTF-8.
const STREAM_PIECES: &[&[u8]] = &[
    b"data",
    b"event",
    b"id",
    b"retry",
    b"Data",
    b"x",
    b"ab",
    b":",
    b":",
    b" ",
    b" ",
    b"\r",
    b"\n",
    b"\r\n",
    b"\n",
    b"\0",
    b"\xEF\xBB\xBF",
    b"\xEF",
    b"\xBB",
    b"\xBF",
    b"0",
    b"7",
    b"42",
    b"18446744073709551615",
    b"18446744073709551616",
    b"-",
    b"\xC3\xA9",
    b"\xC3",
    b"\xFF",
    b"\xE2\x82",
    b"\xF0\x9F\x98\x80",
    b"data: ",
    b"id: ",
    b"retry: ",
    b"event: ",
];

pub(crate) fn stream_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(select(STREAM_PIECES), 0..48).prop_map(|pieces| pieces.concat())
}

/// A stream and sorted cut positions inside it.
pub(crate) fn stream_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    stream_bytes().prop_flat_map(|bytes| {
        let len = bytes.len();
        (Just(bytes), vec(0..=len, 0..8)).prop_map(|(bytes, mut cuts)| {
            cuts.sort_unstable();
            (bytes, cuts)
        })
    })
}

/// A seed for the last event ID: what a client may send back, so no CR, LF or NUL.
pub(crate) fn seed() -> impl Strategy<Value = Option<String>> {
    proptest::option::of("[a-z0-9 é]{0,4}")
}
