//! Property tests: chunking never changes what is decoded, the decoder agrees with the naive
//! reference algorithm, encoding round-trips, and no value can inject a field.

mod support;

use bytes::BytesMut;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use sse_codec::{Decoder, Event, FieldError, Frame};

use sse_codec::Limits;
use support::streams::{seed, stream_and_cuts, stream_bytes};
use support::{decode_chunks, decode_chunks_borrowed, split_at_positions};

// --- Inputs --------------------------------------------------------------------------------------

/// Text that tries to break out of its field: line ends of every kind, field names, colons.
fn hostile_text() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "a",
        "b",
        " ",
        ":",
        "\r",
        "\n",
        "\r\n",
        "\n\n",
        "\r\r",
        "\0",
        "é",
        "\u{1F600}",
        "\u{FEFF}",
        "data:",
        "id: 1",
        "event: admin",
        "retry: 5",
        "\nretry: 5\n",
        "\r\nid: x\r\n",
        "\revent: y\r",
    ];
    prop_oneof![
        4 => vec(select(PIECES), 0..10).prop_map(|pieces| pieces.concat()),
        1 => any::<String>(),
    ]
}

/// A frame as a test wants to write it, before the encoder has accepted its fields.
#[derive(Clone, Debug)]
enum FrameSpec {
    Event {
        data: String,
        event_type: Option<String>,
        id: Option<String>,
    },
    Retry(u64),
    Comment(String),
}

fn frame_spec() -> impl Strategy<Value = FrameSpec> {
    prop_oneof![
        6 => (hostile_text(), proptest::option::of(hostile_text()), proptest::option::of(hostile_text()))
            .prop_map(|(data, event_type, id)| FrameSpec::Event { data, event_type, id }),
        1 => any::<u64>().prop_map(FrameSpec::Retry),
        2 => hostile_text().prop_map(FrameSpec::Comment),
    ]
}

// --- What the encoder must do, written naively ---------------------------------------------------

/// The first CR or LF of an event type.
fn expected_event_type_error(event_type: &str) -> Option<FieldError> {
    event_type
        .bytes()
        .position(|byte| byte == b'\r' || byte == b'\n')
        .map(|position| FieldError::LineBreakInEventType { position })
}

/// The first CR, LF or NUL of an id.
fn expected_id_error(id: &str) -> Option<FieldError> {
    let (position, byte) = id
        .bytes()
        .enumerate()
        .find(|(_, byte)| matches!(byte, b'\r' | b'\n' | 0))?;
    Some(if byte == 0 {
        FieldError::NulInId { position }
    } else {
        FieldError::LineBreakInId { position }
    })
}

/// Builds the event through the checking setters, asserting that a refusal names the right
/// variant and position.
fn build(spec: &FrameSpec) -> Option<Frame> {
    let FrameSpec::Event {
        data,
        event_type,
        id,
    } = spec
    else {
        return Some(match spec {
            FrameSpec::Retry(millis) => Frame::Retry(*millis),
            FrameSpec::Comment(text) => Frame::comment(text.as_str()),
            FrameSpec::Event { .. } => unreachable!(),
        });
    };
    let mut event = Event::new(data.as_str());
    if let Some(event_type) = event_type {
        match event.try_with_event_type(event_type.as_str()) {
            Ok(accepted) => {
                assert_eq!(expected_event_type_error(event_type), None);
                event = accepted;
            }
            Err(error) => {
                assert_eq!(Some(error), expected_event_type_error(event_type));
                return None;
            }
        }
    }
    if let Some(id) = id {
        match event.try_with_id(id.as_str()) {
            Ok(accepted) => {
                assert_eq!(expected_id_error(id), None);
                event = accepted;
            }
            Err(error) => {
                assert_eq!(Some(error), expected_id_error(id));
                return None;
            }
        }
    }
    Some(Frame::Event(event))
}

