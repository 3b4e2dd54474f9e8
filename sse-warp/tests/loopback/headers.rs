//! The response headers, and events sent as they are produced.

use futures_util::{StreamExt, stream};
use sse_warp::Event;
use warp::Filter;

use crate::server::{Release, frames, next_event, next_frame, serve};

#[tokio::test]
async fn response_has_exactly_the_event_stream_headers() {
    let route = warp::any().map(|| sse_warp::reply(stream::iter([Event::new("x")])));
    let server = serve(route.boxed()).await;
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
    let release = Release::new();
    // The stream does not end until the client has the first event: a response held back until
    // its end would deadlock the test.
    let route = warp::any().map({
        let release = release.clone();
        move || sse_warp::reply(stream::iter([Event::new("first")]).chain(release.ended_by()))
    });
    let server = serve(route.boxed()).await;
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.release();
    assert_eq!(next_frame(&mut frames).await, None);
}
