//! The decoder's accessors and its end-of-stream reset, call by call.

use bytes::BytesMut;
use sse_codec::{Decoder, Event, Frame};

fn next_event(decoder: &mut Decoder, buf: &mut BytesMut) -> Event {
    decoder
        .decode(buf)
        .expect("no limit is near")
        .expect("an event is complete")
        .into_event()
        .expect("the frame is an event")
}

#[test]
fn last_event_id_changes_only_at_a_blank_line() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("id: 1\ndata: a\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(
        decoder.last_event_id(),
        None,
        "the id line alone changes nothing"
    );
    buf.extend_from_slice(b"\n");
    assert_eq!(next_event(&mut decoder, &mut buf).id(), Some("1"));
    assert_eq!(decoder.last_event_id(), Some("1"));

    buf.extend_from_slice(b"id: 2\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(decoder.last_event_id(), Some("1"));
    buf.extend_from_slice(b"\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None), "no data: no event");
    assert_eq!(
        decoder.last_event_id(),
        Some("2"),
        "a blank line sets it even when nothing is dispatched"
    );

    buf.extend_from_slice(b"id\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(decoder.last_event_id(), Some("2"));
    buf.extend_from_slice(b"\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(decoder.last_event_id(), Some(""), "an empty id resets it");

    buf.extend_from_slice(b"id: 3\0\n\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(
        decoder.last_event_id(),
        Some(""),
        "an id with NUL is ignored"
    );
}

#[test]
fn an_id_of_an_unfinished_event_is_dropped_at_the_end_of_the_stream() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("id: 1\ndata: a\n\nid: 2\ndata: b\n");
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "a");
    assert_eq!(decoder.decode_eof(&mut buf), Ok(None));
    assert_eq!(decoder.last_event_id(), Some("1"));
}

#[test]
fn a_seeded_last_event_id_is_reported_until_replaced() {
    let mut decoder = Decoder::new().with_last_event_id("41");
    assert_eq!(decoder.last_event_id(), Some("41"));
    let mut buf = BytesMut::from("data: a\n\nid: 42\ndata: b\n\n");
    assert_eq!(next_event(&mut decoder, &mut buf).id(), Some("41"));
    assert_eq!(next_event(&mut decoder, &mut buf).id(), Some("42"));
    assert_eq!(decoder.last_event_id(), Some("42"));
}

#[test]
fn reconnection_time_follows_valid_retry_fields_only() {
    let mut decoder = Decoder::new();
    assert_eq!(decoder.reconnection_time(), None);
    let mut buf = BytesMut::from("retry: 1500\n");
    assert_eq!(decoder.decode(&mut buf), Ok(Some(Frame::Retry(1500))));
    assert_eq!(decoder.reconnection_time(), Some(1500));
    buf.extend_from_slice(b"retry: x\nretry:  7\nretry: 18446744073709551616\n");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(
        decoder.reconnection_time(),
        Some(1500),
        "invalid values are ignored"
    );
    buf.extend_from_slice(b"retry: 0\n");
    assert_eq!(decoder.decode(&mut buf), Ok(Some(Frame::Retry(0))));
    assert_eq!(decoder.reconnection_time(), Some(0));
}

#[test]
fn decode_eof_yields_what_is_complete_then_discards_the_rest() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a\n\nretry: 3\ndata: b\n\ndata: c\nda");
    assert_eq!(
        decoder
            .decode_eof(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap()
            .data(),
        "a"
    );
    assert_eq!(decoder.decode_eof(&mut buf), Ok(Some(Frame::Retry(3))));
    assert_eq!(
        decoder
            .decode_eof(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap()
            .data(),
        "b"
    );
    assert_eq!(decoder.decode_eof(&mut buf), Ok(None));
    assert!(buf.is_empty());
    assert_eq!(
        decoder.decode_eof(&mut buf),
        Ok(None),
        "and keeps saying so"
    );
}

#[test]
fn decode_eof_resets_for_a_new_stream_keeping_the_last_event_id() {
    let mut decoder = Decoder::new();
    let mut buf =
        BytesMut::from(&b"\xEF\xBB\xBFid: 7\nretry: 9\ndata: a\n\nevent: t\ndata: lost\r"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(Some(Frame::Retry(9))));
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "a");
    assert_eq!(decoder.decode_eof(&mut buf), Ok(None));

    // The next connection: a new BOM is stripped, the pending CR of the old stream does not eat
    // this stream's first LF, and the unfinished event (its type too) is gone.
    buf.extend_from_slice(b"\xEF\xBB\xBF\ndata: b\n\n");
    let event = next_event(&mut decoder, &mut buf);
    assert_eq!((event.explicit_event_type(), event.data()), (None, "b"));
    assert_eq!(event.id(), Some("7"), "the last event ID is kept");
    assert_eq!(decoder.last_event_id(), Some("7"));
    assert_eq!(
        decoder.reconnection_time(),
        Some(9),
        "and so is the reconnection time"
    );
}

#[test]
fn a_fresh_stream_after_decode_eof_decodes_like_a_new_decoder() {
    let stream = b"\xEF\xBB\xBFdata: x\r\n\r\n:c\ndata: y\n\n";
    let mut reused = Decoder::new().with_comments(true);
    let mut buf = BytesMut::from(&b"event: t\ndata: unfinished\ndata"[..]);
    assert_eq!(reused.decode_eof(&mut buf), Ok(None));
    let fresh = decode_whole(&mut Decoder::new().with_comments(true), stream);
    assert_eq!(fresh.len(), 3);
    assert_eq!(decode_whole(&mut reused, stream), fresh);
}

fn decode_whole(decoder: &mut Decoder, stream: &[u8]) -> Vec<Frame> {
    let mut buf = BytesMut::from(stream);
    let mut frames = Vec::new();
    while let Some(frame) = decoder.decode_eof(&mut buf).unwrap() {
        frames.push(frame);
    }
    frames
}

#[test]
fn a_partial_bom_left_at_the_end_of_a_stream_does_not_leak_into_the_next() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from(&b"\xEF\xBB"[..]);
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(decoder.decode_eof(&mut buf), Ok(None));
    buf.extend_from_slice(b"\xBFdata: a\n\ndata: b\n\n");
    assert_eq!(
        next_event(&mut decoder, &mut buf).data(),
        "b",
        "the lone 0xBF starts the new stream's first line, which is then unknown"
    );
}

