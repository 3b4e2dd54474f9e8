//! A client that goes away releases the server-side stream.

use sse_test_support::{DropWatch, disconnect_drops_the_stream};
use sse_warp::KeepAlive;
use warp::Filter;

use crate::server::serve;

#[tokio::test]
async fn client_disconnect_drops_the_stream_within_a_second() {
    let mut watch = DropWatch::new();
    let streams = watch.streams();
    let route = warp::any().map(move || {
        // No keep-alive: the server must notice the closed connection without writing.
        sse_warp::reply(streams.hello_then_wait()).keep_alive(KeepAlive::disabled())
    });
    let server = serve(route.boxed()).await;
    let delay = disconnect_drops_the_stream(&server.url("/"), &mut watch).await;
    println!("server-side stream dropped {delay:?} after the client");
}
