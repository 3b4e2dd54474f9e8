//! A `futures` stream of frames over a stream of byte chunks.

use alloc::boxed::Box;
use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::{FusedStream, Stream};

use crate::decoder::Decoder;
use crate::error::DecodeError;
use crate::event::Frame;

/// Decodes a stream of byte chunks, such as a `reqwest` or `hyper` response body, into a stream
/// of [`Frame`]s.
///
/// Chunks may split the input anywhere. At the end of the source, complete frames still buffered
/// come out and an unfinished event is discarded, as the specification says. A limit error
/// ([`StreamError::Decode`]) is reported and the stream goes on with the next event; an error of
/// the source is passed on as [`StreamError::Source`], and polling again asks the source again.
///
/// When the source fails for good (the connection died), take the decoder back with
/// [`into_decoder`](Self::into_decoder) and hand it to the next connection's stream with
/// [`with_decoder`](Self::with_decoder): that starts a new stream which keeps the last event ID
/// and reconnection time, and nothing else of the old one.
///
/// # Examples
///
/// ```
/// use futures_util::{StreamExt, stream};
/// use sse_codec::EventStream;
///
/// # futures_executor::block_on(async {
/// let chunks = ["data: hel", "lo\n\nevent: bye\ndata:\n", "\n"];
/// let body = stream::iter(chunks.map(Ok::<_, std::io::Error>));
/// let mut frames = EventStream::new(body);
/// let mut seen = Vec::new();
/// while let Some(frame) = frames.next().await {
///     let event = frame?.into_event().unwrap();
///     seen.push((event.event_type().to_owned(), event.data().to_owned()));
/// }
/// assert_eq!(seen, [("message".into(), "hello".into()), ("bye".into(), String::new())]);
/// # Ok::<(), sse_codec::StreamError<std::io::Error>>(())
/// # }).unwrap();
/// ```
pub struct EventStream<S> {
    /// Boxed so that `EventStream` is `Unpin` whatever the source, without unsafe pin projection.
    source: Pin<Box<S>>,
    decoder: Decoder,
    buf: BytesMut,
    state: State,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Reading,
    SourceEnded,
    Done,
}

impl<S> EventStream<S> {
    /// Decodes `source` with a default [`Decoder`].
    pub fn new(source: S) -> Self {
        Self::with_decoder(source, Decoder::new())
    }

    /// Decodes `source` with a configured decoder (limits, comments, a seeded last event ID), or
    /// with the decoder of an earlier connection's stream ([`into_decoder`](Self::into_decoder)).
    ///
    /// `source` is a new stream: the decoder [starts a new stream](Decoder::start_new_stream),
    /// so nothing the old connection left unfinished (a partial line or event, a skip after a
    /// limit) leaks into it, while the last event ID and reconnection time carry over.
    ///
    /// # Examples
    ///
    /// A connection cut in the middle of an event, then the next one:
    ///
    /// ```
    /// use futures_util::{StreamExt, stream};
    /// use sse_codec::{EventStream, StreamError};
    ///
    /// # futures_executor::block_on(async {
    /// let cut = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
    /// let first = stream::iter([Ok("id: 1\ndata: a\n\ndata: half"), Err(cut)]);
    /// let mut frames = EventStream::new(first);
    /// assert_eq!(frames.next().await.unwrap()?.into_event().unwrap().data(), "a");
    /// assert!(matches!(frames.next().await, Some(Err(StreamError::Source(_)))));
    ///
    /// // Reconnect, sending `Last-Event-ID: 1`.
    /// let decoder = frames.into_decoder();
    /// assert_eq!(decoder.last_event_id_header(), Some("1"));
    /// let second = stream::iter([Ok::<_, std::io::Error>("data: b\n\n")]);
    /// let mut frames = EventStream::with_decoder(second, decoder);
    /// let event = frames.next().await.unwrap()?.into_event().unwrap();
    /// assert_eq!((event.data(), event.id()), ("b", Some("1")));
    /// # Ok::<(), StreamError<std::io::Error>>(())
    /// # }).unwrap();
    /// ```
    pub fn with_decoder(source: S, mut decoder: Decoder) -> Self {
        decoder.start_new_stream();
        EventStream {
            source: Box::pin(source),
            decoder,
            buf: BytesMut::new(),
            state: State::Reading,
        }
    }

    /// The decoder, for its [`last_event_id`](Decoder::last_event_id) and
    /// [`reconnection_time`](Decoder::reconnection_time) when reconnecting.
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// Gives the decoder back, for the stream of the next connection: pass it to
    /// [`with_decoder`](Self::with_decoder).
    pub fn into_decoder(self) -> Decoder {
        self.decoder
    }
}

impl<S: fmt::Debug> fmt::Debug for EventStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("source", &self.source)
            .field("decoder", &self.decoder)
            .field("buffered", &self.buf.len())
            .finish()
    }
}

impl<S, B, E> Stream for EventStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
{
    type Item = Result<Frame, StreamError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            let decoded = match this.state {
                State::Reading => this.decoder.decode(&mut this.buf),
                State::SourceEnded => this.decoder.decode_eof(&mut this.buf),
                State::Done => return Poll::Ready(None),
            };
            match decoded {
                Ok(Some(frame)) => return Poll::Ready(Some(Ok(frame))),
                Err(error) => return Poll::Ready(Some(Err(StreamError::Decode(error)))),
                Ok(None) if this.state == State::SourceEnded => {
                    this.state = State::Done;
                    return Poll::Ready(None);
                }
                Ok(None) => {}
            }
            match this.source.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.state = State::SourceEnded,
                Poll::Ready(Some(Err(error))) => {
                    return Poll::Ready(Some(Err(StreamError::Source(error))));
                }
                Poll::Ready(Some(Ok(chunk))) => append(&mut this.buf, chunk.into()),
            }
        }
    }
}

impl<S, B, E> FusedStream for EventStream<S>
where
    S: Stream<Item = Result<B, E>>,
    B: Into<Bytes>,
{
    fn is_terminated(&self) -> bool {
        self.state == State::Done
    }
}

/// Appends a chunk, taking it over without a copy when nothing is buffered and no one else holds
/// the chunk's memory.
fn append(buf: &mut BytesMut, chunk: Bytes) {
    if buf.is_empty() {
        *buf = BytesMut::from(chunk);
    } else {
        buf.extend_from_slice(&chunk);
    }
}

/// An error of an [`EventStream`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamError<E> {
    /// A decoder limit was exceeded; the stream skipped that event and goes on.
    Decode(DecodeError),
    /// The source of the bytes failed.
    Source(E),
}

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Decode(error) => error.fmt(f),
            StreamError::Source(error) => write!(f, "reading the event stream failed: {error}"),
        }
    }
}

#[cfg(feature = "std")]
impl<E: std::error::Error + 'static> std::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Decode(error) => Some(error),
            StreamError::Source(error) => Some(error),
        }
    }
}
