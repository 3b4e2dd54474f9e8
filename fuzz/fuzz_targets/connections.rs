//! Arbitrary bytes cut into several connections at arbitrary points: each connection is decoded
//! as a new stream by the same decoder, which must agree with `sse-reference`'s new-connection
//! step (only the last event ID and the reconnection time carry over), whether a connection ends
//! in a cut (`start_new_stream`) or in an orderly end (`decode_eof`), at any chunking.
//!
//! Input: the settings header (see `Input`; its limits are ignored, as the reference has none),
//! a count `n` of cuts (at most 8), `n` connection lengths (bytes; the last connection is the
//! rest), a byte whose bit `i` ends connection `i` with `decode_eof` rather than a cut, a chunk
//! length for the reads within each connection (0: each connection in one read), then the
//! bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_fuzz::{Input, decode_stream, decode_until_cut};

fuzz_target!(|bytes: &[u8]| {
    let mut input = Input::new(bytes);
    let setup = input.setup().unbounded();
    let cuts = usize::from(input.byte() % 9);
    let lengths = input.bytes(cuts);
    let orderly_ends = input.byte();
    let chunk_len = usize::from(input.byte());
    let mut rest = input.rest();

    let mut connections = Vec::with_capacity(cuts + 1);
    for &len in lengths {
        let (connection, after) = rest.split_at(usize::from(len).min(rest.len()));
        connections.push(connection);
        rest = after;
    }
    connections.push(rest);

    let mut decoder = setup.decoder();
    let mut frames = Vec::new();
    for (index, connection) in connections.iter().enumerate() {
        let reads: Vec<&[u8]> = if chunk_len == 0 {
            vec![connection]
        } else {
            connection.chunks(chunk_len).collect()
        };
        let transcript = if orderly_ends & (1 << index) != 0 {
            decode_stream(&mut decoder, reads)
        } else {
            let transcript = decode_until_cut(&mut decoder, reads);
            decoder.start_new_stream();
            transcript
        };
        assert!(
            !transcript.has_errors(),
            "error without limits: {transcript:?}"
        );
        frames.extend(transcript.frames());
    }

    let expected =
        sse_reference::interpret_connections(&connections, setup.comments, setup.last_event_id);
    assert_eq!(frames, expected.frames, "decoder and reference disagree");
    assert_eq!(
        decoder.last_event_id(),
        expected.last_event_id.as_deref(),
        "last event ID"
    );
    assert_eq!(
        decoder.reconnection_time(),
        expected.reconnection_time,
        "reconnection time"
    );
});