#[test]
fn decode_takes_a_partial_line_in_so_any_buffer_may_come_next() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a\n\ndata: par");
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "a");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert!(buf.is_empty());
    drop(buf);
    let mut next = BytesMut::from("tial\n\n");
    assert_eq!(next_event(&mut decoder, &mut next).data(), "partial");
}

#[test]
fn decode_takes_the_complete_lines_of_a_read_in_one_split() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a\n\ndata: b\n\nid: 3\ndata: c\n\ndata: par");
    let start = buf.as_ptr();
    let first = next_event(&mut decoder, &mut buf);
    assert_eq!(
        &buf[..],
        b"data: par",
        "the complete lines are the decoder's"
    );
    // Events of one read share its memory: their values point into it, nothing is copied.
    assert_eq!(first.data().as_ptr(), start.wrapping_add(6));
    assert_eq!(
        next_event(&mut decoder, &mut buf).data().as_ptr(),
        start.wrapping_add(15)
    );
    buf.extend_from_slice(b"tial\n\n");
    let third = next_event(&mut decoder, &mut buf);
    assert_eq!((third.data(), third.id()), ("c", Some("3")));
    assert_eq!(
        &buf[..],
        b"data: partial\n\n",
        "then those the buffer has since"
    );
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "partial");
}

#[test]
fn decode_with_after_decode_visits_the_lines_decode_took_first() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a\n\nretry: 7\n: note\nid: 2\ndata: b\n\nda");
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "a");
    buf.extend_from_slice(b"ta: c\n\n");
    let mut frames = Vec::new();
    decoder
        .decode_with(&mut buf, |frame| frames.push(frame.to_frame()))
        .unwrap();
    let b = Event::new("b").with_id("2");
    let c = Event::new("c").with_id("2");
    assert_eq!(frames, [Frame::Retry(7), b.into(), c.into()]);
    assert!(buf.is_empty());
}

#[test]
fn a_new_stream_drops_the_lines_of_the_old_one_that_decode_took() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("id: 1\ndata: a\n\nid: 2\ndata: b\n\n");
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "a");
    assert!(buf.is_empty());
    decoder.start_new_stream();
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(None),
        "event 2 was the old stream's"
    );
    assert_eq!(decoder.last_event_id(), Some("1"));
    let mut next = BytesMut::from("data: c\n\n");
    assert_eq!(next_event(&mut decoder, &mut next).id(), Some("1"));
}

#[test]
fn a_read_with_invalid_utf8_still_shares_its_valid_values() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from(&b"data: ok\n\ndata: \xFFx\n\n"[..]);
    let start = buf.as_ptr();
    let valid = next_event(&mut decoder, &mut buf);
    assert_eq!(valid.data(), "ok");
    assert_eq!(valid.data().as_ptr(), start.wrapping_add(6));
    assert_eq!(next_event(&mut decoder, &mut buf).data(), "\u{FFFD}x");
}

#[test]
fn a_line_longer_than_a_block_in_one_read_is_shared_not_copied() {
    // The decoder takes lines about 8 KiB at a time, and all of them after a longer line.
    let long = "x".repeat(20_000);
    let mut buf = BytesMut::from(format!(": {long}\ndata: {long}\n\ndata: b\n\n").as_str());
    let start = buf.as_ptr();
    let event = next_event(&mut Decoder::new(), &mut buf);
    assert_eq!(event.data(), long);
    assert_eq!(event.data().as_ptr(), start.wrapping_add(long.len() + 9));
}
