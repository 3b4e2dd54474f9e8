//! Behind tower-http's `CompressionLayer`, events are not held back.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use futures_util::{StreamExt, stream};
use sse_axum::{Event, Sse};
use tokio::sync::Notify;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};

use crate::server::{Server, ended_by, frames, next_event, next_frame, serve};

/// One event, then the stream stays open until `release` is notified.
async fn compressed_app<P: Predicate + Send + Sync + 'static>(
    release: &Arc<Notify>,
    compression: CompressionLayer<P>,
) -> Server {
    let release = Arc::clone(release);
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let release = Arc::clone(&release);
                async move { Sse::new(stream::iter([Event::new("first")]).chain(ended_by(release))) }
            }),
        )
        .layer(compression);
    serve(app).await
}

#[tokio::test]
async fn default_compression_leaves_the_event_stream_alone() {
    let release = Arc::new(Notify::new());
    let server = compressed_app(&release, CompressionLayer::new()).await;
    // Asks for gzip but does not decompress, so the raw encoding is visible.
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let response = client
        .get(server.url("/"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(!response.headers().contains_key("content-encoding"));
    let mut frames = frames(response);
    assert_eq!(next_event(&mut frames).await.data(), "first");
    release.notify_one();
    assert_eq!(next_frame(&mut frames).await, None);
}

#[tokio::test]
async fn first_event_arrives_through_forced_compression_while_the_stream_is_open() {
    let release = Arc::new(Notify::new());
    // Compress everything, event streams included, as a custom predicate might.
    let forced = CompressionLayer::new().compress_when(SizeAbove::new(0));
    let server = compressed_app(&release, forced).await;
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
    release.notify_one();
    assert_eq!(next_frame(&mut frames).await, None);
}
