//! The SSE reply: a stream of events as a `text/event-stream` response.

use std::fmt;
use std::time::Duration;

use futures_core::Stream;
use http::HeaderValue;
use http::header::HeaderName;
use sse_server::{FrameStream, KeepAlive, RESPONSE_HEADERS, Shutdown, TryIntoFrame};
use sync_wrapper::SyncStream;
use warp::reply::{Reply, Response};

/// Replies with every item of `stream` as a Server-Sent Events response.
///
/// The stream may yield [`Event`](crate::Event)s, [`Frame`](crate::Frame)s, pre-encoded frames
/// as `Bytes`, or `Result`s of these (an `Err` ends the response cleanly after the last complete
/// frame and is logged with `tracing`). Every value is encoded by `sse-codec`, so no `event`, `id`
/// or data value can add a field the caller did not set. Each frame is sent as soon as the
/// stream yields it.
///
/// The response has `Content-Type: text/event-stream`, `Cache-Control: no-cache, no-transform` and
/// `X-Accel-Buffering: no`. By default it sends a keep-alive comment after 15 idle seconds
/// ([`Sse::keep_alive`]). When the client disconnects, the server drops the body and with it
/// your stream. The stream needs to be `Send`, not `Sync`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use futures_util::{StreamExt, stream};
/// use sse_warp::Event;
/// use warp::Filter;
///
/// let countdown = warp::path("countdown")
///     .and(sse_warp::last_event_id())
///     .map(|last: sse_warp::ResumeFrom| {
///         // Ids are the numbers left; a client's value above the start is not one of ours.
///         let from: u32 = last.id().and_then(|id| id.parse().ok()).filter(|&n| n <= 10).unwrap_or(10);
///         let events = stream::iter((0..from).rev())
///             .map(|n| Event::new(n.to_string()).with_id(n.to_string()));
///         sse_warp::reply(events).retry(Duration::from_secs(2))
///     });
/// ```
pub fn reply<S>(stream: S) -> Sse<S>
where
    S: Stream + Send + 'static,
    S::Item: TryIntoFrame,
{
    Sse {
        frames: FrameStream::new(stream),
    }
}

/// A Server-Sent Events [`Reply`], made by [`reply`]; its methods configure the response.
#[must_use = "a reply does nothing unless returned from a filter"]
pub struct Sse<S> {
    frames: FrameStream<S>,
}

impl<S> Sse<S> {
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

    /// Ends the response when `shutdown` is triggered, so that a server run with
    /// `.graceful(shutdown.triggered())` can stop while clients are connected.
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

impl<S> Reply for Sse<S>
where
    S: Stream + Send + 'static,
    S::Item: TryIntoFrame,
{
    fn into_response(self) -> Response {
        // warp's streaming body must be `Sync`, though it is only ever polled through `&mut`;
        // `SyncStream` says exactly that, so the user's stream need only be `Send`.
        let mut response = warp::reply::stream(SyncStream::new(self.frames)).into_response();
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
    use std::cell::Cell;

    use futures_util::{StreamExt, stream};
    use warp::Filter;

    use super::*;
    use crate::Event;

    #[test]
    fn response_has_the_event_stream_headers() {
        let response = reply(stream::empty::<Event>()).into_response();
        let headers = response.headers();
        assert_eq!(headers["content-type"], "text/event-stream");
        assert_eq!(headers["cache-control"], "no-cache, no-transform");
        assert_eq!(headers["x-accel-buffering"], "no");
        assert_eq!(headers.len(), 3);
    }

    #[tokio::test]
    async fn body_is_the_encoded_frames_in_order() {
        let route = warp::any().map(|| {
            let events = stream::iter([Event::new("a").with_id("1"), Event::new("b\nc")]);
            reply(events).retry(Duration::from_millis(1500))
        });
        let response = warp::test::request().reply(&route).await;
        assert_eq!(
            response.body(),
            "retry: 1500\nid: 1\ndata: a\n\ndata: b\ndata: c\n\n"
        );
    }

    #[tokio::test]
    async fn a_stream_that_is_send_but_not_sync_is_accepted() {
        // `Cell` is `Send` and not `Sync`: the stream holding it is too.
        let route = warp::any().map(|| {
            let counter = Cell::new(0);
            let events = stream::iter(0..2).map(move |_| {
                counter.set(counter.get() + 1);
                Event::new(counter.get().to_string())
            });
            reply(events)
        });
        let response = warp::test::request().reply(&route).await;
        assert_eq!(response.body(), "data: 1\n\ndata: 2\n\n");
    }
}
