//! A decoder moved to a new connection starts a new stream: nothing of the dead connection leaks
//! into the next one, no buffer makes it panic, and the last event ID and the reconnection time
//! carry over, as the WHATWG `EventSource` keeps them across reconnects.

mod support;

use bytes::{BufMut, BytesMut};
use futures_util::{StreamExt, stream};
use proptest::prelude::*;
use sse_codec::{DecodeError, Decoder, Event, EventStream, Frame, Limits, StreamError};
use support::streams::{seed, stream_and_cuts};
use support::{
    decode_chunks, decode_chunks_borrowed, decode_chunks_borrowed_until_cut,
    decode_chunks_until_cut, split_at_positions,
};

type Read = Result<&'static str, std::io::Error>;

fn connection_reset() -> std::io::Error {
    std::io::Error::from(std::io::ErrorKind::ConnectionReset)
}

/// Reads `stream` until it ends or its source fails, as a client's connection does.
fn read_connection<S, B>(frames: &mut EventStream<S>) -> Vec<Result<Frame, DecodeError>>
where
    S: futures_util::Stream<Item = Result<B, std::io::Error>>,
    B: Into<bytes::Bytes>,
{
    futures_executor::block_on(async {
        let mut out = Vec::new();
        while let Some(item) = frames.next().await {
            match item {
                Ok(frame) => out.push(Ok(frame)),
                Err(StreamError::Decode(error)) => out.push(Err(error)),
                Err(StreamError::Source(_)) => break,
            }
        }
        out
    })
}

/// Two connections through `EventStream`: the first read as `first` (ending in a cut), then the
/// decoder moved to a second whose reads are `second`.
fn two_connections(
    decoder: Decoder,
    first: Vec<Read>,
    second: Vec<Read>,
) -> (Vec<Result<Frame, DecodeError>>, Decoder) {
    let mut frames = EventStream::with_decoder(stream::iter(first), decoder);
    let mut out = read_connection(&mut frames);
    let mut frames = EventStream::with_decoder(stream::iter(second), frames.into_decoder());
    out.extend(read_connection(&mut frames));
    (out, frames.into_decoder())
}

fn event(data: &str) -> Result<Frame, DecodeError> {
    Ok(Frame::Event(Event::new(data)))
}

// --- What a dead connection leaves behind ---------------------------------------------------------

#[test]
fn a_cut_in_the_middle_of_a_line_then_a_new_connection_does_not_panic() {
    let (frames, _) = two_connections(
        Decoder::new(),
        vec![Ok("data: half"), Err(connection_reset())],
        vec![Ok("data: b\n\n")],
    );
    assert_eq!(frames, [event("b")]);
}

#[test]
fn decode_after_a_partial_line_takes_any_buffer_without_panicking() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("data: a rather long partial line");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(
        decoder.decode(&mut BytesMut::new()),
        Ok(None),
        "an empty buffer"
    );
    assert_eq!(
        decoder.decode(&mut BytesMut::from("x")),
        Ok(None),
        "a shorter one"
    );
    let mut visited = 0;
    assert_eq!(
        decoder.decode_with(&mut BytesMut::new(), |_| visited += 1),
        Ok(())
    );
    assert_eq!(decoder.decode_eof(&mut BytesMut::new()), Ok(None));
    assert_eq!(visited, 0);
}

#[test]
fn a_cut_after_an_event_and_a_partial_line_then_a_new_connection_does_not_panic() {
    let (frames, _) = two_connections(
        Decoder::new(),
        vec![Ok("data: a\n\ndata: hal"), Err(connection_reset())],
        vec![Ok("data: b\n\n")],
    );
    assert_eq!(frames, [event("a"), event("b")]);
}

#[test]
fn an_unfinished_event_does_not_leak_into_the_next_connection() {
    let (frames, _) = two_connections(
        Decoder::new(),
        vec![Ok("event: old\ndata: a\n"), Err(connection_reset())],
        vec![Ok("data: b\n\n")],
    );
    assert_eq!(
        frames,
        [event("b")],
        "neither the data nor the type of the cut event"
    );
}

