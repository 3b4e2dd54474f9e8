//! Starting a server and reading its events.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sse_codec::{Decoder, Event, EventStream, Frame};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use warp::Reply;
use warp::filters::BoxedFilter;

/// How long a test waits for something that should happen at once.
pub(crate) const PATIENCE: Duration = Duration::from_secs(5);

/// A running server.
pub(crate) struct Server {
    addr: SocketAddr,
    /// Completes when the server has stopped.
    pub(crate) task: JoinHandle<()>,
}

impl Server {
    /// The full URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Serves `routes` until the process ends.
pub(crate) async fn serve<R: Reply + 'static>(routes: BoxedFilter<(R,)>) -> Server {
    serve_until(routes, std::future::pending()).await
}

/// Serves `routes` and shuts down gracefully when `signal` completes.
pub(crate) async fn serve_until<R: Reply + 'static>(
    routes: BoxedFilter<(R,)>,
    signal: impl Future<Output = ()> + Send + 'static,
) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = warp::serve(routes).incoming(listener).graceful(signal);
    let task = tokio::spawn(server.run());
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

/// Holds streams open until released: every stream made by [`Release::ended_by`], before or
/// after the release, ends once it is released.
#[derive(Clone)]
pub(crate) struct Release(Arc<watch::Sender<bool>>);

impl Release {
    pub(crate) fn new() -> Self {
        Release(Arc::new(watch::Sender::new(false)))
    }

    /// Ends every stream made by [`ended_by`](Self::ended_by).
    pub(crate) fn release(&self) {
        self.0.send_replace(true);
    }

    /// A stream that yields nothing and ends when released.
    pub(crate) fn ended_by(&self) -> impl Stream<Item = Event> + Send + use<> {
        let mut released = self.0.subscribe();
        futures_util::stream::once(async move {
            let _ = released.wait_for(|released| *released).await;
        })
        .filter_map(|()| async { None })
    }
}
