//! Memory limits: an endless line or an endless event never grows the buffers past the limit,
//! the error is reported once and at the same place whatever the chunking, and decoding goes on.

mod support;

use bytes::BytesMut;
use sse_codec::{DecodeError, Decoder, Event, Frame, Limits};

use support::{decode_chunks, split_at_positions};

const CHUNK: usize = 64 * 1024;
const GIB: u64 = 1024 * 1024 * 1024;

/// What one long feed did to the caller's buffer and what came out.
#[derive(Debug, Default)]
struct Feed {
    errors: Vec<DecodeError>,
    frames: Vec<Frame>,
    max_len: usize,
    max_capacity: usize,
}

impl Feed {
    /// Pushes `chunk` into `buf` and drains the decoder, recording the buffer's size at its
    /// largest: right after the chunk was appended.
    fn push(&mut self, decoder: &mut Decoder, buf: &mut BytesMut, chunk: &[u8]) {
        buf.extend_from_slice(chunk);
        self.max_len = self.max_len.max(buf.len());
        self.max_capacity = self.max_capacity.max(buf.capacity());
        loop {
            match decoder.decode(buf) {
                Ok(Some(frame)) => self.frames.push(frame),
                Ok(None) => break,
                Err(error) => self.errors.push(error),
            }
        }
    }

    fn finish(&mut self, decoder: &mut Decoder, buf: &mut BytesMut) {
        while let Some(frame) = decoder.decode_eof(buf).expect("no limit at the end") {
            self.frames.push(frame);
        }
    }
}

/// The size of the endless line in the two main tests: 1 GiB, generated chunk by chunk and
/// never held in memory. About 8 s each in a debug build on a busy two-core machine.
const ENDLESS_LINE_BYTES: u64 = GIB;

/// The size of the endless input in the variations: 1 GiB when the tests are optimized, 64 MiB in
/// a debug build. The environment variable `SSE_CODEC_ENDLESS_BYTES` overrides both.
fn variation_bytes() -> u64 {
    if let Ok(bytes) = std::env::var("SSE_CODEC_ENDLESS_BYTES") {
        return bytes
            .parse()
            .expect("SSE_CODEC_ENDLESS_BYTES is a number of bytes");
    }
    if cfg!(debug_assertions) {
        64 * 1024 * 1024
    } else {
        GIB
    }
}

/// `first`, then chunks of `filler` until `total` bytes were fed, then `last`.
fn feed_endless(
    decoder: &mut Decoder,
    first: &[u8],
    filler: &[u8],
    total: u64,
    last: &[u8],
) -> Feed {
    assert_eq!(filler.len(), CHUNK);
    let mut feed = Feed::default();
    let mut buf = BytesMut::new();
    feed.push(decoder, &mut buf, first);
    let mut fed = first.len() as u64;
    while fed < total {
        feed.push(decoder, &mut buf, filler);
        fed += CHUNK as u64;
    }
    feed.push(decoder, &mut buf, last);
    feed.finish(decoder, &mut buf);
    feed
}

/// The buffer may hold what the limit allows plus the chunk just appended; its capacity may be
/// twice that, since `BytesMut` grows by doubling, as `Vec` does.
fn assert_bounded(feed: &Feed, limit: usize) {
    assert!(
        feed.max_len <= limit + CHUNK,
        "buffer length {} for limit {limit}",
        feed.max_len
    );
    assert!(
        feed.max_capacity <= 2 * (limit + CHUNK),
        "buffer capacity {} for limit {limit}",
        feed.max_capacity
    );
}

fn next_event() -> Frame {
    Frame::Event(Event::new("next"))
}

fn endless_line(limits: Limits, total: u64, ending: &[u8]) {
    let mut decoder = Decoder::new().with_limits(limits);
    let feed = feed_endless(&mut decoder, b"data: ", &[b'x'; CHUNK], total, ending);
    assert_eq!(
        feed.errors,
        [DecodeError::LineTooLong {
            limit: limits.line_len()
        }],
        "reported exactly once"
    );
    assert_eq!(feed.frames, [next_event()]);
    assert_bounded(&feed, limits.line_len());
}

#[test]
fn an_endless_line_with_a_small_limit_is_cut_off_once_then_decoding_goes_on() {
    endless_line(
        Limits::default().max_line_len(1024),
        ENDLESS_LINE_BYTES,
        b"\n\ndata: next\n\n",
    );
}

#[test]
fn an_endless_line_with_the_default_limits_is_cut_off_once_then_decoding_goes_on() {
    endless_line(Limits::default(), ENDLESS_LINE_BYTES, b"\n\ndata: next\n\n");
}

