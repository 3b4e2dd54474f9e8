//! A listener that serves HTTPS, with HTTP/2 offered by ALPN.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::Listener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;

/// How long a client may take over its TLS handshake before it is dropped.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How many handshakes may be in flight at once; past that, no new connection is accepted
/// until one ends, so clients that open connections and never finish a handshake hold a
/// bounded amount of memory.
const MAX_PENDING_HANDSHAKES: usize = 1024;

/// An `axum::serve` [`Listener`] that serves TLS over the connections of another listener.
///
/// `axum::serve` speaks HTTP/1.1 or HTTP/2 on each connection, whichever the client starts
/// with, so a [`ServerConfig`] whose `alpn_protocols` are `h2` and `http/1.1` is all that
/// HTTP/2 takes: a browser then multiplexes every `EventSource` of a page over one connection
/// instead of stopping at six (axum needs its `http2` feature, one of its defaults).
///
/// Wrap a [`WriteTimeoutListener`](crate::WriteTimeoutListener), so that a client that stops
/// reading is dropped over TLS too. Handshakes run concurrently, each bounded by a timeout
/// ([`DEFAULT_HANDSHAKE_TIMEOUT`] unless set), so a client that never finishes one holds up
/// nobody; a failed handshake drops that connection only.
///
/// # Examples
///
/// ```no_run
/// use std::sync::Arc;
/// use axum::Router;
/// use sse_axum::{DEFAULT_WRITE_TIMEOUT, TlsListener, WriteTimeoutListener};
///
/// # async fn run(app: Router, config: tokio_rustls::rustls::ServerConfig) -> std::io::Result<()> {
/// // `config` holds your certificate; its `alpn_protocols` are `h2` and `http/1.1`.
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT);
/// axum::serve(TlsListener::new(listener, Arc::new(config)), app).await
/// # }
/// ```
pub struct TlsListener<L: Listener> {
    inner: L,
    acceptor: TlsAcceptor,
    handshake_timeout: Duration,
    handshakes: JoinSet<Handshaken<L>>,
}

/// A finished handshake's connection, or `None` when it failed or took too long.
type Handshaken<L> = Option<(TlsStream<<L as Listener>::Io>, <L as Listener>::Addr)>;

impl<L: Listener> TlsListener<L> {
    /// Serves TLS with `config` over the connections `inner` accepts.
    pub fn new(inner: L, config: Arc<ServerConfig>) -> Self {
        TlsListener {
            inner,
            acceptor: TlsAcceptor::from(config),
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            handshakes: JoinSet::new(),
        }
    }

    /// Sets how long a client may take over its handshake.
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    fn start_handshake(&mut self, io: L::Io, addr: L::Addr) {
        let handshake = self.acceptor.accept(io);
        let timeout = self.handshake_timeout;
        self.handshakes.spawn(async move {
            match tokio::time::timeout(timeout, handshake).await {
                Ok(Ok(tls)) => Some((tls, addr)),
                // A client that cannot or will not shake hands: only its connection ends.
                Ok(Err(_)) | Err(_) => None,
            }
        });
    }
}

impl<L: Listener> std::fmt::Debug for TlsListener<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsListener")
            .field("handshake_timeout", &self.handshake_timeout)
            .field("pending_handshakes", &self.handshakes.len())
            .finish_non_exhaustive()
    }
}

impl<L: Listener> Listener for TlsListener<L> {
    type Io = TlsStream<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let room = self.handshakes.len() < MAX_PENDING_HANDSHAKES;
            // Both branches are cancel-safe: a connection is either still in the inner
            // listener or already in `handshakes`.
            tokio::select! {
                (io, addr) = self.inner.accept(), if room => self.start_handshake(io, addr),
                Some(done) = self.handshakes.join_next() => {
                    if let Ok(Some(accepted)) = done {
                        return accepted;
                    }
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}
