//! No event value can add a field to the stream: what the handler builds is exactly what the
//! client decodes.

use bytes::BytesMut;
use futures_util::stream;
use sse_warp::{Event, FieldError, Frame};
use warp::Filter;

use crate::server::serve;

/// Every frame in `body`, and the decoder that read them (for its last event ID and
/// reconnection time).
fn decode_all(body: &[u8]) -> (Vec<Frame>, sse_codec::Decoder) {
    let mut decoder = sse_codec::Decoder::new().with_comments(true);
    let mut buf = BytesMut::from(body);
    let mut frames = Vec::new();
    while let Some(frame) = decoder.decode(&mut buf).unwrap() {
        frames.push(frame);
    }
    while let Some(frame) = decoder.decode_eof(&mut buf).unwrap() {
        frames.push(frame);
    }
    (frames, decoder)
}

#[test]
fn an_id_with_a_line_break_cannot_be_built() {
    let forged = Event::new("x").try_with_id("1\nevent: admin");
    assert_eq!(forged, Err(FieldError::LineBreakInId { position: 1 }));
    let forged = Event::new("x").try_with_event_type("tick\rid: 9");
    assert_eq!(
        forged,
        Err(FieldError::LineBreakInEventType { position: 4 })
    );
}

#[tokio::test]
async fn hostile_data_arrives_as_data_and_adds_no_field() {
    // Each kind of line break, each followed by what would be a field on a line of its own.
    let hostile = [
        "a\rretry: 1",
        "b\nevent: admin",
        "c\r\nid: 9\n\ndata: second event",
    ];
    let route = warp::any().map(move || sse_warp::reply(stream::iter(hostile.map(Event::new))));
    let server = serve(route.boxed()).await;
    let body = reqwest::get(server.url("/"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    let lines: Vec<&[u8]> = body.split(|&byte| byte == b'\n').collect();
    assert!(
        lines
            .iter()
            .all(|line| line.is_empty() || line.starts_with(b"data: ")),
        "only data lines on the wire: {:?}",
        String::from_utf8_lossy(&body)
    );
    let (frames, decoder) = decode_all(&body);
    let expected: Vec<Frame> = [
        "a\nretry: 1",
        "b\nevent: admin",
        "c\nid: 9\n\ndata: second event",
    ]
    .map(|data| Frame::Event(Event::new(data)))
    .into();
    assert_eq!(frames, expected);
    assert_eq!(decoder.reconnection_time(), None);
    assert_eq!(decoder.last_event_id(), None);
}

/// For contrast: the same hostile values through warp's own `warp::sse::Event`, which writes
/// `id` unchecked and splits data on LF only. The client sees fields nobody set. (If this test
/// ever fails, warp has started escaping them.)
#[test]
fn warp_own_event_lets_the_same_values_inject_fields() {
    let wire = warp::sse::Event::default()
        .id("1\nevent: admin")
        .data("a\rretry: 1")
        .to_string();
    let (frames, _) = decode_all(wire.as_bytes());
    let forged = Event::new("a").with_event_type("admin").with_id("1");
    assert_eq!(
        frames,
        [Frame::Retry(1), Frame::Event(forged)],
        "a retry and an event type that nobody set"
    );
}
