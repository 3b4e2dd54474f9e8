//! Five sentences, one per second, then the stream ends; the page shows them as they come.
//!
//! ```sh
//! cargo run -p sse-warp --example sentences
//! # open http://127.0.0.1:3005, or:
//! curl -N http://127.0.0.1:3005/stream
//! curl -i -H 'Last-Event-ID: 5' http://127.0.0.1:3005/stream   # 204: nothing left
//! ```
//!
//! A browser reconnects whenever a stream ends. Each sentence has its number as id, so the
//! reconnecting page asks for what follows its last sentence; after the fifth that is nothing,
//! and the answer `204 No Content` tells `EventSource` to stop for good instead of starting
//! the sentences over.

mod app;

use std::time::Duration;

use sse_warp::DEFAULT_WRITE_TIMEOUT;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3005").await?;
    println!("sentences on http://{}", listener.local_addr()?);
    let routes = warp::service(app::routes(Duration::from_secs(1)));
    // A stream lasts five seconds, so Ctrl-C lets the open ones finish; a page that stops
    // reading is dropped once its writes have been blocked for the timeout, so it can hold
    // neither a connection nor the shutdown.
    let signal = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    sse_warp::serve(routes, listener, DEFAULT_WRITE_TIMEOUT, signal).await;
    Ok(())
}