#[test]
fn the_event_holding_an_endless_line_is_skipped_up_to_its_blank_line() {
    endless_line(
        Limits::default().max_line_len(1024),
        variation_bytes(),
        b"\nid: 1\nretry: 5\ndata: skipped\n\ndata: next\n\n",
    );
}

#[test]
fn an_endless_line_ended_by_a_lone_cr_then_more_lines() {
    endless_line(
        Limits::default().max_line_len(1024),
        variation_bytes(),
        b"\r\r\ndata: next\r\r",
    );
}

fn endless_event(limits: Limits) {
    // 64-byte data lines, so that a chunk holds whole lines and the event only grows.
    let line = format!("data: {}\n", "y".repeat(57));
    let filler = line.repeat(CHUNK / line.len());
    assert_eq!(filler.len(), CHUNK);
    // Four times the limit: enough to show that nothing accumulates after the error.
    let total = (4 * limits.event_size() as u64).min(variation_bytes());
    let mut decoder = Decoder::new().with_limits(limits);
    let feed = feed_endless(
        &mut decoder,
        b"event: big\n",
        filler.as_bytes(),
        total,
        b"\ndata: next\n\n",
    );
    assert_eq!(
        feed.errors,
        [DecodeError::EventTooLarge {
            limit: limits.event_size()
        }],
        "reported exactly once"
    );
    assert_eq!(
        feed.frames,
        [next_event()],
        "the skipped event's type does not leak into the next one"
    );
    assert_bounded(&feed, limits.line_len().min(CHUNK));
}

#[test]
fn an_endless_event_with_a_small_limit_is_cut_off_once_then_decoding_goes_on() {
    endless_event(Limits::default().max_event_size(100_000));
}

#[test]
fn an_endless_event_with_the_default_limits_is_cut_off_once_then_decoding_goes_on() {
    endless_event(Limits::default());
}

/// Every chunking the loader of the vectors uses, for streams a few hundred bytes long.
fn assert_same_at_every_chunking(
    limits: Limits,
    stream: &[u8],
    expected: &[Result<Frame, DecodeError>],
) {
    let mut chunkings: Vec<Vec<&[u8]>> = vec![vec![stream], stream.chunks(1).collect()];
    chunkings.extend((0..=stream.len()).map(|cut| split_at_positions(stream, &[cut])));
    chunkings.extend([2, 3, 7, 64].map(|size| stream.chunks(size).collect()));
    for chunks in chunkings {
        let sizes: Vec<usize> = chunks.iter().map(|chunk| chunk.len()).collect();
        let got = decode_chunks(&mut Decoder::new().with_limits(limits), chunks);
        assert_eq!(got, expected, "chunk sizes {sizes:?}");
    }
}

#[test]
fn a_line_limit_error_comes_at_the_same_point_whatever_the_chunking() {
    let limits = Limits::default().max_line_len(16);
    let stream = b"data: a\n\nid: 1\ndata: b\ndata: 0123456789abc\r\nid: 2\nretry: 5\ndata: c\n\n\
                   data: d\r\n\r\n";
    assert_same_at_every_chunking(
        limits,
        stream,
        &[
            Ok(Frame::Event(Event::new("a"))),
            Err(DecodeError::LineTooLong { limit: 16 }),
            Ok(Frame::Event(Event::new("d"))),
        ],
    );
}

#[test]
fn an_event_size_error_comes_at_the_same_point_whatever_the_chunking() {
    let limits = Limits::default().max_event_size(10);
    let stream =
        b"retry: 1\ndata: 12345\ndata: 6789\n\nid: 1\ndata: 12345\ndata: 67890\nretry: 2\n\n\
                   :c\ndata: z\n\n";
    assert_same_at_every_chunking(
        limits,
        stream,
        &[
            Ok(Frame::Retry(1)),
            Ok(Frame::Event(Event::new("12345\n6789"))),
            Err(DecodeError::EventTooLarge { limit: 10 }),
            Ok(Frame::Event(Event::new("z"))),
        ],
    );
}

#[test]
fn a_skipped_event_reports_its_limit_once_even_with_more_offending_lines() {
    let limits = Limits::default().max_line_len(12).max_event_size(20);
    let stream = b"data: 0123456789\ndata: 0123456789\ndata: 01234\ndata: 01234\ndata: 01234\n\n\
                   data: 0123456789\n\ndata: ok\n\n";
    assert_same_at_every_chunking(
        limits,
        stream,
        &[
            Err(DecodeError::LineTooLong { limit: 12 }),
            Err(DecodeError::LineTooLong { limit: 12 }),
            Ok(Frame::Event(Event::new("ok"))),
        ],
    );
}

