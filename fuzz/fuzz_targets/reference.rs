//! The decoder against `sse-reference`, a line-by-line transcription of the WHATWG algorithm, on
//! arbitrary bytes fed whole (`decode_chunked` covers other chunkings).
//!
//! Input: the settings header (see `Input`; its limits are ignored, as the reference has none),
//! then the stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_fuzz::{Input, decode_stream};

fuzz_target!(|bytes: &[u8]| {
    let mut input = Input::new(bytes);
    let setup = input.setup().unbounded();
    let stream = input.rest();

    let decoded = decode_stream(&mut setup.decoder(), [stream]);
    assert!(!decoded.has_errors(), "error without limits: {decoded:?}");
    let expected = sse_reference::interpret(stream, setup.comments, setup.last_event_id);
    assert_eq!(decoded.frames(), expected, "decoder and reference disagree");
});
