//! Every decoder under test, driven through its natural public API over the same chunks.
//!
//! Each driver returns the number of events it dispatched, so that its output can be checked
//! against [`Corpus::events`](crate::Corpus::events) before it is timed. Frames are passed through
//! [`black_box`] so that no decoder's work is optimised away.

use core::convert::Infallible;
use core::hint::black_box;
use std::io;

use bytes::{Bytes, BytesMut};
use futures_util::{StreamExt as _, TryStreamExt as _, stream};

/// A decoder under test, or a baseline that bounds what any decoder can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodePeer {
    /// This workspace's `sse_codec::Decoder`, fed through a `BytesMut`: owned frames.
    SseCodec,
    /// The same decoder's `decode_with`: borrowed frames, handed to a closure.
    SseCodecBorrowed,
    /// `eventsource_stream::EventStream` over a stream of `Bytes` chunks.
    EventsourceStream,
    /// The published `sse-codec` 0.3: its `futures_codec` decoder, fed through a `BytesMut`.
    SseCodec03,
    /// `async_sse::decode` over an `AsyncBufRead` made from the chunks.
    AsyncSse,
    /// `russe::Decoder` (the codec inside actix-web-lab), as a tokio-util decoder.
    Russe,
    /// Baseline: `memchr` visiting every `\n` in every chunk.
    MemchrNewlines,
    /// Baseline: one copy of every chunk into a reused buffer.
    MemcpyChunks,
}

impl DecodePeer {
    /// Every decoder and baseline, ours first.
    pub const ALL: [DecodePeer; 8] = [
        DecodePeer::SseCodec,
        DecodePeer::SseCodecBorrowed,
        DecodePeer::EventsourceStream,
        DecodePeer::SseCodec03,
        DecodePeer::AsyncSse,
        DecodePeer::Russe,
        DecodePeer::MemchrNewlines,
        DecodePeer::MemcpyChunks,
    ];

    /// The name used as the criterion function id.
    pub fn name(self) -> &'static str {
        match self {
            DecodePeer::SseCodec => "sse-codec",
            DecodePeer::SseCodecBorrowed => "sse-codec.decode_with",
            DecodePeer::EventsourceStream => "eventsource-stream",
            DecodePeer::SseCodec03 => "sse-codec-0.3",
            DecodePeer::AsyncSse => "async-sse",
            DecodePeer::Russe => "russe",
            DecodePeer::MemchrNewlines => "baseline-memchr",
            DecodePeer::MemcpyChunks => "baseline-memcpy",
        }
    }

    /// Whether [`run`](Self::run) counts dispatched events (a baseline counts something else).
    pub fn is_decoder(self) -> bool {
        !matches!(self, DecodePeer::MemchrNewlines | DecodePeer::MemcpyChunks)
    }

    /// Decodes the stream delivered as `chunks`; returns the number of events dispatched.
    ///
    /// # Errors
    ///
    /// The decoder's error, as text: no decoder should report one on these inputs.
    pub fn run(self, chunks: &[Bytes]) -> Result<usize, String> {
        match self {
            DecodePeer::SseCodec => sse_codec(chunks),
            DecodePeer::SseCodecBorrowed => sse_codec_borrowed(chunks),
            DecodePeer::EventsourceStream => eventsource_stream(chunks),
            DecodePeer::SseCodec03 => sse_codec_03(chunks),
            DecodePeer::AsyncSse => async_sse(chunks),
            DecodePeer::Russe => russe(chunks),
            DecodePeer::MemchrNewlines => Ok(memchr_newlines(chunks)),
            DecodePeer::MemcpyChunks => Ok(memcpy_chunks(chunks)),
        }
    }
}

