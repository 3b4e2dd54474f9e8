//! Helpers shared by the integration tests: feeding a decoder the way a transport does.

// Every test binary compiles this module and uses a part of it.
#![allow(dead_code)]

pub(crate) mod streams;

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
    let mut out = decode_chunks_until_cut(decoder, chunks);
    end_stream(decoder, &mut out);
    out
}

/// As [`decode_chunks`], but the stream ends without `decode_eof`, as when its connection dies.
pub(crate) fn decode_chunks_until_cut<'a>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Result<Frame, DecodeError>> {
    let mut out = Vec::new();
    let mut buf = BytesMut::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        drain(&mut out, || decoder.decode(&mut buf));
        assert!(
            buf.is_empty(),
            "a partial line is the decoder's, not the buffer's"
        );
    }
    out
}

/// `decode_eof` on what is left: by then the buffer is empty, whatever the decoder holds.
fn end_stream(decoder: &mut Decoder, out: &mut Vec<Result<Frame, DecodeError>>) {
    let mut buf = BytesMut::new();
    drain(out, || decoder.decode_eof(&mut buf));
    assert!(buf.is_empty(), "decode_eof leaves nothing behind");
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

/// As [`decode_chunks`], through the borrowing [`Decoder::decode_with`], each frame copied out.
pub(crate) fn decode_chunks_borrowed<'a>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Result<Frame, DecodeError>> {
    let mut out = decode_chunks_borrowed_until_cut(decoder, chunks);
    end_stream(decoder, &mut out);
    out
}

/// As [`decode_chunks_until_cut`], through [`Decoder::decode_with`].
pub(crate) fn decode_chunks_borrowed_until_cut<'a>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Result<Frame, DecodeError>> {
    let mut out = Vec::new();
    let mut buf = BytesMut::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        let mut errors_in_a_row = 0;
        while let Err(error) = decoder.decode_with(&mut buf, |frame| out.push(Ok(frame.to_frame())))
        {
            errors_in_a_row += 1;
            assert!(
                errors_in_a_row < MAX_ERRORS_IN_A_ROW,
                "the decoder keeps failing: {error:?}"
            );
            out.push(Err(error));
        }
        assert!(
            buf.is_empty(),
            "a partial line is the decoder's, not the buffer's"
        );
    }
    out
}
