//! One node of a cluster of SSE servers sharing their channels through Redis.
//!
//! ```sh
//! cargo run -p sse-redis --example cluster -- --redis redis://127.0.0.1:6379 --listen 127.0.0.1:4101
//! cargo run -p sse-redis --example cluster -- --redis redis://127.0.0.1:6379 --listen 127.0.0.1:4102
//! curl -N http://127.0.0.1:4101/events
//! curl -d 'hello from the other node' http://127.0.0.1:4102/publish
//! # cut the first curl, resume on the other node with the last id it printed:
//! curl -N -H 'Last-Event-ID: <id>' http://127.0.0.1:4102/events
//! ```
//!
//! `GET /events` is channel `main`, resuming from `Last-Event-ID` (on any node); `POST
//! /publish` publishes its body (UTF-8 text, at most 64 KiB, else 413) and answers with the
//! event's id. Ctrl-C ends every stream and stops the node within a few seconds.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use sse_axum::{
    DEFAULT_WRITE_TIMEOUT, Event, KeepAlive, LastEventId, Sse, Subscription, WriteTimeoutListener,
};
use sse_redis::{PublishError, RedisChannel, RedisHub, RedisHubConfig};

/// The largest body `POST /publish` takes.
const MAX_PUBLISH_BYTES: usize = 64 * 1024;
/// How long a graceful shutdown may wait for connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (redis, listen) = arguments()?;
    let hub = RedisHub::connect(&redis, RedisHubConfig::new()).await?;
    let main = hub.channel("main")?;
    let app = Router::new()
        .route("/events", get(events))
        .route("/publish", post(publish))
        .layer(DefaultBodyLimit::max(MAX_PUBLISH_BYTES))
        .with_state(main);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("node on http://{}", listener.local_addr()?);
    // A client that stops reading is dropped once its writes have been blocked this long, so
    // it can hold neither a connection nor the shutdown.
    let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT);
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = {
        let hub = hub.clone();
        async move {
            let _ = tokio::signal::ctrl_c().await;
            hub.close_with(Event::new("node stopping").with_event_type("bye"));
            let _ = stopping.send(());
        }
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(signal);
    tokio::select! {
        served = server => served?,
        () = async {
            let _ = stopped.await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => eprintln!("connections still open after {SHUTDOWN_GRACE:?}: stopping anyway"),
    }
    Ok(())
}

/// `--redis URL --listen ADDR`, with defaults for both.
fn arguments() -> Result<(String, String), String> {
    let (mut redis, mut listen) = (
        "redis://127.0.0.1:6379".to_owned(),
        "127.0.0.1:4101".to_owned(),
    );
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--redis" => redis = value,
            "--listen" => listen = value,
            _ => {
                return Err(format!(
                    "unknown flag {flag}; use --redis URL --listen ADDR"
                ));
            }
        }
    }
    Ok((redis, listen))
}

/// Channel `main`, resuming after the client's `Last-Event-ID`: the extractor reads the header
/// as hostile input (bounded, checked), and an id no node can place gets a resync event.
async fn events(
    State(main): State<RedisChannel>,
    LastEventId(from): LastEventId,
) -> Sse<Subscription> {
    Sse::new(main.subscribe(from))
        .retry(Duration::from_secs(2))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Publishes the body as an event's data; the id as the answer.
async fn publish(
    State(main): State<RedisChannel>,
    body: String,
) -> Result<String, (StatusCode, String)> {
    match main.publish(Event::new(body)).await {
        Ok(id) => Ok(id.to_string()),
        Err(error @ PublishError::Redis { .. }) => {
            Err((StatusCode::SERVICE_UNAVAILABLE, error.to_string()))
        }
        Err(error) => Err((StatusCode::INTERNAL_SERVER_ERROR, error.to_string())),
    }
}
