//! Helpers shared by the integration tests: feeding a decoder the way a transport does.

use bytes::BytesMut;
use sse_codec::{DecodeError, Decoder, Frame};

/// A decoder that never stops returning errors is a bug, not a reason for a test to hang.
const MAX_ERRORS_IN_A_ROW: usize = 1_000;

/// Feeds `chunks` to `decoder` one at a time, draining every frame after each chunk, then ends
/// the stream with `decode_eof`. Limit errors are recorded and decoding goes on, as the
/// documentation of [`DecodeError`] says it can.
pub(crate) fn decode_chunks<'a>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Result<Frame, DecodeError>> {
    let mut out = Vec::new();
    let mut buf = BytesMut::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        drain(&mut out, || decoder.decode(&mut buf));
    }
    drain(&mut out, || decoder.decode_eof(&mut buf));
    assert!(buf.is_empty(), "decode_eof leaves nothing behind");
    out
}

fn drain(
    out: &mut Vec<Result<Frame, DecodeError>>,
    mut next: impl FnMut() -> Result<Option<Frame>, DecodeError>,
) {
    let mut errors_in_a_row = 0;
    loop {
        match next() {
            Ok(None) => return,
            Ok(Some(frame)) => {
                errors_in_a_row = 0;
                out.push(Ok(frame));
            }
            Err(error) => {
                errors_in_a_row += 1;
                assert!(
                    errors_in_a_row < MAX_ERRORS_IN_A_ROW,
                    "the decoder keeps failing: {error:?}"
                );
                out.push(Err(error));
            }
        }
    }
}

/// `input` cut at `cuts` (sorted positions), as chunks.
pub(crate) fn split_at_positions<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &cut in cuts {
        chunks.push(&input[start..cut]);
        start = cut;
    }
    chunks.push(&input[start..]);
    chunks
}