#[test]
fn the_next_connection_strips_its_own_byte_order_mark() {
    let (frames, _) = two_connections(
        Decoder::new(),
        vec![Ok("\u{FEFF}data: a\n\n"), Err(connection_reset())],
        vec![Ok("\u{FEFF}data: b\n\n")],
    );
    assert_eq!(frames, [event("a"), event("b")]);

    // The mark split across reads of the new connection, after a cut in the old one's mark.
    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(&mut BytesMut::from(&b"\xEF\xBB"[..])),
        Ok(None)
    );
    decoder.start_new_stream();
    assert_eq!(decoder.decode(&mut BytesMut::from(&b"\xEF"[..])), Ok(None));
    let mut rest = BytesMut::from(&b"\xBB\xBFdata: c\n\n"[..]);
    assert_eq!(
        decoder.decode(&mut rest),
        Ok(Some(Frame::Event(Event::new("c"))))
    );
}

#[test]
fn a_skip_after_a_limit_does_not_swallow_the_next_connections_first_event() {
    let limits = Limits::default().max_line_len(8);
    for first in [
        "data: far too long",
        "data: far too long\n",
        "data: 1\ndata: far too long\n",
    ] {
        let mut decoder = Decoder::new().with_limits(limits);
        let mut buf = BytesMut::from(first);
        assert_eq!(
            decoder.decode(&mut buf),
            Err(DecodeError::LineTooLong { limit: 8 }),
            "{first:?}"
        );
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        decoder.start_new_stream();
        let mut next = BytesMut::from("data: b\n\n");
        assert_eq!(
            decoder.decode(&mut next),
            Ok(Some(Frame::Event(Event::new("b"))))
        );
    }
}

#[test]
fn an_id_not_yet_dispatched_dies_with_its_connection() {
    let (frames, decoder) = two_connections(
        Decoder::new(),
        vec![
            Ok("id: 1\ndata: a\n\nid: 2\ndata: lost\n"),
            Err(connection_reset()),
        ],
        vec![Ok("data: b\n\n")],
    );
    assert_eq!(
        frames,
        [
            Ok(Frame::Event(Event::new("a").with_id("1"))),
            Ok(Frame::Event(Event::new("b").with_id("1"))),
        ]
    );
    assert_eq!(decoder.last_event_id_header(), Some("1"));
}

#[test]
fn the_last_event_id_and_reconnection_time_carry_over() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("retry: 3000\nid: 9\n\nevent: half");
    assert_eq!(decoder.decode(&mut buf), Ok(Some(Frame::Retry(3000))));
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    decoder.start_new_stream();
    assert_eq!(decoder.reconnection_time(), Some(3000));
    assert_eq!(
        decoder.last_event_id(),
        Some("9"),
        "an id-only block sets it"
    );
    let mut next = BytesMut::from("data: b\n\n");
    assert_eq!(
        decoder.decode(&mut next),
        Ok(Some(Frame::Event(Event::new("b").with_id("9"))))
    );
}

#[test]
fn a_seeded_reconnection_time_reads_back_until_the_stream_sets_another() {
    let mut decoder = Decoder::new()
        .with_reconnection_time(2500)
        .with_last_event_id("3")
        .with_comments(true);
    assert_eq!(decoder.reconnection_time(), Some(2500));
    assert_eq!(
        decoder.last_event_id(),
        Some("3"),
        "the other settings are kept"
    );
    let mut buf = BytesMut::from(": still reporting comments\nretry: 10\n");
    assert!(matches!(
        decoder.decode(&mut buf),
        Ok(Some(Frame::Comment(_)))
    ));
    assert_eq!(decoder.decode(&mut buf), Ok(Some(Frame::Retry(10))));
    assert_eq!(decoder.reconnection_time(), Some(10));
}