/// The lines of a text as the wire splits them: on CRLF, LF and CR.
fn wire_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\r', '\n']) {
        lines.push(&rest[..end]);
        let break_len = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + break_len..];
    }
    lines.push(rest);
    lines
}

/// What a receiver decodes from `frames`, as the documentation of [`Frame`] and [`Event::id`]
/// describe it: data line breaks become LF, a comment arrives line by line, and an event
/// without an id carries the last one sent before it.
fn expected_after_round_trip(frames: &[Frame], comments: bool) -> Vec<Frame> {
    let mut expected = Vec::new();
    let mut last_event_id: Option<String> = None;
    for frame in frames {
        match frame {
            Frame::Event(event) => {
                if let Some(id) = event.id() {
                    last_event_id = Some(id.to_owned());
                }
                let mut decoded = Event::new(wire_lines(event.data()).join("\n"));
                if let Some(event_type) = event.explicit_event_type() {
                    decoded = decoded.with_event_type(event_type);
                }
                if let Some(id) = &last_event_id {
                    decoded = decoded.with_id(id.as_str());
                }
                expected.push(Frame::Event(decoded));
            }
            Frame::Retry(millis) => expected.push(Frame::Retry(*millis)),
            Frame::Comment(text) if comments => {
                expected.extend(wire_lines(text).into_iter().map(Frame::comment));
            }
            Frame::Comment(_) => {}
        }
    }
    expected
}

fn encode_all(frames: &[Frame]) -> BytesMut {
    let mut buf = BytesMut::new();
    for frame in frames {
        frame.encode(&mut buf);
    }
    buf
}

fn decode_whole(decoder: Decoder, bytes: &[u8]) -> Vec<Frame> {
    let mut decoder = decoder;
    decode_chunks(&mut decoder, [bytes])
        .into_iter()
        .map(|frame| frame.expect("no limit is near"))
        .collect()
}

// --- Properties ----------------------------------------------------------------------------------

fn decoder_for(comments: bool, seed: Option<&str>) -> Decoder {
    let decoder = Decoder::new().with_comments(comments);
    match seed {
        Some(seed) => decoder.with_last_event_id(seed),
        None => decoder,
    }
}

