//! Inputs the fuzz targets found, each a named test with one line on its cause.

mod support;

use sse_codec::{Decoder, Limits};
use support::{decode_chunks, split_at_positions};

/// decode_chunked, 2026-11-21: a data line kept across reads was measured as decoded text, in
/// which each invalid byte had grown into a three-byte U+FFFD, while a line dispatched in the same
/// read was measured in input bytes, so the event size limit fired or not depending on where the
/// input was cut. The limit now bounds the decoded data, measured the same way for every line.
#[test]
fn event_size_limit_is_the_same_whatever_the_chunking() {
    let stream = b"id:1\ndata:\x9f\xf5\xf5\x96\x9b\xc5\xdf\xcc\ndata: b\n\n";
    // Eight invalid sequences, eight U+FFFD: 24 bytes, then LF and `b`.
    let decoded_len = 26;
    for (limit, fits) in [(16, false), (decoded_len - 1, false), (decoded_len, true)] {
        let decoder = || Decoder::new().with_limits(Limits::default().max_event_size(limit));
        let whole = decode_chunks(&mut decoder(), [&stream[..]]);
        assert_eq!(
            whole.iter().all(Result::is_ok),
            fits,
            "{decoded_len} bytes of data against a limit of {limit}: {whole:?}"
        );
        for cut in 0..=stream.len() {
            let chunked = decode_chunks(&mut decoder(), split_at_positions(stream, &[cut]));
            assert_eq!(chunked, whole, "limit {limit}, cut at {cut}");
        }
    }
}
