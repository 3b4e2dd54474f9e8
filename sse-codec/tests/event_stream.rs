//! `EventStream`: a `futures` stream of byte chunks in, frames out.
#![cfg(feature = "stream")]

mod support;

use std::task::Poll;

use bytes::Bytes;
use futures_executor::block_on;
use futures_util::stream::{self, FusedStream, StreamExt};
use sse_codec::{DecodeError, Decoder, Event, EventStream, Frame, Limits, StreamError};

use support::{decode_chunks, split_at_positions};

/// The error of a test source: comparable, unlike `io::Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SourceFailed(&'static str);

type Item = Result<Frame, StreamError<SourceFailed>>;

fn collect<S>(frames: EventStream<S>) -> Vec<Item>
where
    EventStream<S>: futures_util::Stream<Item = Item>,
{
    block_on(frames.collect())
}

fn ok_chunks(chunks: &[&'static str]) -> Vec<Result<&'static [u8], SourceFailed>> {
    chunks.iter().map(|chunk| Ok(chunk.as_bytes())).collect()
}

fn event(data: &str) -> Item {
    Ok(Frame::Event(Event::new(data)))
}

#[test]
fn frames_come_out_of_a_chunked_source() {
    let source = stream::iter(ok_chunks(&[
        "\u{FEFF}data: a",
        "\r",
        "\n\r\n:c\nretry: 5\n",
        "data: b\n\n",
    ]));
    let frames = collect(EventStream::new(source));
    assert_eq!(frames, [event("a"), Ok(Frame::Retry(5)), event("b")]);
}

#[test]
fn every_split_of_a_stream_gives_what_the_decoder_gives() {
    let stream: &[u8] =
        b"\xEF\xBB\xBFid: 1\r\nevent: t\rdata: x\xFF\n\n:c\ndata: y\r\rretry: 7\ndata: lost";
    let expected: Vec<Item> = decode_chunks(&mut Decoder::new().with_comments(true), [stream])
        .into_iter()
        .map(|frame| frame.map_err(StreamError::Decode))
        .collect();
    assert_eq!(expected.len(), 4);
    for cut in 0..=stream.len() {
        let chunks: Vec<Result<Vec<u8>, SourceFailed>> = split_at_positions(stream, &[cut])
            .into_iter()
            .map(|chunk| Ok(chunk.to_vec()))
            .collect();
        let decoder = Decoder::new().with_comments(true);
        let frames = collect(EventStream::with_decoder(stream::iter(chunks), decoder));
        assert_eq!(frames, expected, "cut at {cut}");
    }
}

#[test]
fn a_source_error_is_passed_on_and_the_stream_goes_on() {
    let source = stream::iter(vec![
        Ok(&b"data: a\n"[..]),
        Err(SourceFailed("reset")),
        Ok(&b"\ndata: b\n\n"[..]),
    ]);
    let frames = collect(EventStream::new(source));
    assert_eq!(
        frames,
        [
            Err(StreamError::Source(SourceFailed("reset"))),
            event("a"),
            event("b"),
        ],
        "the error comes when the source gives it; the partial event survives it"
    );
}

#[test]
fn a_limit_error_is_reported_and_the_stream_goes_on() {
    let decoder = Decoder::new().with_limits(Limits::default().max_line_len(8));
    let source = stream::iter(ok_chunks(&[
        "data: a\n\ndata: 012",
        "3456789\nid: 1\n\n",
        "data: c\n\n",
    ]));
    let frames = collect(EventStream::with_decoder(source, decoder));
    assert_eq!(
        frames,
        [
            event("a"),
            Err(StreamError::Decode(DecodeError::LineTooLong { limit: 8 })),
            event("c"),
        ]
    );
}

#[test]
fn the_end_of_the_source_discards_an_unfinished_event_and_ends_the_stream() {
    let source = stream::iter(ok_chunks(&["data: a\n\ndata: b\n"]));
    let mut frames = EventStream::new(source);
    block_on(async {
        assert_eq!(frames.next().await, Some(event("a")));
        assert!(!frames.is_terminated());
        assert_eq!(frames.next().await, None);
        assert!(frames.is_terminated());
        assert_eq!(frames.next().await, None, "it stays ended");
    });
}

#[test]
fn any_chunk_type_that_becomes_bytes_is_accepted() {
    let strings = stream::iter(vec![Ok::<_, SourceFailed>(String::from("data: s\n\n"))]);
    assert_eq!(collect(EventStream::new(strings)), [event("s")]);
    let bytes = stream::iter(vec![
        Ok::<_, SourceFailed>(Bytes::from_static(b"data: ")),
        Ok(Bytes::from_static(b"b\n\n")),
    ]);
    assert_eq!(collect(EventStream::new(bytes)), [event("b")]);
}

#[test]
fn a_source_that_is_not_ready_is_polled_again() {
    let mut chunks = ok_chunks(&["data: ", "a\n", "\n"]).into_iter();
    let mut ready = false;
    let source = stream::poll_fn(move |cx| {
        ready = !ready;
        if ready {
            Poll::Ready(chunks.next())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    });
    assert_eq!(collect(EventStream::new(source)), [event("a")]);
}

#[test]
fn the_decoder_carries_the_last_event_id_to_the_next_connection() {
    let first = stream::iter(ok_chunks(&[
        "\u{FEFF}id: 7\nretry: 100\ndata: a\n\nid: 8\ndata: half",
    ]));
    let mut frames = EventStream::new(first);
    block_on(async { while frames.next().await.is_some() {} });
    assert_eq!(frames.decoder().last_event_id(), Some("7"));
    assert_eq!(frames.decoder().reconnection_time(), Some(100));

    let second = stream::iter(ok_chunks(&["\u{FEFF}data: b\n\n"]));
    let frames = collect(EventStream::with_decoder(second, frames.into_decoder()));
    assert_eq!(
        frames,
        [Ok(Frame::Event(Event::new("b").with_id("7")))],
        "the new connection's BOM is stripped and the old id carries on"
    );
}

#[test]
fn errors_say_what_failed_and_point_at_their_cause() {
    use std::error::Error as _;
    let limit: StreamError<std::io::Error> =
        StreamError::Decode(DecodeError::EventTooLarge { limit: 9 });
    assert_eq!(
        limit.to_string(),
        DecodeError::EventTooLarge { limit: 9 }.to_string()
    );
    assert_eq!(limit.source().unwrap().to_string(), limit.to_string());
    let source: StreamError<std::io::Error> = StreamError::Source(std::io::Error::other("reset"));
    assert_eq!(source.to_string(), "reading the event stream failed: reset");
    assert_eq!(source.source().unwrap().to_string(), "reset");
}

#[test]
fn debug_shows_the_source_the_decoder_and_what_is_buffered() {
    let frames = EventStream::new(stream::iter(ok_chunks(&["data: a"])));
    let debug = format!("{frames:?}");
    for part in ["EventStream", "source", "decoder", "buffered: 0"] {
        assert!(debug.contains(part), "{part} in {debug}");
    }
}
