//! The `Sse` response: a stream of events as a `text/event-stream` body.

use std::fmt;
use std::time::Duration;

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};
use futures_core::Stream;
use http::HeaderValue;
use http::header::HeaderName;
use sse_server::{FrameStream, KeepAlive, RESPONSE_HEADERS, Shutdown, TryIntoFrame};

/// How many bytes of ready frames one body chunk gathers: a burst of small events costs one
/// write and one allocation per chunk rather than per event.
const CHUNK_LEN: usize = 16 << 10;

/// A Server-Sent Events response: return it from a handler.
///
/// The stream may yield [`Event`](crate::Event)s, [`Frame`](crate::Frame)s, pre-encoded frames
/// as `Bytes`, or `Result`s of these (an `Err` ends the response cleanly after the last complete
/// frame and is logged with `tracing`). Each frame is sent as soon as the stream yields it;
/// frames the stream has ready at once go out together, in one body chunk of up to 16 KiB.
///
/// The response has `Content-Type: text/event-stream`, `Cache-Control: no-cache, no-transform` and
/// `X-Accel-Buffering: no`. By default it sends a keep-alive comment after 15 idle seconds
/// ([`keep_alive`](Self::keep_alive)). When the client disconnects, the server drops the body
/// and with it your stream.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use axum::{Router, routing::get};
/// use futures_util::{Stream, StreamExt, stream};
/// use sse_axum::{Event, LastEventId, Sse};
///
/// async fn countdown(LastEventId(last): LastEventId) -> Sse<impl Stream<Item = Event>> {
///     // Ids are the numbers left; a client's value above the start is not one of ours.
///     let from: u32 = last.id().and_then(|id| id.parse().ok()).filter(|&n| n <= 10).unwrap_or(10);
///     let events = stream::iter((0..from).rev()).map(|n| Event::new(n.to_string()).with_id(n.to_string()));
///     Sse::new(events).retry(Duration::from_secs(2))
/// }
///
/// let app: Router = Router::new().route("/countdown", get(countdown));
/// ```
#[must_use]
pub struct Sse<S> {
    frames: FrameStream<S>,
}

impl<S> Sse<S> {
    /// A response that sends every item of `stream`.
    pub fn new(stream: S) -> Self {
        Sse {
            frames: FrameStream::new(stream).coalesce(CHUNK_LEN),
        }
    }

    /// Sets the keep-alive comment and interval, or turns it off with [`KeepAlive::disabled`].
    pub fn keep_alive(self, keep_alive: KeepAlive) -> Self {
        Sse {
            frames: self.frames.keep_alive(keep_alive),
        }
    }

    /// Starts the response with a `retry` frame: how long the client waits before reconnecting.
    pub fn retry(self, reconnection_time: Duration) -> Self {
        Sse {
            frames: self.frames.retry(reconnection_time),
        }
    }

    /// Ends the response when `shutdown` is triggered, so that `axum::serve(...)
    /// .with_graceful_shutdown(...)` can complete while clients are connected.
    pub fn shutdown(self, shutdown: &Shutdown) -> Self {
        Sse {
            frames: self.frames.shutdown(shutdown),
        }
    }
}

impl<S> fmt::Debug for Sse<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sse").field("frames", &self.frames).finish()
    }
}

impl<S> IntoResponse for Sse<S>
where
    S: Stream + Send + 'static,
    S::Item: TryIntoFrame,
{
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::from_stream(self.frames));
        let headers = response.headers_mut();
        for (name, value) in RESPONSE_HEADERS {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;
    use futures_util::stream;

    #[test]
    fn response_has_the_event_stream_headers() {
        let response = Sse::new(stream::empty::<Event>()).into_response();
        let headers = response.headers();
        assert_eq!(headers["content-type"], "text/event-stream");
        assert_eq!(headers["cache-control"], "no-cache, no-transform");
        assert_eq!(headers["x-accel-buffering"], "no");
        assert_eq!(headers.len(), 3);
    }
}
