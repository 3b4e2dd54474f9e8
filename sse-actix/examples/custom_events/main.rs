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
//! from the next one. Ctrl-C ends every stream with a `bye` event and stops the server.

mod app;

use std::time::Duration;

use actix_web::{App, HttpServer, web};
use sse_actix::{DEFAULT_WRITE_TIMEOUT, Event, Shutdown};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let shutdown = Shutdown::new();
    let data = web::Data::new(shutdown.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(app::routes(Duration::from_secs(1)))
    })
    // Ctrl-C is handled below: the event streams must end before the server waits for its
    // connections.
    .disable_signals()
    // Drop a stream as soon as its client goes, not at the next failed write.
    .h1_allow_half_closed(false)
    // A client that stops reading is dropped once its writes have been blocked for the
    // timeout, so it can hold neither a connection nor the stop.
    .on_connect(sse_actix::write_timeout(DEFAULT_WRITE_TIMEOUT))
    .bind("127.0.0.1:3004")?
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            shutdown.trigger_with(Event::new("server stopping").with_event_type("bye"));
            handle.stop(true).await;
        }
    });
    println!("custom events on http://127.0.0.1:3004");
    server.await
}
