//! Graceful shutdown completes while SSE clients are connected.

use axum::Router;
use axum::routing::get;
use futures_util::{StreamExt, stream};
use sse_axum::{Event, Shutdown, Sse};
use sse_test_support::open_streams_end_on_shutdown;

use crate::server::serve_until;

const CLIENTS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_with_100_open_streams_completes_within_a_second() {
    let shutdown = Shutdown::new();
    let app = Router::new().route(
        "/",
        get({
            let shutdown = shutdown.clone();
            move || {
                let shutdown = shutdown.clone();
                async move {
                    let events = stream::iter([Event::new("hello")]).chain(stream::pending());
                    Sse::new(events).shutdown(&shutdown)
                }
            }
        }),
    );
    let server = serve_until(app, shutdown.triggered()).await;
    let url = server.url("/");
    let stopped = async { server.task.await.expect("server task").expect("serve") };
    let took = open_streams_end_on_shutdown(&url, CLIENTS, &shutdown, stopped).await;
    println!("graceful shutdown with {CLIENTS} open streams took {took:?}");
}
