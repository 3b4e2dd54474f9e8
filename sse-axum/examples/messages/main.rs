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
//! server prints how many streams are still producing each time one stops.

mod app;

use std::time::Duration;

use app::{Settings, Work};

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
    let page = axum::serve(page_listener, app::page_router(&stream_url));
    let stream = axum::serve(stream_listener, app::stream_router(settings));
    tokio::try_join!(page.into_future(), stream.into_future())?;
    Ok(())
}
