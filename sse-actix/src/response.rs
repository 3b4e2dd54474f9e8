//! The `Sse` response: a stream of events as a `text/event-stream` body.

use std::convert::Infallible;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, Responder};
use futures_core::Stream;
use sse_server::{FrameStream, KeepAlive, RESPONSE_HEADERS, Shutdown, TryIntoFrame};

/// A Server-Sent Events response: return it from a handler.
///
/// The stream may yield [`Event`](crate::Event)s, [`Frame`](crate::Frame)s, pre-encoded frames
/// as `Bytes`, or `Result`s of these (an `Err` ends the response cleanly after the last complete
/// frame and is logged with `tracing`). Each frame is sent as soon as the stream yields it. The
/// stream need not be `Send`: actix-web runs a response on the worker thread that created it.
///
/// As a [`Responder`], it answers `200 OK` with `Content-Type: text/event-stream`,
/// `Cache-Control: no-cache, no-transform` and `X-Accel-Buffering: no`. Add headers or change
/// the status with [`Responder::customize`].
///
/// Behind actix-web's `Compress` middleware the stream is compressed for a client that accepts
/// it (with a real `Content-Encoding`: `br`, `zstd` or `gzip`), and each event still arrives as it is
/// produced: the compressor is flushed whenever the stream has nothing more for the moment
/// (actix-http 3.18.12 and later, which this crate requires). `Compress` skips a response only
/// when it already has a `Content-Encoding`, and `identity` is not one a response may carry
/// (RFC 9110 8.4.1), so to serve events uncompressed, wrap `Compress` around the other routes
/// only (a `web::scope` or resource of its own) rather than the whole `App`. `Sse` is itself the response's [`MessageBody`], so the response
/// type is `HttpResponse<Sse<S>>`, without boxing.
///
/// By default it sends a keep-alive comment after 15 idle seconds
/// ([`keep_alive`](Self::keep_alive)). When the client disconnects, actix-web drops the body and
/// with it your stream: at once with `HttpServer::h1_allow_half_closed(false)`, otherwise when
/// a keep-alive write fails (see the [crate docs](crate#disconnected-clients)).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actix_web::{App, get};
/// use futures_util::{Stream, StreamExt, stream};
/// use sse_actix::{Event, LastEventId, Sse};
///
/// #[get("/countdown")]
/// async fn countdown(LastEventId(last): LastEventId) -> Sse<impl Stream<Item = Event>> {
///     // Ids are the numbers left; a client's value above the start is not one of ours.
///     let from: u32 = last.id().and_then(|id| id.parse().ok()).filter(|&n| n <= 10).unwrap_or(10);
///     let events = stream::iter((0..from).rev())
///         .map(|n| Event::new(n.to_string()).with_id(n.to_string()));
///     Sse::new(events).retry(Duration::from_secs(2))
/// }
///
/// let app = App::new().service(countdown);
/// # drop(app);
/// ```
#[must_use]
pub struct Sse<S> {
    frames: FrameStream<S>,
}

impl<S> Sse<S> {
    /// A response that sends every item of `stream`.
    pub fn new(stream: S) -> Self {
        Sse {
            frames: FrameStream::new(stream),
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

    /// Ends the response when `shutdown` is triggered, so that a graceful
    /// `ServerHandle::stop(true)` can complete while clients are connected.
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

impl<S> Responder for Sse<S>
where
    S: Stream + 'static,
    S::Item: TryIntoFrame,
{
    type Body = Self;

    fn respond_to(self, _request: &HttpRequest) -> HttpResponse<Self> {
        let mut response = HttpResponse::with_body(StatusCode::OK, self);
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

/// The body streams the frames; its size is unknown, so HTTP/1.1 sends it chunked.
impl<S> MessageBody for Sse<S>
where
    S: Stream,
    S::Item: TryIntoFrame,
{
    type Error = Infallible;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Infallible>>> {
        Pin::new(&mut self.get_mut().frames).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use actix_web::body;
    use actix_web::test::TestRequest;
    use futures_util::{StreamExt, stream};

    use super::*;
    use crate::Event;

    #[test]
    fn response_has_the_event_stream_headers() {
        let request = TestRequest::default().to_http_request();
        let response = Sse::new(stream::empty::<Event>()).respond_to(&request);
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(headers.get("content-type").unwrap(), "text/event-stream");
        assert_eq!(
            headers.get("cache-control").unwrap(),
            "no-cache, no-transform"
        );
        assert_eq!(headers.get("x-accel-buffering").unwrap(), "no");
        assert_eq!(headers.len(), 3);
        assert_eq!(response.body().size(), BodySize::Stream);
    }

    #[actix_web::test]
    async fn body_is_the_encoded_frames() {
        let events = stream::iter([Event::new("a").with_id("1"), Event::new("b")]);
        let sse = Sse::new(events).retry(Duration::from_millis(1500));
        let bytes = body::to_bytes(sse).await.unwrap();
        assert_eq!(&bytes[..], b"retry: 1500\nid: 1\ndata: a\n\ndata: b\n\n");
    }

    #[actix_web::test]
    async fn a_stream_that_is_not_send_is_served() {
        // actix-web keeps a response on the worker that created it, so `Rc` state is fine.
        let local = Rc::new(Event::new("local"));
        let events = stream::iter([local]).map(|event| Event::clone(&event));
        let request = TestRequest::default().to_http_request();
        let response = Sse::new(events).respond_to(&request);
        let bytes = body::to_bytes(response.into_body()).await.unwrap();
        assert_eq!(&bytes[..], b"data: local\n\n");
    }

    #[actix_web::test]
    async fn customize_adds_headers_and_keeps_the_event_stream_ones() {
        let request = TestRequest::default().to_http_request();
        let response = Sse::new(stream::empty::<Event>())
            .customize()
            .insert_header(("access-control-allow-origin", "*"))
            .respond_to(&request);
        let headers = response.headers();
        assert_eq!(headers.get("content-type").unwrap(), "text/event-stream");
        assert_eq!(headers.get("access-control-allow-origin").unwrap(), "*");
    }
}
