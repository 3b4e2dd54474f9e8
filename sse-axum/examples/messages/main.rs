//! Twenty `new_message` events with ids and a `retry`, then an `end_event` after which the page
//! closes its `EventSource`; the page comes from one origin and the stream from another (CORS).
//!
//! ```sh
//! cargo run -p sse-axum --example messages
//! # open http://127.0.0.1:3002 (the page), which reads http://127.0.0.1:3003/stream, or:
//! curl -N http://127.0.0.1:3003/stream
//! curl -N -H 'Last-Event-ID: 17' http://127.0.0.1:3003/stream   # messages 18 to 20, then the end
//! ```
//!
//! When a client leaves, its stream is dropped and no further message is produced for it: the
//! server prints how many streams are still producing each time one stops. Ctrl-C ends every
//! stream with a `bye` event and stops both servers.

mod app;

use std::time::Duration;

use app::{Settings, Work};
use axum::Extension;
use sse_axum::{DEFAULT_WRITE_TIMEOUT, Event, Shutdown, WriteTimeoutListener};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let page_listener = tokio::net::TcpListener::bind("127.0.0.1:3002").await?;
    let stream_listener = tokio::net::TcpListener::bind("127.0.0.1:3003").await?;
    let page_origin = format!("http://{}", page_listener.local_addr()?);
    let stream_url = format!("http://{}/stream", stream_listener.local_addr()?);
    let settings = Settings {
        page_origin,
        count: 20,
        interval: Duration::from_secs(1),
        work: Work::default(),
    };
    println!("page on http://{}", page_listener.local_addr()?);
    println!("stream on {stream_url}");
    let shutdown = Shutdown::new();
    // A client that stops reading is dropped once its writes have been blocked for the
    // timeout, and a connection still open that long after Ctrl-C (an HTTP/2 stream held by
    // flow control) is dropped then: neither can hold a connection or the shutdown.
    let page = axum::serve(
        WriteTimeoutListener::new(page_listener, DEFAULT_WRITE_TIMEOUT)
            .drop_after_shutdown(&shutdown, DEFAULT_WRITE_TIMEOUT),
        app::page_router(&stream_url),
    )
    .with_graceful_shutdown(shutdown.triggered());
    let stream = axum::serve(
        WriteTimeoutListener::new(stream_listener, DEFAULT_WRITE_TIMEOUT)
            .drop_after_shutdown(&shutdown, DEFAULT_WRITE_TIMEOUT),
        app::stream_router(settings).layer(Extension(shutdown.clone())),
    )
    .with_graceful_shutdown(async move {
        let _ = tokio::signal::ctrl_c().await;
        shutdown.trigger_with(Event::new("server stopping").with_event_type("bye"));
    });
    tokio::try_join!(page.into_future(), stream.into_future())?;
    Ok(())
}
