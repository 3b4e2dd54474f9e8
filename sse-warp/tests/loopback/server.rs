//! Starting a server and reading its events.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use sse_codec::Event;
pub(crate) use sse_test_support::{frames, next_event, next_frame};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use warp::Reply;
use warp::filters::BoxedFilter;

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