#[test]
fn an_empty_id_means_no_last_event_id_header() {
    let mut decoder = Decoder::new().with_last_event_id("5");
    assert_eq!(decoder.last_event_id_header(), Some("5"));
    let mut buf = BytesMut::from("data: a\n\nid:\ndata: b\n\n");
    decoder.decode(&mut buf).unwrap();
    assert_eq!(decoder.last_event_id_header(), Some("5"));
    decoder.decode(&mut buf).unwrap();
    decoder.start_new_stream();
    assert_eq!(
        decoder.last_event_id(),
        Some(""),
        "the raw value stays readable"
    );
    assert_eq!(decoder.last_event_id_header(), None);
    assert_eq!(Decoder::new().last_event_id_header(), None);
}

#[test]
fn borrowed_decoding_starts_a_new_stream_too() {
    let mut decoder = Decoder::new();
    let mut buf = BytesMut::from("id: 1\ndata: a\n\nevent: old\ndata: hal");
    let mut seen = Vec::new();
    decoder
        .decode_with(&mut buf, |frame| seen.push(frame.to_frame()))
        .unwrap();
    decoder.start_new_stream();
    let mut next = BytesMut::from("data: b\n\n");
    decoder
        .decode_with(&mut next, |frame| seen.push(frame.to_frame()))
        .unwrap();
    assert_eq!(
        seen,
        [
            Frame::Event(Event::new("a").with_id("1")),
            Frame::Event(Event::new("b").with_id("1")),
        ]
    );
}

#[test]
fn without_a_new_stream_the_next_bytes_continue_the_old_line() {
    // Not a reconnect but a caller switching buffers mid-stream: the decoder keeps the partial
    // line itself, so the stream simply goes on.
    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(&mut BytesMut::from("data: con")), Ok(None));
    let mut other = BytesMut::from("tinued\n\n");
    assert_eq!(
        decoder.decode(&mut other),
        Ok(Some(Frame::Event(Event::new("continued"))))
    );
}

// --- What the decoder keeps is its own ------------------------------------------------------------

#[test]
fn once_it_asks_for_more_the_decoder_keeps_nothing_of_the_read() {
    // A large read with a short id and a pending event at its end: neither the last event ID nor
    // the pending data and id may keep the read's memory alive once the decoder asks for more.
    let mut read = BytesMut::with_capacity(1 << 20);
    read.put_slice(b"id: 7\ndata: x\n\n");
    read.put_bytes(b' ', (1 << 20) - 64);
    read.put_slice(b"\nid: 8\ndata: pending\n");
    let memory = read.as_ptr_range();
    let kept_outside = |text: &str| !memory.contains(&text.as_ptr());

    let mut decoder = Decoder::new();
    let mut owned = read.clone();
    let memory_of_copy = owned.as_ptr_range();
    let event = decoder
        .decode(&mut owned)
        .unwrap()
        .unwrap()
        .into_event()
        .unwrap();
    assert!(
        memory_of_copy.contains(&event.data().as_ptr()),
        "the event itself shares the read: no copy"
    );
    assert_eq!(decoder.decode(&mut owned), Ok(None));
    let id = decoder.last_event_id().unwrap();
    assert_eq!(id, "7");
    assert!(!memory_of_copy.contains(&id.as_ptr()));
    decoder.start_new_stream();

    let mut borrowed = Decoder::new();
    let mut borrowed_read = read;
    borrowed_read.extend_from_slice(b"\n");
    borrowed.decode_with(&mut borrowed_read, |_| {}).unwrap();
    assert_eq!(borrowed.last_event_id(), Some("8"));
    assert!(kept_outside(borrowed.last_event_id().unwrap()));
}

// --- The property ---------------------------------------------------------------------------------

fn limits_for(small: bool) -> Limits {
    if small {
        Limits::default().max_line_len(12).max_event_size(16)
    } else {
        Limits::default()
    }
}

/// A fresh decoder with the settings of the test and the state a new connection keeps.
fn fresh_after(old: &Decoder, comments: bool) -> Decoder {
    let mut fresh = Decoder::new()
        .with_comments(comments)
        .with_limits(old.limits());
    if let Some(id) = old.last_event_id() {
        fresh = fresh.with_last_event_id(id);
    }
    if let Some(millis) = old.reconnection_time() {
        fresh = fresh.with_reconnection_time(millis);
    }
    fresh
}

