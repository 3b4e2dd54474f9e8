//! Graceful shutdown completes while SSE clients are connected.

use std::time::{Duration, Instant};

use actix_web::web;
use futures_util::{Stream, StreamExt, stream};
use sse_actix::{Event, Frame, Shutdown, Sse};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::server::{PATIENCE, frames, next_event, next_frame, serve};

const CLIENTS: usize = 100;

async fn hello_until_shutdown(shutdown: web::Data<Shutdown>) -> Sse<impl Stream<Item = Event>> {
    let events = stream::iter([Event::new("hello")]).chain(stream::pending());
    Sse::new(events).shutdown(&shutdown)
}

#[actix_web::test]
async fn graceful_stop_with_100_open_streams_completes_within_a_second() {
    let shutdown = Shutdown::new();
    let data = web::Data::new(shutdown.clone());
    let mut server = serve(move |config| {
        config
            .app_data(data.clone())
            .route("/", web::get().to(hello_until_shutdown));
    });

    let client = reqwest::Client::new();
    let (connected, mut connections) = mpsc::unbounded_channel();
    let mut clients = JoinSet::new();
    for _ in 0..CLIENTS {
        let request = client.get(server.url("/"));
        let connected = connected.clone();
        clients.spawn_local(async move {
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
    let stopped = tokio::time::timeout(Duration::from_secs(1), server.handle.stop(true)).await;
    let elapsed = start.elapsed();
    stopped.expect("server stopped within 1 s");
    let task = server.task.take().unwrap();
    task.await.unwrap().unwrap();

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
    println!("graceful stop with {CLIENTS} open streams took {elapsed:?}");
}
