//! A client that goes away releases the server-side stream.

use std::time::Duration;

use actix_web::web::{self, ServiceConfig};
use sse_actix::{KeepAlive, Sse};
use sse_test_support::{DropWatch, WatchedStreams, disconnect_drops_the_stream};

use crate::server::{serve, serve_with_actix_defaults};

/// A route whose stream sends one event, then waits forever, watched.
fn watched_route(
    streams: WatchedStreams,
    keep_alive: KeepAlive,
) -> impl Fn(&mut ServiceConfig) + Send + Clone + 'static {
    move |config: &mut ServiceConfig| {
        let streams = streams.clone();
        let keep_alive = keep_alive.clone();
        config.route(
            "/",
            web::get().to(move || {
                let events = streams.hello_then_wait();
                let keep_alive = keep_alive.clone();
                async move { Sse::new(events).keep_alive(keep_alive) }
            }),
        );
    }
}

#[actix_web::test]
async fn client_disconnect_drops_a_silent_stream_within_a_second() {
    // No keep-alive: the server must notice the closed connection without writing to it, which
    // it does when half-closed connections are not allowed.
    let mut watch = DropWatch::new();
    let server = serve(watched_route(watch.streams(), KeepAlive::disabled()));
    let delay = disconnect_drops_the_stream(&server.url("/"), &mut watch).await;
    println!("silent stream dropped {delay:?} after the client left");
}

#[actix_web::test]
async fn with_actix_defaults_the_keep_alive_finds_the_disconnect() {
    // Half-closed connections allowed (actix-web's default): the server notices the client is
    // gone when a write fails, so the keep-alive interval bounds the delay.
    let mut watch = DropWatch::new();
    let keep_alive = KeepAlive::new().interval(Duration::from_millis(200));
    let server = serve_with_actix_defaults(watched_route(watch.streams(), keep_alive));
    let delay = disconnect_drops_the_stream(&server.url("/"), &mut watch).await;
    println!("stream with a 200 ms keep-alive dropped {delay:?} after the client left");
}
