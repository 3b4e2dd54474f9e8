//! Reading a response body as frames, with patience bounded.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sse_codec::{Decoder, Event, EventStream, Frame, StreamError};
use tokio::sync::Notify;

/// How long a test waits for something that should happen at once.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// The frames of a response body, comments included.
pub fn frames(
    response: reqwest::Response,
) -> EventStream<impl Stream<Item = Result<Bytes, reqwest::Error>>> {
    EventStream::with_decoder(response.bytes_stream(), Decoder::new().with_comments(true))
}

/// The next frame, or `None` at the end of the body; fails the test if neither comes within
/// [`PATIENCE`].
pub async fn next_frame<S>(frames: &mut EventStream<S>) -> Option<Frame>
where
    EventStream<S>: Stream<Item = Result<Frame, StreamError<reqwest::Error>>> + Unpin,
{
    let frame = tokio::time::timeout(PATIENCE, frames.next()).await;
    frame
        .expect("a frame or the end in time")
        .map(|frame| frame.expect("a well-formed body"))
}

/// The next frame, which must be an event.
pub async fn next_event<S>(frames: &mut EventStream<S>) -> Event
where
    EventStream<S>: Stream<Item = Result<Frame, StreamError<reqwest::Error>>> + Unpin,
{
    match next_frame(frames).await {
        Some(Frame::Event(event)) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

/// A stream that yields nothing and ends when `release` is notified: it holds a response open.
pub fn ended_by(release: Arc<Notify>) -> impl Stream<Item = Event> + Send {
    futures_util::stream::once(async move { release.notified().await })
        .filter_map(|()| async { None })
}
