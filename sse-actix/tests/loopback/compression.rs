//! Behind actix-web's `Compress` middleware, events are not held back or compressed.

use std::sync::Arc;

use actix_web::web;
use futures_util::{StreamExt, stream};
use sse_actix::{Event, Sse};
use tokio::sync::Notify;

use crate::server::{Server, ended_by, frames, next_event, next_frame, serve_compressed};

/// Behind `Compress`: one event, then the stream stays open until `release` is notified; and a
/// plain text route, to show that the middleware does compress what it is given.
fn compressed_app(release: &Arc<Notify>) -> Server {
    let release = Arc::clone(release);
    serve_compressed(move |config| {
        let release = Arc::clone(&release);
        config
            .route(
                "/",
                web::get().to(move || {
                    let release = Arc::clone(&release);
                    async move {
                        Sse::new(stream::iter([Event::new("first")]).chain(ended_by(release)))
                    }
                }),
            )
            .route("/text", web::get().to(|| async { "plain text ".repeat(100) }));
    })
}

#[actix_web::test]
async fn compress_middleware_passes_the_event_stream_through_as_it_is() {
    let release = Arc::new(Notify::new());
    let server = compressed_app(&release);
    // Asks for gzip but does not decompress, so the raw encoding is visible.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let text = raw
        .get(server.url("/text"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        text.headers()["content-encoding"],
        "gzip",
        "the middleware is on"
    );

    let response = raw
        .get(server.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "identity");
    let mut frames = frames(response);
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.notify_one();
    assert_eq!(next_frame(&mut frames).await, None);
}

#[actix_web::test]
async fn first_event_arrives_through_a_decompressing_client_while_the_stream_is_open() {
    let release = Arc::new(Notify::new());
    let server = compressed_app(&release);
    // reqwest with its `gzip` feature sends `Accept-Encoding: gzip` and decompresses.
    let response = reqwest::get(server.url("/")).await.unwrap();
    let mut frames = frames(response);
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.notify_one();
    assert_eq!(next_frame(&mut frames).await, None);
}
