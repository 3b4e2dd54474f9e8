//! Plain messages, with a `custom_event` every third one: a page listens to both with
//! `onmessage` and `addEventListener("custom_event", ...)`; any SSE client (Python's
//! `sseclient`, `curl`) reads the same stream.
//!
//! ```sh
//! cargo run -p sse-actix --example custom_events
//! # open http://127.0.0.1:3004, or:
//! curl -N http://127.0.0.1:3004/stream
//! curl -N -H 'Last-Event-ID: 6' http://127.0.0.1:3004/stream   # resumes at 7
//! ```
//!
//! Event ids are the message numbers, so a client that reconnects with `Last-Event-ID` goes on
//! from the next one.

mod app;

use std::time::Duration;

use actix_web::{App, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let server = HttpServer::new(|| App::new().configure(app::routes(Duration::from_secs(1))))
        // Drop a stream as soon as its client goes, not at the next failed write.
        .h1_allow_half_closed(false)
        .bind("127.0.0.1:3004")?;
    println!("custom events on http://127.0.0.1:3004");
    server.run().await
}
