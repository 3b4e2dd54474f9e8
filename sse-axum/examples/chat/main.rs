//! A chat room: every message POSTed by one page reaches every open page through the hub.
//!
//! ```sh
//! cargo run -p sse-axum --example chat
//! # open http://127.0.0.1:3001 in two windows, or:
//! curl -N http://127.0.0.1:3001/events
//! curl -H 'Content-Type: application/json' -d '{"name":"curl","text":"hello"}' \
//!     http://127.0.0.1:3001/messages
//! ```
//!
//! A page that loses its connection reconnects by itself with the `Last-Event-ID` of the last
//! message it saw, and the hub replays exactly the messages it missed; a page that was away
//! longer than the hub keeps history is told that it missed some. Set `CHAT_ADDR` to listen
//! elsewhere.

mod app;

use sse_axum::{DEFAULT_WRITE_TIMEOUT, Event, Hub, Shutdown, WriteTimeoutListener};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("CHAT_ADDR").unwrap_or_else(|_| "127.0.0.1:3001".to_owned());
    let hub = Hub::new();
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("chat on http://{}", listener.local_addr()?);
    // A page that stops reading is dropped once its writes have been blocked for the timeout,
    // and a connection still open that long after Ctrl-C (an HTTP/2 stream held by flow
    // control) is dropped then: neither can hold a connection or the shutdown.
    let stopping = Shutdown::new();
    let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT)
        .drop_after_shutdown(&stopping, DEFAULT_WRITE_TIMEOUT);
    axum::serve(listener, app::router(hub.clone()))
        .with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            // Ends every page's stream, so the server can stop while pages are connected.
            hub.close_with(Event::new("the chat server is stopping").with_event_type("bye"));
            stopping.trigger();
        })
        .await
}
