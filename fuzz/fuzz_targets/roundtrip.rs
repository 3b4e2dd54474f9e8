//! Arbitrary frames encoded and decoded back.
//!
//! Each frame is either refused with the typed error its values call for, or encoded with
//! exactly the fields that were set (never a field that was not) and `encoded_len` bytes; the
//! accepted frames, encoded one after the other into one stream, decode back equal, up to the
//! wire's normalisations (line breaks in data arrive as LF, a comment arrives line by line, an
//! event without an id carries the last one).
#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use sse_codec::Decoder;
use sse_fuzz::{FrameSpec, decode_stream, field_lines};

fuzz_target!(|specs: Vec<FrameSpec>| {
    let mut stream = BytesMut::new();
    let mut expected = Vec::new();
    let mut last_event_id = None;
    for spec in &specs {
        let frame = match spec.build() {
            Ok(frame) => frame,
            Err(error) => {
                assert_eq!(Some(error), spec.expected_refusal(), "{spec:?}");
                continue;
            }
        };
        assert_eq!(spec.expected_refusal(), None, "accepted {spec:?}");

        let encoded = frame.to_bytes();
        assert_eq!(encoded.len(), frame.encoded_len(), "{spec:?}");
        assert_eq!(
            field_lines(&encoded),
            spec.expected_field_lines(),
            "{spec:?}"
        );

        stream.extend_from_slice(&encoded);
        expected.extend(spec.expected_decoded(&mut last_event_id));
    }

    let mut decoder = Decoder::new().with_comments(true);
    let decoded = decode_stream(&mut decoder, [&stream[..]]);
    assert!(!decoded.has_errors(), "{decoded:?}");
    assert_eq!(decoded.frames(), expected);
});
