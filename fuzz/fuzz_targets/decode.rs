//! Arbitrary bytes through the decoder, then `decode_eof`.
//!
//! Checks: no panic; the buffer and every decoded value stay within the limits (small ones when
//! the header asks, see `Input`); limits only ever drop events, so a stream that hit none decodes
//! as it does without limits; and after `decode_eof` the decoder starts a new stream exactly as a
//! fresh one seeded with the last event ID would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_fuzz::{Input, decode_stream};

fuzz_target!(|bytes: &[u8]| {
    let mut input = Input::new(bytes);
    let setup = input.setup();
    let stream = input.rest();

    let mut decoder = setup.decoder();
    let first = decode_stream(&mut decoder, [stream]);
    if !first.has_errors() {
        let unbounded = decode_stream(&mut setup.unbounded().decoder(), [stream]);
        assert_eq!(first.frames(), unbounded.frames(), "limits changed frames");
    }

    let mut fresh = setup.decoder();
    if let Some(id) = &first.last_event_id {
        fresh = fresh.with_last_event_id(id.as_str());
    }
    let reused = decode_stream(&mut decoder, [stream]);
    let expected = decode_stream(&mut fresh, [stream]);
    assert_eq!(
        reused.outputs, expected.outputs,
        "decode_eof did not reset the stream"
    );
    assert_eq!(reused.last_event_id, expected.last_event_id);
});