/// The decoder's read block length (its `READ_BLOCK_LEN`).
const BLOCK_BOUND: usize = 8 * 1024;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn chunking_changes_nothing_and_the_reference_agrees(
        (stream, cuts) in stream_and_cuts(),
        comments in any::<bool>(),
        seed in seed(),
    ) {
        let seed = seed.as_deref();
        let mut whole_decoder = decoder_for(comments, seed);
        let whole = decode_chunks(&mut whole_decoder, [&stream[..]]);
        let mut chunked_decoder = decoder_for(comments, seed);
        let chunked = decode_chunks(&mut chunked_decoder, split_at_positions(&stream, &cuts));
        prop_assert_eq!(&chunked, &whole, "cut at {:?}", cuts);
        prop_assert_eq!(chunked_decoder.last_event_id(), whole_decoder.last_event_id());
        prop_assert_eq!(chunked_decoder.reconnection_time(), whole_decoder.reconnection_time());
        let reference: Vec<_> = sse_reference::interpret(&stream, comments, seed)
            .into_iter()
            .map(Ok)
            .collect();
        prop_assert_eq!(&whole, &reference);
    }

    #[test]
    fn borrowed_decoding_sees_the_same_frames_and_errors(
        (stream, cuts) in stream_and_cuts(),
        comments in any::<bool>(),
        seed in seed(),
        small_limits in any::<bool>(),
    ) {
        let limits = if small_limits { Limits::default().max_line_len(12).max_event_size(16) } else { Limits::default() };
        let seed = seed.as_deref();
        let chunks = split_at_positions(&stream, &cuts);
        let mut owned_decoder = decoder_for(comments, seed).with_limits(limits);
        let owned = decode_chunks(&mut owned_decoder, chunks.iter().copied());
        let mut borrowed_decoder = decoder_for(comments, seed).with_limits(limits);
        let borrowed = decode_chunks_borrowed(&mut borrowed_decoder, chunks.iter().copied());
        prop_assert_eq!(&borrowed, &owned, "cut at {:?}", cuts);
        prop_assert_eq!(borrowed_decoder.last_event_id(), owned_decoder.last_event_id());
        prop_assert_eq!(borrowed_decoder.reconnection_time(), owned_decoder.reconnection_time());
    }

    #[test]
    fn lines_across_the_decoders_block_bound_decode_as_the_reference_does(
        (stream, cuts) in stream_and_cuts(),
        lead in 0..96usize,
        crossing in any::<bool>(),
        comments in any::<bool>(),
    ) {
        // The decoder takes complete lines about 8 KiB at a time. A comment line ending `lead`
        // bytes before that bound puts the generated lines (split CRLFs, a partial last line)
        // across it; a data line `lead` bytes longer than the bound crosses it itself.
        let first_line = if crossing { BLOCK_BOUND + lead } else { BLOCK_BOUND - lead };
        let mut bytes = if crossing { b"data:".to_vec() } else { b":".to_vec() };
        bytes.resize(first_line, b'x');
        bytes.extend_from_slice(if crossing { b"\r" } else { b"\n" });
        let prefix = bytes.len();
        bytes.extend_from_slice(&stream);
        let cuts: Vec<usize> = cuts.iter().map(|cut| cut + prefix).collect();
        let whole = decode_chunks(&mut decoder_for(comments, None), [&bytes[..]]);
        let chunked = decode_chunks(&mut decoder_for(comments, None), split_at_positions(&bytes, &cuts));
        prop_assert_eq!(&chunked, &whole, "cut at {:?}", cuts);
        let reference: Vec<_> = sse_reference::interpret(&bytes, comments, None)
            .into_iter()
            .map(Ok)
            .collect();
        prop_assert_eq!(&whole, &reference);
        let borrowed = decode_chunks_borrowed(&mut decoder_for(comments, None), [&bytes[..]]);
        prop_assert_eq!(&borrowed, &whole);
    }

    #[test]
    fn one_byte_at_a_time_changes_nothing(stream in stream_bytes(), comments in any::<bool>()) {
        let whole = decode_chunks(&mut decoder_for(comments, None), [&stream[..]]);
        let trickled = decode_chunks(&mut decoder_for(comments, None), stream.chunks(1));
        prop_assert_eq!(trickled, whole);
    }

    #[test]
    fn accepted_frames_round_trip_and_refused_values_name_their_first_bad_byte(
        specs in vec(frame_spec(), 0..8),
        comments in any::<bool>(),
    ) {
        let frames: Vec<Frame> = specs.iter().filter_map(build).collect();
        let bytes = encode_all(&frames);
        let decoded = decode_whole(Decoder::new().with_comments(comments), &bytes);
        prop_assert_eq!(decoded, expected_after_round_trip(&frames, comments));
    }

    #[test]
    fn no_text_in_data_or_comments_injects_a_field(
        data in hostile_text(),
        comment in hostile_text(),
    ) {
        let frames = [Frame::comment(comment.as_str()), Frame::Event(Event::new(data.as_str()))];
        let bytes = encode_all(&frames);
        prop_assert!(!bytes.contains(&b'\r'), "every CR became a line end of its own");
        let lines: Vec<&[u8]> = bytes[..].split(|byte| *byte == b'\n').collect();
        let comment_lines = wire_lines(&comment).len();
        let data_lines = wire_lines(&data).len();
        prop_assert_eq!(lines.len(), comment_lines + data_lines + 2, "a blank line, then nothing");
        prop_assert!(lines[..comment_lines].iter().all(|line| line.starts_with(b":")));
        prop_assert!(lines[comment_lines..][..data_lines].iter().all(|line| line.starts_with(b"data: ")));
        prop_assert_eq!(&lines[lines.len() - 2..], &[&b""[..], &b""[..]]);

        let decoded = decode_whole(Decoder::new().with_comments(true), &bytes);
        let mut expected: Vec<Frame> = wire_lines(&comment).into_iter().map(Frame::comment).collect();
        expected.push(Frame::Event(Event::new(wire_lines(&data).join("\n"))));
        prop_assert_eq!(&decoded, &expected);
        for frame in &decoded {
            match frame {
                Frame::Event(event) => {
                    prop_assert_eq!(event.explicit_event_type(), None);
                    prop_assert_eq!(event.id(), None);
                }
                Frame::Retry(_) => prop_assert!(false, "a retry nobody set"),
                Frame::Comment(_) => {}
            }
        }
    }

    #[test]
    fn an_event_writes_one_line_per_field_it_has(
        data in hostile_text(),
        event_type in proptest::option::of("[a-z:é ]{0,6}"),
        id in proptest::option::of("[a-z0-9:é ]{0,6}"),
    ) {
        let mut event = Event::new(data.as_str());
        if let Some(event_type) = &event_type {
            event = event.with_event_type(event_type.as_str());
        }
        if let Some(id) = &id {
            event = event.with_id(id.as_str());
        }
        let bytes = event.to_bytes();
        let lines: Vec<&[u8]> = bytes[..].split(|byte| *byte == b'\n').collect();
        let count = |prefix: &[u8]| lines.iter().filter(|line| line.starts_with(prefix)).count();
        let has_type = event_type.as_deref().is_some_and(|t| !t.is_empty());
        prop_assert_eq!(count(b"event:"), usize::from(has_type));
        prop_assert_eq!(count(b"id:"), usize::from(id.is_some()));
        prop_assert_eq!(count(b"retry:"), 0);
        prop_assert_eq!(count(b"data:"), wire_lines(&data).len());
        prop_assert_eq!(lines.len(), usize::from(has_type) + usize::from(id.is_some()) + wire_lines(&data).len() + 2);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn encoded_len_is_the_encoded_length(specs in vec(frame_spec(), 1..4)) {
        for frame in specs.iter().filter_map(build) {
            let mut buf = BytesMut::new();
            frame.encode(&mut buf);
            prop_assert_eq!(frame.encoded_len(), buf.len(), "{:?}", frame);
            let mut written = Vec::new();
            frame.encode_to(&mut written);
            prop_assert_eq!(&written[..], &buf[..]);
            prop_assert_eq!(&frame.to_bytes()[..], &buf[..]);
            if let Frame::Event(event) = &frame {
                prop_assert_eq!(event.encoded_len(), buf.len());
                prop_assert_eq!(&event.to_bytes()[..], &buf[..]);
            }
        }
    }
}