#[test]
fn a_line_exactly_at_the_limit_passes_and_one_byte_more_fails() {
    let limits = Limits::default().max_line_len(12);
    // "data: " and six bytes: twelve, whatever the line end.
    for end in ["\n", "\r", "\r\n"] {
        let at_limit = format!("data: 123456{end}{end}");
        assert_same_at_every_chunking(
            limits,
            at_limit.as_bytes(),
            &[Ok(Frame::Event(Event::new("123456")))],
        );
        let over_limit = format!("data: 1234567{end}{end}data: ok{end}{end}");
        assert_same_at_every_chunking(
            limits,
            over_limit.as_bytes(),
            &[
                Err(DecodeError::LineTooLong { limit: 12 }),
                Ok(Frame::Event(Event::new("ok"))),
            ],
        );
    }
}

#[test]
fn a_line_exactly_at_the_limit_waiting_for_its_end_is_not_an_error() {
    let mut decoder = Decoder::new().with_limits(Limits::default().max_line_len(12));
    let mut buf = BytesMut::from("data: 123456");
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    buf.extend_from_slice(b"\n\n");
    assert_eq!(
        decoder.decode(&mut buf),
        Ok(Some(Frame::Event(Event::new("123456"))))
    );
    let mut buf = BytesMut::from("data: 1234567");
    assert_eq!(
        decoder.decode(&mut buf),
        Err(DecodeError::LineTooLong { limit: 12 })
    );
}

#[test]
fn event_data_exactly_at_the_limit_passes_and_one_byte_more_fails() {
    let limits = Limits::default().max_event_size(10);
    // Data is counted as the lines joined with LF: 4 + 1 + 5 = 10.
    assert_same_at_every_chunking(
        limits,
        b"data: 1234\ndata: 12345\n\n",
        &[Ok(Frame::Event(Event::new("1234\n12345")))],
    );
    assert_same_at_every_chunking(
        limits,
        b"data: 12345\ndata: 12345\n\ndata: 0123456789\n\ndata:\ndata:\ndata: 123456789\n\n",
        &[
            Err(DecodeError::EventTooLarge { limit: 10 }),
            Ok(Frame::Event(Event::new("0123456789"))),
            Err(DecodeError::EventTooLarge { limit: 10 }),
        ],
    );
}

#[test]
fn a_limit_of_zero_allows_only_empty_lines_and_empty_data() {
    let limits = Limits::default().max_line_len(4).max_event_size(0);
    assert_same_at_every_chunking(
        limits,
        b"data\n\ndata\ndata\n\n",
        &[
            Ok(Frame::Event(Event::new(""))),
            Err(DecodeError::EventTooLarge { limit: 0 }),
        ],
    );
}

#[test]
fn unbounded_limits_accept_a_line_past_the_default_limit() {
    let big = Limits::DEFAULT_MAX_LINE_LEN + 1024;
    let mut stream = Vec::with_capacity(big + 16);
    stream.extend_from_slice(b"data: ");
    stream.resize(big, b'z');
    stream.extend_from_slice(b"\n\n");
    let chunks = stream.chunks(CHUNK);

    let frames = decode_chunks(
        &mut Decoder::new().with_limits(Limits::unbounded()),
        chunks.clone(),
    );
    let [Ok(Frame::Event(event))] = &frames[..] else {
        panic!("one event expected, got {} frames", frames.len());
    };
    assert_eq!(event.data().len(), big - "data: ".len());

    let frames = decode_chunks(&mut Decoder::new(), chunks);
    assert_eq!(
        frames,
        [Err(DecodeError::LineTooLong {
            limit: Limits::DEFAULT_MAX_LINE_LEN
        })],
        "the default limit refuses it"
    );
}

#[test]
fn limit_errors_say_what_and_how_much() {
    let line = DecodeError::LineTooLong { limit: 12 }.to_string();
    assert!(line.contains("line") && line.contains("12"), "{line}");
    let event = DecodeError::EventTooLarge { limit: 34 }.to_string();
    assert!(event.contains("event") && event.contains("34"), "{event}");
}

// --- Limits on decoded text, at their boundaries ----------------------------------------------------

