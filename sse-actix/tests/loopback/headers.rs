//! The response headers, and events sent as they are produced.

use std::sync::Arc;

use actix_web::web;
use futures_util::{StreamExt, stream};
use sse_actix::{Event, Sse};
use tokio::sync::Notify;

use crate::server::{ended_by, frames, next_event, next_frame, serve};

#[actix_web::test]
async fn response_has_exactly_the_event_stream_headers() {
    let server = serve(|config| {
        config.route(
            "/",
            web::get().to(|| async { Sse::new(stream::iter([Event::new("x")])) }),
        );
    });
    let response = reqwest::get(server.url("/")).await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    assert_eq!(headers["cache-control"], "no-cache, no-transform");
    assert_eq!(headers["x-accel-buffering"], "no");
    assert!(!headers.contains_key("content-encoding"));
    assert_eq!(headers["transfer-encoding"], "chunked");
    assert!(!headers.contains_key("content-length"));
    let mut names: Vec<_> = headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "cache-control",
            "content-type",
            "date",
            "transfer-encoding",
            "x-accel-buffering"
        ]
    );
}

#[actix_web::test]
async fn first_event_arrives_while_the_stream_is_still_open() {
    let release = Arc::new(Notify::new());
    let server = serve({
        let release = Arc::clone(&release);
        move |config| {
            let release = Arc::clone(&release);
            // The stream does not end until the client has the first event: a response held
            // back until its end would make the test time out.
            config.route(
                "/",
                web::get().to(move || {
                    let release = Arc::clone(&release);
                    async move {
                        Sse::new(stream::iter([Event::new("first")]).chain(ended_by(release)))
                    }
                }),
            );
        }
    });
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.notify_one();
    assert_eq!(next_frame(&mut frames).await, None);
}