fn seeded(comments: bool, seed: Option<&str>, limits: Limits) -> Decoder {
    let decoder = Decoder::new().with_comments(comments).with_limits(limits);
    match seed {
        Some(seed) => decoder.with_last_event_id(seed),
        None => decoder,
    }
}

/// The reads of a connection through `EventStream`, ending in a cut when `cut` is set.
fn reads(chunks: &[&[u8]], cut: bool) -> Vec<Result<bytes::Bytes, std::io::Error>> {
    let mut reads: Vec<_> = chunks
        .iter()
        .map(|chunk| Ok(bytes::Bytes::copy_from_slice(chunk)))
        .collect();
    if cut {
        reads.push(Err(connection_reset()));
    }
    reads
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Cutting a stream anywhere and going on with another connection gives exactly what a fresh
    /// decoder seeded with the last event ID and reconnection time gives on the new connection,
    /// through the owned, the borrowed and the stream API, at any chunking.
    #[test]
    fn a_new_connection_decodes_as_a_fresh_seeded_decoder(
        (first, first_cuts) in stream_and_cuts(),
        (second, second_cuts) in stream_and_cuts(),
        comments in any::<bool>(),
        seed in seed(),
        small_limits in any::<bool>(),
    ) {
        let limits = limits_for(small_limits);
        let seed = seed.as_deref();
        let first_chunks = split_at_positions(&first, &first_cuts);
        let second_chunks = split_at_positions(&second, &second_cuts);

        // Owned.
        let mut moved = seeded(comments, seed, limits);
        let before_cut = decode_chunks_until_cut(&mut moved, first_chunks.iter().copied());
        moved.start_new_stream();
        let mut fresh = fresh_after(&moved, comments);
        let after_cut = decode_chunks(&mut moved, second_chunks.iter().copied());
        let expected = decode_chunks(&mut fresh, [&second[..]]);
        prop_assert_eq!(&after_cut, &expected);
        prop_assert_eq!(moved.last_event_id(), fresh.last_event_id());
        prop_assert_eq!(moved.reconnection_time(), fresh.reconnection_time());

        // Without limits in the way, the reference's new-connection step agrees.
        let errors = before_cut.iter().chain(&after_cut).any(Result::is_err);
        if !errors {
            let reference = sse_reference::interpret_connections(&[&first, &second], comments, seed);
            let frames: Vec<_> = before_cut.iter().chain(&after_cut).cloned().map(Result::unwrap).collect();
            prop_assert_eq!(&frames, &reference.frames);
            prop_assert_eq!(moved.last_event_id(), reference.last_event_id.as_deref());
            prop_assert_eq!(moved.reconnection_time(), reference.reconnection_time);
        }

        // Borrowed.
        let mut borrowed = seeded(comments, seed, limits);
        let borrowed_before = decode_chunks_borrowed_until_cut(&mut borrowed, first_chunks.iter().copied());
        prop_assert_eq!(&borrowed_before, &before_cut);
        borrowed.start_new_stream();
        let borrowed_after = decode_chunks_borrowed(&mut borrowed, second_chunks.iter().copied());
        prop_assert_eq!(&borrowed_after, &expected);
        prop_assert_eq!(borrowed.last_event_id(), fresh.last_event_id());

        // Through EventStream: a cut connection, then the decoder moved to the next.
        let mut frames = EventStream::with_decoder(
            stream::iter(reads(&first_chunks, true)),
            seeded(comments, seed, limits),
        );
        let streamed_before = read_connection(&mut frames);
        prop_assert_eq!(&streamed_before, &before_cut);
        let mut frames = EventStream::with_decoder(
            stream::iter(reads(&second_chunks, false)),
            frames.into_decoder(),
        );
        let streamed_after = read_connection(&mut frames);
        prop_assert_eq!(&streamed_after, &expected);
        prop_assert_eq!(frames.decoder().last_event_id(), fresh.last_event_id());
        prop_assert_eq!(frames.decoder().reconnection_time(), fresh.reconnection_time());
    }
}