/// What `stream` decodes to with `limits`, fed whole and one byte at a time (which must agree).
fn decode_both_ways(limits: Limits, stream: &[u8]) -> Vec<Result<Frame, DecodeError>> {
    let whole = decode_chunks(&mut Decoder::new().with_limits(limits), [stream]);
    let trickled = decode_chunks(&mut Decoder::new().with_limits(limits), stream.chunks(1));
    assert_eq!(trickled, whole, "{stream:?}");
    whole
}

fn line_of(field: &[u8], value: &[u8]) -> Vec<u8> {
    [field, b":", value, b"\n"].concat()
}

#[test]
fn an_id_or_event_type_is_refused_when_its_text_passes_the_line_limit() {
    let limits = Limits::default().max_line_len(12);
    // Four invalid bytes are twelve bytes of text: exactly the limit, accepted.
    for field in [&b"id"[..], b"event"] {
        let fits = [line_of(field, b"\xFF\xFF\xFF\xFF"), b"data: a\n\n".to_vec()].concat();
        let frames = decode_both_ways(limits, &fits);
        assert!(frames.iter().all(Result::is_ok), "{frames:?}");
        let Ok(Frame::Event(event)) = &frames[0] else {
            panic!("{frames:?}")
        };
        let text = "\u{FFFD}".repeat(4);
        if field == b"id" {
            assert_eq!(event.id(), Some(text.as_str()));
        } else {
            assert_eq!(event.event_type(), text);
        }
        // Five are fifteen: refused, though the line itself is eight bytes.
        let past = [
            line_of(field, b"\xFF\xFF\xFF\xFF\xFF"),
            b"data: a\n\ndata: b\n\n".to_vec(),
        ]
        .concat();
        assert_eq!(
            decode_both_ways(limits, &past),
            [
                Err(DecodeError::LineTooLong { limit: 12 }),
                Ok(Frame::Event(Event::new("b")))
            ]
        );
        // Measured text exactly at the limit passes: three invalid bytes and three plain ones are
        // nine and three bytes of text.
        let measured = [line_of(field, b"\xFF\xFF\xFFabc"), b"data: a\n\n".to_vec()].concat();
        assert!(
            decode_both_ways(limits, &measured)
                .iter()
                .all(Result::is_ok)
        );
        // Valid text as long as the bytes is never measured as three times longer.
        let plain = [line_of(field, b"abcde"), b"data: a\n\n".to_vec()].concat();
        assert!(decode_both_ways(limits, &plain).iter().all(Result::is_ok));
    }
}

#[test]
fn a_single_data_line_is_refused_exactly_when_its_text_passes_the_event_size() {
    let limits = Limits::default().max_event_size(9);
    let at_limit = [line_of(b"data", b"\xFF\xFF\xFF"), b"\n".to_vec()].concat();
    assert_eq!(
        decode_both_ways(limits, &at_limit),
        [Ok(Frame::Event(Event::new("\u{FFFD}".repeat(3))))]
    );
    let past = [line_of(b"data", b"\xFF\xFF\xFF\xFF"), b"\n".to_vec()].concat();
    assert_eq!(
        decode_both_ways(limits, &past),
        [Err(DecodeError::EventTooLarge { limit: 9 })]
    );
    let plain = [line_of(b"data", b"abcdefghi"), b"\n".to_vec()].concat();
    assert_eq!(
        decode_both_ways(limits, &plain),
        [Ok(Frame::Event(Event::new("abcdefghi")))]
    );
}

#[test]
fn several_data_lines_are_refused_exactly_when_their_text_passes_the_event_size() {
    let limits = Limits::default().max_event_size(9);
    // "abcd\nefgh" is nine bytes: accepted; one more byte is not.
    assert_eq!(
        decode_both_ways(limits, b"data: abcd\ndata: efgh\n\n"),
        [Ok(Frame::Event(Event::new("abcd\nefgh")))]
    );
    assert_eq!(
        decode_both_ways(limits, b"data: abcd\ndata: efghi\n\n"),
        [Err(DecodeError::EventTooLarge { limit: 9 })]
    );
    // Text measured once it could pass: "\u{FFFD}\n\u{FFFD}" is seven bytes, then "\n" and "x"
    // make nine, one more is ten.
    assert_eq!(
        decode_both_ways(limits, b"data:\xFF\ndata:\xFF\ndata:x\n\n"),
        [Ok(Frame::Event(Event::new("\u{FFFD}\n\u{FFFD}\nx")))]
    );
    assert_eq!(
        decode_both_ways(limits, b"data:\xFF\ndata:\xFF\ndata:xy\n\n"),
        [Err(DecodeError::EventTooLarge { limit: 9 })]
    );
}
