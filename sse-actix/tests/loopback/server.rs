//! Starting a server and reading its events.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::middleware::{Compress, Condition};
use actix_web::rt::task::JoinHandle;
use actix_web::web::ServiceConfig;
use actix_web::{App, HttpServer};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use sse_codec::{Decoder, Event, EventStream, Frame};
use tokio::sync::Notify;

/// How long a test waits for something that should happen at once.
pub(crate) const PATIENCE: Duration = Duration::from_secs(5);

/// A running server, stopped (without waiting for its connections) when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    pub(crate) handle: ServerHandle,
    /// Completes when the server has stopped.
    pub(crate) task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// The full URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The stop command is sent at once; its future only reports completion.
        drop(self.handle.stop(false));
    }
}

/// Serves the routes `configure` adds, on two workers, with the server setting the crate
/// recommends for event streams: a client's half-close ends its connection.
pub(crate) fn serve<F>(configure: F) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    start(configure, Options::default())
}

/// Serves the routes `configure` adds behind actix-web's `Compress` middleware.
pub(crate) fn serve_compressed<F>(configure: F) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    let options = Options {
        compress: true,
        ..Options::default()
    };
    start(configure, options)
}

/// Serves the routes `configure` adds with actix-web's default settings, in which a connection
/// whose client has closed its side stays open until the server next writes to it.
pub(crate) fn serve_with_actix_defaults<F>(configure: F) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    let options = Options {
        allow_half_closed: true,
        ..Options::default()
    };
    start(configure, options)
}

#[derive(Default)]
struct Options {
    compress: bool,
    allow_half_closed: bool,
}

fn start<F>(configure: F, options: Options) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    let compress = options.compress;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(Condition::new(compress, Compress::default()))
            .configure(configure.clone())
    })
    .workers(2)
    .h1_allow_half_closed(options.allow_half_closed)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    let task = Some(actix_web::rt::spawn(server));
    Server { addr, handle, task }
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
pub(crate) fn ended_by(release: Arc<Notify>) -> impl Stream<Item = Event> {
    futures_util::stream::once(async move { release.notified().await })
        .filter_map(|()| async { None })
}
