//! Starting a server and reading its events.

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
pub(crate) use sse_test_support::{ended_by, frames, next_event, next_frame};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

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
