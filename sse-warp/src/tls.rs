//! Serving a warp app over HTTPS, with HTTP/2 by ALPN.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use http::{Request, Response};
use hyper::body::Incoming;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

use crate::serve::serve_connections;

/// How long a client may take over its TLS handshake before it is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// [`serve`](crate::serve) over TLS with `config`: every connection is a TLS one, under the
/// write timeout (the timer is on the socket, below TLS), speaking HTTP/2 or HTTP/1.1,
/// whichever the client chose by ALPN when `config.alpn_protocols` offers both (`h2` first).
///
/// warp 0.4 has no TLS of its own any more; this is tokio-rustls on the same hyper server as
/// [`serve`](crate::serve), with the same graceful shutdown. Each handshake runs in its
/// connection's task and is dropped after [`HANDSHAKE_TIMEOUT`], so a client that never
/// finishes one holds up nobody.
///
/// # Examples
///
/// ```no_run
/// use std::sync::Arc;
/// use sse_warp::DEFAULT_WRITE_TIMEOUT;
/// use warp::Filter;
///
/// # async fn run(mut config: rustls::ServerConfig) -> std::io::Result<()> {
/// // `config` holds your certificate; offer HTTP/2 first.
/// config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
/// let routes = warp::path("hello").map(|| "hello");
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3443").await?;
/// let signal = async {
///     let _ = tokio::signal::ctrl_c().await;
/// };
/// let service = warp::service(routes);
/// sse_warp::serve_tls(service, listener, Arc::new(config), DEFAULT_WRITE_TIMEOUT, signal).await;
/// # Ok(())
/// # }
/// ```
pub async fn serve_tls<S, B>(
    service: S,
    listener: TcpListener,
    config: Arc<ServerConfig>,
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
    let acceptor = TlsAcceptor::from(config);
    let handshake = |io| {
        let accepting = acceptor.accept(io);
        async move {
            tokio::time::timeout(HANDSHAKE_TIMEOUT, accepting)
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out"))?
        }
    };
    serve_connections(service, listener, write_timeout, signal, handshake).await;
}
