//! A client that goes away releases the server-side stream.

use axum::Router;
use axum::routing::get;
use sse_axum::{KeepAlive, Sse};
use sse_test_support::{DropWatch, disconnect_drops_the_stream};

use crate::server::serve;

#[tokio::test]
async fn client_disconnect_drops_the_stream_within_a_second() {
    let mut watch = DropWatch::new();
    let streams = watch.streams();
    let app = Router::new().route(
        "/",
        get(move || {
            let events = streams.hello_then_wait();
            // No keep-alive: the server must notice the closed connection without writing.
            async move { Sse::new(events).keep_alive(KeepAlive::disabled()) }
        }),
    );
    let server = serve(app).await;
    let delay = disconnect_drops_the_stream(&server.url("/"), &mut watch).await;
    println!("server-side stream dropped {delay:?} after the client");
}
