//! The tokio-util codec impls: `FramedRead` over in-memory readers, and the `Encoder`.
#![cfg(feature = "tokio-util")]

use std::io;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use futures_util::stream;
use sse_codec::{CodecError, DecodeError, Decoder, Encoder, Event, Frame, Limits};
use tokio_util::codec::{Encoder as _, FramedRead};
use tokio_util::io::StreamReader;

const STREAM: &[u8] =
    b"\xEF\xBB\xBFretry: 10\r\nid: 1\nevent: t\ndata: a\r\rdata: b\ndata: c\r\n\r\n:c\ndata: lost";

fn expected() -> Vec<Frame> {
    vec![
        Frame::Retry(10),
        Frame::Event(Event::new("a").with_event_type("t").with_id("1")),
        Frame::Event(Event::new("b\nc").with_id("1")),
    ]
}

async fn read_all<R: tokio::io::AsyncRead + Unpin>(
    reader: R,
    decoder: Decoder,
) -> Vec<Result<Frame, CodecError>> {
    FramedRead::new(reader, decoder).collect().await
}

fn unwrap_all(frames: Vec<Result<Frame, CodecError>>) -> Vec<Frame> {
    frames
        .into_iter()
        .map(|frame| frame.expect("no error"))
        .collect()
}

/// A reader that hands out `chunk_size` bytes per read.
fn trickling_reader(bytes: &'static [u8], chunk_size: usize) -> impl tokio::io::AsyncRead + Unpin {
    let chunks: Vec<io::Result<Bytes>> = bytes
        .chunks(chunk_size)
        .map(|chunk| Ok(Bytes::from_static(chunk)))
        .collect();
    StreamReader::new(stream::iter(chunks))
}

#[tokio::test]
async fn framed_read_over_a_slice() {
    assert_eq!(
        unwrap_all(read_all(STREAM, Decoder::new()).await),
        expected()
    );
}

#[tokio::test]
async fn framed_read_over_reads_of_every_small_size() {
    for chunk_size in 1..=8 {
        let frames = read_all(trickling_reader(STREAM, chunk_size), Decoder::new()).await;
        assert_eq!(
            unwrap_all(frames),
            expected(),
            "reads of {chunk_size} bytes"
        );
    }
}

#[tokio::test]
async fn framed_read_reports_comments_when_asked() {
    let frames = unwrap_all(read_all(STREAM, Decoder::new().with_comments(true)).await);
    assert_eq!(frames.last(), Some(&Frame::comment("c")));
    assert_eq!(frames.len(), 4);
}

#[tokio::test]
async fn a_limit_error_comes_through_framed_read_which_then_ends() {
    let decoder = Decoder::new().with_limits(Limits::default().max_line_len(4));
    let frames = read_all(&b"data\n\ndata: toolong\n\ndata\n\n"[..], decoder).await;
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert!(matches!(frames[0], Ok(Frame::Event(ref event)) if event.data().is_empty()));
    assert!(matches!(
        frames[1],
        Err(CodecError::Decode(DecodeError::LineTooLong { limit: 4 }))
    ));
}

#[tokio::test]
async fn an_io_error_of_the_reader_comes_through() {
    let chunks = vec![
        Ok(Bytes::from_static(b"data: a\n\n")),
        Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset")),
    ];
    let frames = read_all(StreamReader::new(stream::iter(chunks)), Decoder::new()).await;
    assert!(matches!(frames[0], Ok(Frame::Event(ref event)) if event.data() == "a"));
    assert!(
        matches!(&frames[1], Err(CodecError::Io(error)) if error.kind() == io::ErrorKind::ConnectionReset)
    );
    assert_eq!(frames.len(), 2);
}

#[tokio::test]
async fn what_the_encoder_writes_framed_read_reads_back() {
    let event = Event::new("x\r\ny").with_event_type("t").with_id("9");
    let mut buf = BytesMut::new();
    Encoder.encode(Frame::Retry(3), &mut buf).unwrap();
    Encoder.encode(&Frame::comment("hi"), &mut buf).unwrap();
    Encoder.encode(event.clone(), &mut buf).unwrap();
    Encoder.encode(&Event::new(""), &mut buf).unwrap();

    let mut expected_bytes = Frame::Retry(3).to_bytes().to_vec();
    expected_bytes.extend_from_slice(&Frame::comment("hi").to_bytes());
    expected_bytes.extend_from_slice(&event.to_bytes());
    expected_bytes.extend_from_slice(&Event::new("").to_bytes());
    assert_eq!(
        &buf[..],
        &expected_bytes[..],
        "the four impls write what to_bytes does"
    );

    let frames = unwrap_all(read_all(&buf[..], Decoder::new().with_comments(true)).await);
    assert_eq!(
        frames,
        [
            Frame::Retry(3),
            Frame::comment("hi"),
            Frame::Event(Event::new("x\ny").with_event_type("t").with_id("9")),
            Frame::Event(Event::new("").with_id("9")),
        ]
    );
}