/// The smallest input the property above found: `LineLayout` took the second of two CRs in a
/// row for the LF of a CRLF, so `encoded_len` was short.
#[test]
fn encoded_len_counts_two_crs_in_a_row_as_two_line_breaks() {
    for frame in [Frame::Event(Event::new("\r\r")), Frame::comment("a\r\rb")] {
        assert_eq!(frame.encoded_len(), frame.to_bytes().len(), "{frame:?}");
    }
}

#[test]
fn encoded_len_is_exact_for_common_line_breaks_and_retry_extremes() {
    for data in [
        "",
        "a",
        "\r",
        "\n",
        "\r\n",
        "\n\r",
        "\r\n\r\n",
        "a\r\nb\nc\rd",
        "\n\n",
    ] {
        let frame = Frame::Event(Event::new(data).with_event_type("t").with_id("1"));
        assert_eq!(frame.encoded_len(), frame.to_bytes().len(), "{data:?}");
        let comment = Frame::comment(data);
        assert_eq!(comment.encoded_len(), comment.to_bytes().len(), "{data:?}");
    }
    assert_eq!(
        Frame::Retry(u64::MAX).encoded_len(),
        "retry: 18446744073709551615\n".len()
    );
    assert_eq!(Frame::Retry(0).encoded_len(), "retry: 0\n".len());
}
