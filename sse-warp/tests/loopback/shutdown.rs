//! warp's graceful shutdown completes while SSE clients are connected.

use futures_util::{StreamExt, stream};
use sse_test_support::open_streams_end_on_shutdown;
use sse_warp::{Event, Shutdown};
use warp::Filter;

use crate::server::serve_until;

const CLIENTS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_with_100_open_streams_completes_within_a_second() {
    let shutdown = Shutdown::new();
    let route = warp::any().map({
        let shutdown = shutdown.clone();
        move || {
            let events = stream::iter([Event::new("hello")]).chain(stream::pending());
            sse_warp::reply(events).shutdown(&shutdown)
        }
    });
    let server = serve_until(route.boxed(), shutdown.triggered()).await;
    let url = server.url("/");
    let stopped = async { server.task.await.expect("server task") };
    let took = open_streams_end_on_shutdown(&url, CLIENTS, &shutdown, stopped).await;
    println!("graceful shutdown with {CLIENTS} open streams took {took:?}");
}
