//! Starting a server and reading its events.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sse_codec::{Decoder, Event, EventStream, Frame};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How long a test waits for something that should happen at once.
pub(crate) const PATIENCE: Duration = Duration::from_secs(5);

/// A running server.
pub(crate) struct Server {
    addr: SocketAddr,
    /// Completes when `axum::serve` returns.
    pub(crate) task: JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// The full URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Serves `app` until the process ends.
pub(crate) async fn serve(app: Router) -> Server {
    serve_until(app, std::future::pending()).await
}

/// Serves `app` and shuts down gracefully when `signal` completes.
pub(crate) async fn serve_until(
    app: Router,
    signal: impl Future<Output = ()> + Send + 'static,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(signal)
            .await
    });
    Server { addr, task }
}

/// The frames of a response body, comments included.
pub(crate) fn frames(
    response: reqwest::Response,
) -> EventStream<impl Stream<Item = Result<Bytes, reqwest::Error>>> {
    EventStream::with_decoder(response.bytes_stream(), Decoder::new().with_comments(true))
}

/// The next frame, failing the test if none comes within [`PATIENCE`].
pub(crate) async fn next_frame<S>(frames: &mut EventStream<S>) -> Option<Frame>
where
    EventStream<S>: Stream<Item = Result<Frame, sse_codec::StreamError<reqwest::Error>>> + Unpin,
{
    let frame = tokio::time::timeout(PATIENCE, frames.next()).await;
    frame
        .expect("a frame or the end in time")
        .map(|frame| frame.unwrap())
}

/// The next frame, which must be an event.
pub(crate) async fn next_event<S>(frames: &mut EventStream<S>) -> Event
where
    EventStream<S>: Stream<Item = Result<Frame, sse_codec::StreamError<reqwest::Error>>> + Unpin,
{
    match next_frame(frames).await {
        Some(Frame::Event(event)) => event,
        other => panic!("expected an event, got {other:?}"),
    }
}

/// A stream that yields nothing and ends when `release` is notified.
pub(crate) fn ended_by(release: Arc<Notify>) -> impl Stream<Item = Event> + Send {
    futures_util::stream::once(async move { release.notified().await })
        .filter_map(|()| async { None })
}