fn sse_codec(chunks: &[Bytes]) -> Result<usize, String> {
    use sse_codec::Frame;

    let mut decoder = sse_codec::Decoder::new();
    let mut buf = BytesMut::new();
    let mut events = 0;
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        while let Some(frame) = decoder.decode(&mut buf).map_err(|e| e.to_string())? {
            events += usize::from(matches!(black_box(frame), Frame::Event(_)));
        }
    }
    while let Some(frame) = decoder.decode_eof(&mut buf).map_err(|e| e.to_string())? {
        events += usize::from(matches!(black_box(frame), Frame::Event(_)));
    }
    Ok(events)
}

fn sse_codec_borrowed(chunks: &[Bytes]) -> Result<usize, String> {
    use sse_codec::FrameRef;

    let mut decoder = sse_codec::Decoder::new();
    let mut buf = BytesMut::new();
    let mut events = 0;
    let mut count = |frame: FrameRef<'_>| {
        events += usize::from(matches!(black_box(frame), FrameRef::Event(_)));
    };
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        decoder
            .decode_with(&mut buf, &mut count)
            .map_err(|e| e.to_string())?;
    }
    // Every complete frame was visited above: the end of the stream only discards the rest.
    decoder.decode_eof(&mut buf).map_err(|e| e.to_string())?;
    Ok(events)
}

fn eventsource_stream(chunks: &[Bytes]) -> Result<usize, String> {
    let body = stream::iter(chunks.iter().cloned().map(Ok::<_, Infallible>));
    let events = eventsource_stream::EventStream::new(body).map(|event| {
        black_box(event.map_err(|e| e.to_string())?);
        Ok(1)
    });
    futures_executor::block_on(events.try_fold(0, |sum, n| async move { Ok(sum + n) }))
}

fn sse_codec_03(chunks: &[Bytes]) -> Result<usize, String> {
    // The 0.3 codec is built on `futures_codec` 0.5, whose buffer type comes from bytes 0.5.
    use futures_codec::{BytesMut, Decoder as _};
    use sse_codec_03::{Event, SSECodec};

    let mut decoder = SSECodec::default();
    let mut buf = BytesMut::new();
    let mut events = 0;
    let count = |event: Event| usize::from(matches!(black_box(event), Event::Message { .. }));
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        while let Some(event) = decoder.decode(&mut buf).map_err(|e| e.to_string())? {
            events += count(event);
        }
    }
    while let Some(event) = decoder.decode_eof(&mut buf).map_err(|e| e.to_string())? {
        events += count(event);
    }
    Ok(events)
}

fn async_sse(chunks: &[Bytes]) -> Result<usize, String> {
    let reader = stream::iter(chunks.iter().cloned().map(Ok::<_, io::Error>)).into_async_read();
    let events = async_sse::decode(reader).map(|event| {
        let event = black_box(event.map_err(|e| e.to_string())?);
        Ok(usize::from(matches!(event, async_sse::Event::Message(_))))
    });
    futures_executor::block_on(events.try_fold(0, |sum, n| async move { Ok(sum + n) }))
}

fn russe(chunks: &[Bytes]) -> Result<usize, String> {
    use tokio_util::codec::Decoder as _;

    let mut decoder = russe::Decoder::default();
    let mut buf = BytesMut::new();
    let mut events = 0;
    let count =
        |event: russe::Event| usize::from(matches!(black_box(event), russe::Event::Message(_)));
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        while let Some(event) = decoder.decode(&mut buf).map_err(|e| e.to_string())? {
            events += count(event);
        }
    }
    while let Some(event) = decoder.decode_eof(&mut buf).map_err(|e| e.to_string())? {
        events += count(event);
    }
    Ok(events)
}

fn memchr_newlines(chunks: &[Bytes]) -> usize {
    chunks
        .iter()
        .map(|chunk| memchr::memchr_iter(b'\n', chunk).map(black_box).count())
        .sum()
}

fn memcpy_chunks(chunks: &[Bytes]) -> usize {
    let mut buf = BytesMut::new();
    for chunk in chunks {
        buf.clear();
        buf.extend_from_slice(chunk);
        black_box(&buf);
    }
    chunks.len()
}
