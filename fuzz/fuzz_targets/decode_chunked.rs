//! Arbitrary bytes cut at arbitrary points: the decoder must yield the same frames, errors, last
//! event IDs and reconnection time as when the same bytes arrive whole.
//!
//! Input: the settings header (see `Input`), a count `n`, `n` chunk lengths (bytes, cycled; a
//! zero is an empty chunk the first time round), then the stream. `n == 0` feeds one byte at a
//! time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_fuzz::{Input, decode_stream};

fuzz_target!(|bytes: &[u8]| {
    let mut input = Input::new(bytes);
    let setup = input.setup();
    let count = usize::from(input.byte());
    let lengths = input.bytes(count);
    let stream = input.rest();

    let whole = decode_stream(&mut setup.decoder(), [stream]);
    let chunked = decode_stream(&mut setup.decoder(), chunks(stream, lengths));
    assert_eq!(chunked, whole, "chunking changed the result");
});

/// `stream` cut into pieces of the given lengths, cycled until the stream is used up.
fn chunks<'a>(mut stream: &'a [u8], lengths: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    for turn in 0.. {
        if stream.is_empty() {
            break;
        }
        let len = match lengths.get(turn % lengths.len().max(1)) {
            None => 1,
            Some(&len) if turn < lengths.len() => usize::from(len),
            // After the first round a zero becomes a one, so that the loop ends.
            Some(&len) => usize::from(len).max(1),
        };
        let (piece, rest) = stream.split_at(len.min(stream.len()));
        pieces.push(piece);
        stream = rest;
    }
    pieces
}
