//! Serving a warp app so that a client that stops reading cannot hold a connection or the
//! shutdown.
//!
//! warp 0.4's own server takes a `TcpListener` (or a Unix one) and nothing else, and offers no
//! timeout on writes: a client that stops reading holds its connection, and `graceful` waits
//! for it, forever (tested). So this serves the app's [`warp::service`] with hyper itself,
//! each connection wrapped in a [`WriteTimeout`].

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use http::{Request, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use sse_server::{Shutdown, WriteTimeout};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};

/// Serves `service` (a warp app: `warp::service(routes)`) on `listener` over HTTP/1.1 and
/// HTTP/2 (prior knowledge), dropping every connection whose writes have been blocked for
/// longer than `write_timeout`, until `signal` completes; then stops accepting, lets every
/// response finish for up to `write_timeout`, drops the connections still open then, and
/// returns once every connection has ended.
///
/// Trigger a [`Shutdown`](crate::Shutdown) or [`Hub::close_with`](crate::Hub::close_with) in
/// `signal`: every healthy client gets its last frame, and a client that cannot take it is
/// dropped at most `write_timeout` later, so the shutdown always ends, even when an HTTP/2
/// client holds a stream by flow control (which the write timeout cannot see: the socket stays
/// writable).
///
/// # Examples
///
/// ```no_run
/// use sse_warp::{DEFAULT_WRITE_TIMEOUT, Shutdown};
/// use warp::Filter;
///
/// # async fn run() -> std::io::Result<()> {
/// let shutdown = Shutdown::new();
/// let routes = warp::path("hello").map(|| "hello");
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// let signal = async move {
///     let _ = tokio::signal::ctrl_c().await;
///     shutdown.trigger();
/// };
/// sse_warp::serve(warp::service(routes), listener, DEFAULT_WRITE_TIMEOUT, signal).await;
/// # Ok(())
/// # }
/// ```
pub async fn serve<S, B>(
    service: S,
    listener: TcpListener,
    write_timeout: Duration,
    signal: impl Future<Output = ()>,
) where
    S: tower_service::Service<Request<Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    serve_connections(service, listener, write_timeout, signal, |io| async {
        Ok(io)
    })
    .await;
}

/// The connection as served: `WriteTimeout<TcpStream>`, or what a handshake made of it.
pub(crate) type Accepted = WriteTimeout<TcpStream>;

/// The loop both [`serve`] and [`serve_tls`](crate::serve_tls) run: accept, wrap each
/// connection in a [`WriteTimeout`], turn it into what is served with `handshake` (in the
/// connection's own task, so a slow handshake holds up no other client), serve it until
/// `signal`, then wait for every connection to end.
pub(crate) async fn serve_connections<S, B, H, F, Io>(
    service: S,
    listener: TcpListener,
    write_timeout: Duration,
    signal: impl Future<Output = ()>,
    handshake: H,
) where
    S: tower_service::Service<Request<Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    H: Fn(Accepted) -> F,
    F: Future<Output = std::io::Result<Io>> + Send + 'static,
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connections = GracefulShutdown::new();
    // Over HTTP/2 a client can hold one stream by flow control, unseen by the write timeout;
    // connections still open `write_timeout` after the signal are dropped, so the stop ends.
    let stopping = Shutdown::new();
    let builder = auto::Builder::new(TokioExecutor::new());
    let mut signal = std::pin::pin!(signal);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut signal => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors, mostly: wait a little rather than spin.
                tracing::warn!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let io =
            WriteTimeout::new(stream, write_timeout).drop_after_shutdown(&stopping, write_timeout);
        let handshaken = handshake(io);
        let (builder, service, watcher) = (builder.clone(), service.clone(), connections.watcher());
        tokio::spawn(async move {
            let io = match handshaken.await {
                Ok(io) => TokioIo::new(io),
                Err(error) => {
                    tracing::debug!("connection refused in its handshake: {error}");
                    return;
                }
            };
            let connection = builder
                .serve_connection_with_upgrades(io, TowerToHyperService::new(service))
                .into_owned();
            if let Err(error) = watcher.watch(connection).await {
                tracing::debug!("connection ended: {error}");
            }
        });
    }
    drop(listener);
    stopping.trigger();
    connections.shutdown().await;
}
