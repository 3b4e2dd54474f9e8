//! A client that goes away releases the server-side stream.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use sse_warp::{Event, KeepAlive};
use tokio::sync::mpsc;
use warp::Filter;

use crate::server::{frames, next_event, serve};

/// Reports its drop: it lives inside the handler's stream.
struct DropGuard(mpsc::UnboundedSender<()>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

#[tokio::test]
async fn client_disconnect_drops_the_stream_within_a_second() {
    let (dropped, mut drops) = mpsc::unbounded_channel();
    let route = warp::any().map(move || {
        let guard = DropGuard(dropped.clone());
        let events = stream::iter([Event::new("hello")])
            .chain(stream::pending())
            .map(move |event| {
                let _ = &guard;
                event
            });
        // No keep-alive: the server must notice the closed connection without writing.
        sse_warp::reply(events).keep_alive(KeepAlive::disabled())
    });
    let server = serve(route.boxed()).await;
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    assert_eq!(next_event(&mut frames).await.data(), "hello");
    assert!(
        drops.try_recv().is_err(),
        "the stream lives while the client listens"
    );

    let start = Instant::now();
    drop(frames);
    let dropped_in_time = tokio::time::timeout(Duration::from_secs(1), drops.recv()).await;
    assert_eq!(dropped_in_time, Ok(Some(())), "stream dropped within 1 s");
    println!(
        "server-side stream dropped {:?} after the client",
        start.elapsed()
    );
}
