//! The response headers, and events sent as they are produced.

use axum::Router;
use axum::routing::get;
use futures_util::{StreamExt, stream};
use sse_axum::{Event, Sse};
use std::sync::Arc;

use tokio::sync::Notify;

use crate::server::{ended_by, frames, next_event, next_frame, serve};

#[tokio::test]
async fn response_has_exactly_the_event_stream_headers() {
    let app = Router::new().route(
        "/",
        get(|| async { Sse::new(stream::iter([Event::new("x")])) }),
    );
    let server = serve(app).await;
    let response = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["cache-control"], "no-cache, no-transform");
    assert_eq!(headers["x-accel-buffering"], "no");
    assert_eq!(headers["transfer-encoding"], "chunked");
    assert!(!headers.contains_key("content-length"));
    assert!(!headers.contains_key("content-encoding"));
}

#[tokio::test]
async fn first_event_arrives_while_the_stream_is_still_open() {
    let release = Arc::new(Notify::new());
    let app =
        Router::new().route(
            "/",
            get({
                let release = Arc::clone(&release);
                // The stream does not end until the client has the first event: a response held
                // back until its end would deadlock the test.
                move || async move {
                    Sse::new(stream::iter([Event::new("first")]).chain(ended_by(release)))
                }
            }),
        );
    let server = serve(app).await;
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.notify_one();
    assert_eq!(next_frame(&mut frames).await, None);
}
