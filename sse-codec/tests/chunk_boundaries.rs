//! What happens exactly at a chunk boundary, call by call: the vector loader checks the frames
//! that come out in the end, these check when they come out.

use bytes::BytesMut;
use sse_codec::{Decoder, Event, Frame};

fn event(data: &str) -> Option<Frame> {
    Some(Frame::Event(Event::new(data)))
}

#[test]
fn a_cr_at_the_end_of_the_buffer_dispatches_at_once() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: x\n\r");
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(event("x")),
        "the CR is a complete blank line without waiting for a possible LF"
    );
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"\ndata: y\n\n");
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(event("y")),
        "the LF after that CR is its second half, not another blank line"
    );
}

#[test]
fn a_cr_ending_a_field_line_at_the_end_of_the_buffer_is_applied_at_once() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("retry: 5\r");
    assert_eq!(decoder.decode(&mut buf), Ok(Some(Frame::Retry(5))));
    assert_eq!(decoder.reconnection_time(), Some(5));
}

#[test]
fn a_crlf_split_across_chunks_is_one_line_end() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a\r");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    // Nothing arrives for a while: an empty buffer must not forget the pending CR.
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None), "CRLF is one line end");
    buf.extend_from_slice(b"\r");
    assert_eq!(decoder.decode(&mut buf), Ok(event("a")));
    buf.extend_from_slice(b"\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert!(buf.is_empty(), "the LF after the CR was consumed");
}

#[test]
fn a_cr_then_a_non_lf_byte_in_the_next_chunk_starts_a_new_line() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a\r");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"data: b\r");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"\r");
    assert_eq!(decoder.decode(&mut buf), Ok(event("a\nb")));
}

#[test]
fn a_bom_split_one_plus_two_bytes_is_stripped() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from(&b"\xEF"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"\xBB\xBFdata: a\n\n");
    assert_eq!(decoder.decode(&mut buf), Ok(event("a")));
}

#[test]
fn a_bom_split_two_plus_one_bytes_is_stripped() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from(&b"\xEF\xBB"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"\xBF");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"data: a\n\n");
    assert_eq!(decoder.decode(&mut buf), Ok(event("a")));
}

#[test]
fn a_bom_in_three_single_bytes_then_another_bom_is_stripped_once() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::new();
    for byte in b"\xEF\xBB\xBF\xEF\xBB\xBF" {
        buf.extend_from_slice(&[*byte]);
        assert_eq!(decoder.decode(&mut buf), Ok(None));
    }
    buf.extend_from_slice(b"\n\ndata: a\n\n");
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(event("a")),
        "the second BOM was a line of its own: an unknown field"
    );
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::new();
    for byte in b"\xEF\xBB\xBF\xEF\xBB\xBF" {
        buf.extend_from_slice(&[*byte]);
        assert_eq!(decoder.decode(&mut buf), Ok(None));
    }
    buf.extend_from_slice(b"data: a\n\ndata: b\n\n");
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(event("b")),
        "the second BOM made the first field name unknown"
    );
}

#[test]
fn a_partial_bom_prefix_then_other_bytes_is_not_stripped() {
    let mut decoder = Decoder::new().with_comments(true);
    let mut buf = BytesMut::from(&b"\xEF\xBB"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b":c\n:d\n");
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(Some(Frame::comment("d"))),
        "the first line began with the two bytes, so it was no comment"
    );
}

#[test]
fn a_multi_byte_character_split_across_chunks_is_decoded_whole() {
    for cut in 1..4 {
        let input = "data: \u{1F600}\n\n".as_bytes();
        let cut = "data: ".len() + cut;
        let mut decoder = Decoder::new();
        let mut buf = BytesMut::from(&input[..cut]);
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        buf.extend_from_slice(&input[cut..]);
        assert_eq!(
            decoder.decode(&mut buf),
            Ok(event("\u{1F600}")),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_frame_comes_out_as_soon_as_its_line_is_complete() {
    let mut decoder = Decoder::new().with_comments(true);
    let mut buf = BytesMut::new();
    let stream = b"retry: 1\n:c\ndata: a\n\n";
    let mut frames_at = Vec::new();
    for (position, byte) in stream.iter().enumerate() {
        buf.extend_from_slice(&[*byte]);
        while let Some(frame) = decoder.decode(&mut buf).unwrap() {
            frames_at.push((position, frame));
        }
    }
    assert_eq!(
        frames_at,
        [
            (8, Frame::Retry(1)),
            (11, Frame::comment("c")),
            (20, Frame::Event(Event::new("a"))),
        ]
    );
}
