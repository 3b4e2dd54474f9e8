//! warp's graceful shutdown completes while SSE clients are connected.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use sse_warp::{Event, Frame, Shutdown};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use warp::Filter;

use crate::server::{PATIENCE, frames, next_event, next_frame, serve_until};

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

    let client = reqwest::Client::new();
    let (connected, mut connections) = mpsc::unbounded_channel();
    let mut clients = JoinSet::new();
    for _ in 0..CLIENTS {
        let request = client.get(server.url("/"));
        let connected = connected.clone();
        clients.spawn(async move {
            let mut frames = frames(request.send().await.unwrap());
            assert_eq!(next_event(&mut frames).await.data(), "hello");
            connected.send(()).unwrap();
            let mut after_shutdown = Vec::new();
            while let Some(frame) = next_frame(&mut frames).await {
                after_shutdown.push(frame);
            }
            after_shutdown
        });
    }
    for _ in 0..CLIENTS {
        let one = tokio::time::timeout(PATIENCE, connections.recv()).await;
        one.expect("all clients connect").unwrap();
    }

    let start = Instant::now();
    shutdown.trigger_with(Event::new("restarting").with_event_type("bye"));
    let stopped = tokio::time::timeout(Duration::from_secs(1), server.task).await;
    stopped.expect("server stopped within 1 s").unwrap();
    let elapsed = start.elapsed();

    let bye = Frame::Event(Event::new("restarting").with_event_type("bye"));
    let mut ended = 0;
    while let Some(seen) = clients.join_next().await {
        assert_eq!(
            seen.unwrap(),
            std::slice::from_ref(&bye),
            "the last frame, then the end"
        );
        ended += 1;
    }
    assert_eq!(ended, CLIENTS);
    println!("graceful shutdown with {CLIENTS} open streams took {elapsed:?}");
}
