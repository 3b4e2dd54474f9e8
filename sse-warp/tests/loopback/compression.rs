//! Behind warp's gzip filter, which compresses event streams too, events are not held back.

use futures_util::{StreamExt, stream};
use sse_warp::Event;
use warp::Filter;

use crate::server::{Release, frames, next_event, next_frame, serve};

#[tokio::test]
async fn first_event_arrives_through_gzip_while_the_stream_is_open() {
    let release = Release::new();
    let route = warp::any()
        .map({
            let release = release.clone();
            move || sse_warp::reply(stream::iter([Event::new("first")]).chain(release.ended_by()))
        })
        .with(warp::filters::compression::gzip());
    let server = serve(route.boxed()).await;

    // Asks for gzip but does not decompress, so the raw encoding is visible.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let probe = raw
        .get(server.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        probe.headers()["content-encoding"],
        "gzip",
        "really compressed"
    );
    drop(probe);

    // reqwest with its `gzip` feature sends `Accept-Encoding: gzip` and decompresses.
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.release();
    assert_eq!(next_frame(&mut frames).await, None);
}

#[tokio::test]
async fn routes_left_unwrapped_stay_uncompressed() {
    // The way to keep event streams out of compression: wrap only the other routes.
    let events = warp::path("events").map(|| sse_warp::reply(stream::iter([Event::new("x")])));
    let page = warp::path("page")
        .map(|| "a page worth compressing")
        .with(warp::filters::compression::gzip());
    let server = serve(events.or(page).boxed()).await;
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let get = |path: &str| {
        raw.get(server.url(path))
            .header("accept-encoding", "gzip")
            .send()
    };
    let events = get("/events").await.unwrap();
    assert!(!events.headers().contains_key("content-encoding"));
    assert_eq!(events.text().await.unwrap(), "data: x\n\n");
    let page = get("/page").await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
}
