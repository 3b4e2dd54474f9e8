//! Inputs the fuzz targets found, each a named test with one line on its cause.

mod support;

use sse_codec::{Decoder, Limits};
use support::{decode_chunks, split_at_positions};

/// decode_chunked, 2026-11-21: a data line kept across reads was measured as decoded text, in
/// which each invalid byte had grown into a three-byte U+FFFD, so the event size limit fired or
/// not depending on where the input was cut.
#[test]
fn event_size_limit_counts_input_bytes_whatever_the_chunking() {
    let stream = b"id:1\ndata:\x9f\xf5\xf5\x96\x9b\xc5\xdf\xcc\ndata: b\n\n";
    let decoder = || Decoder::new().with_limits(Limits::default().max_event_size(16));
    let whole = decode_chunks(&mut decoder(), [&stream[..]]);
    assert!(
        whole.iter().all(Result::is_ok),
        "10 input bytes of data fit in 16: {whole:?}"
    );
    for cut in 0..=stream.len() {
        let chunked = decode_chunks(&mut decoder(), split_at_positions(stream, &[cut]));
        assert_eq!(chunked, whole, "cut at {cut}");
    }
}
