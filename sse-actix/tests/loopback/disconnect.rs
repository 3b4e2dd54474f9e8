//! A client that goes away releases the server-side stream.

use std::time::{Duration, Instant};

use actix_web::web::{self, ServiceConfig};
use futures_util::{StreamExt, stream};
use sse_actix::{Event, KeepAlive, Sse};
use tokio::sync::mpsc;

use crate::server::{Server, frames, next_event, serve, serve_with_actix_defaults};

/// Reports its drop: it lives inside the handler's stream.
struct DropGuard(mpsc::UnboundedSender<()>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// A route whose stream sends one event, then waits forever with a drop guard inside.
fn guarded_route(
    keep_alive: KeepAlive,
) -> (
    impl Fn(&mut ServiceConfig) + Send + Clone + 'static,
    mpsc::UnboundedReceiver<()>,
) {
    let (dropped, drops) = mpsc::unbounded_channel();
    let configure = move |config: &mut ServiceConfig| {
        let dropped = dropped.clone();
        let keep_alive = keep_alive.clone();
        config.route(
            "/",
            web::get().to(move || {
                let guard = DropGuard(dropped.clone());
                let keep_alive = keep_alive.clone();
                async move {
                    let events = stream::iter([Event::new("hello")])
                        .chain(stream::pending())
                        .map(move |event| {
                            let _ = &guard;
                            event
                        });
                    Sse::new(events).keep_alive(keep_alive)
                }
            }),
        );
    };
    (configure, drops)
}

/// Connects, reads the first event, disconnects, and returns how long the server took to drop
/// the stream, failing the test if it took more than a second.
async fn drop_delay_after_disconnect(
    server: &Server,
    drops: &mut mpsc::UnboundedReceiver<()>,
) -> Duration {
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
    start.elapsed()
}

#[actix_web::test]
async fn client_disconnect_drops_a_silent_stream_within_a_second() {
    // No keep-alive: the server must notice the closed connection without writing to it, which
    // it does when half-closed connections are not allowed.
    let (configure, mut drops) = guarded_route(KeepAlive::disabled());
    let server = serve(configure);
    let delay = drop_delay_after_disconnect(&server, &mut drops).await;
    println!("silent stream dropped {delay:?} after the client left");
}

#[actix_web::test]
async fn with_actix_defaults_the_keep_alive_finds_the_disconnect() {
    // Half-closed connections allowed (actix-web's default): the server notices the client is
    // gone when a write fails, so the keep-alive interval bounds the delay.
    let (configure, mut drops) =
        guarded_route(KeepAlive::new().interval(Duration::from_millis(200)));
    let server = serve_with_actix_defaults(configure);
    let delay = drop_delay_after_disconnect(&server, &mut drops).await;
    println!("stream with a 200 ms keep-alive dropped {delay:?} after the client left");
}
