//! A periodic broadcast: one task publishes a `tick` event every second to a hub, and every
//! connected page gets the same events with the same ids.
//!
//! ```sh
//! cargo run -p sse-warp --example broadcast
//! # open http://127.0.0.1:3006 in several windows, or:
//! curl -N http://127.0.0.1:3006/events
//! ```
//!
//! The events are produced once, whoever listens, and encoded once for all listeners. A page
//! that loses its connection reconnects with the id of the last tick it saw and the hub replays
//! the ticks it missed. Ctrl-C ends every stream with a `bye` event and stops the server.

mod app;

use std::time::Duration;

use sse_warp::{DEFAULT_WRITE_TIMEOUT, Event, Hub};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let hub = Hub::new();
    app::publish_ticks(hub.clone(), Duration::from_secs(1));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3006").await?;
    println!("broadcast on http://{}", listener.local_addr()?);
    let routes = warp::service(app::routes(hub.clone()));
    let signal = async move {
        let _ = tokio::signal::ctrl_c().await;
        hub.close_with(Event::new("server stopping").with_event_type("bye"));
    };
    // A page that stops reading is dropped once its writes have been blocked for the timeout,
    // so it can hold neither a connection nor the shutdown (warp's own server holds both).
    sse_warp::serve(routes, listener, DEFAULT_WRITE_TIMEOUT, signal).await;
    Ok(())
}
