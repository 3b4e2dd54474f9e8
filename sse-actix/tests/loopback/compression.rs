//! Behind actix-web's `Compress` middleware, a client that accepts compression gets a stream
//! with a real content coding, and every event as it is produced.

use std::sync::Arc;

use actix_web::web;
use futures_util::stream;
use sse_actix::{Event, Sse};
use tokio::sync::Notify;

use crate::server::{Server, frames, next_event, next_frame, serve_compressed};

/// What the test client says it accepts, as a browser does.
const ACCEPT_ENCODING: &str = "gzip, br";

/// Behind `Compress`: `/` sends event `n` (1, 2, 3) each time `next` is notified, then ends;
/// `/text` is plain text, to show that the middleware compresses what it is given.
fn compressed_app(next: &Arc<Notify>) -> Server {
    let next = Arc::clone(next);
    serve_compressed(move |config| {
        let next = Arc::clone(&next);
        config
            .route(
                "/",
                web::get().to(move || {
                    let next = Arc::clone(&next);
                    async move { Sse::new(one_event_per_notification(next, 3)) }
                }),
            )
            .route(
                "/text",
                web::get().to(|| async { "plain text ".repeat(100) }),
            );
    })
}

/// Events `1..=count`, each once `next` is notified.
fn one_event_per_notification(
    next: Arc<Notify>,
    count: u32,
) -> impl futures_util::Stream<Item = Event> {
    stream::unfold(1, move |n| {
        let next = Arc::clone(&next);
        async move {
            if n > count {
                return None;
            }
            next.notified().await;
            Some((Event::new(n.to_string()), n + 1))
        }
    })
}

#[actix_web::test]
async fn the_event_stream_has_a_real_content_coding_or_none() {
    let next = Arc::new(Notify::new());
    let server = compressed_app(&next);
    // Asks for compression but does not decompress, so the raw headers are visible.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let text = raw
        .get(server.url("/text"))
        .header("accept-encoding", ACCEPT_ENCODING)
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
        .header("accept-encoding", ACCEPT_ENCODING)
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    // Not `identity`, which is reserved for `Accept-Encoding` (RFC 9110 8.4.1): the coding the
    // middleware applied (this build of actix-web has gzip only), named once.
    let codings: Vec<_> = headers
        .get_all("content-encoding")
        .iter()
        .map(|coding| coding.to_str().unwrap())
        .collect();
    assert_eq!(codings, ["gzip"]);
    assert_eq!(headers["cache-control"], "no-cache, no-transform");
}

#[actix_web::test]
async fn each_event_arrives_as_it_is_produced_through_a_decompressing_client() {
    let next = Arc::new(Notify::new());
    let server = compressed_app(&next);
    // reqwest with its `gzip` feature decompresses what it gets.
    let response = reqwest::Client::new()
        .get(server.url("/"))
        .header("accept-encoding", ACCEPT_ENCODING)
        .send()
        .await
        .unwrap();
    let mut frames = frames(response);
    // The server produces event n only after the client has event n - 1: an event held back
    // in the compressor would make the test time out.
    for n in 1..=3 {
        next.notify_one();
        assert_eq!(next_event(&mut frames).await.data(), n.to_string());
    }
    assert_eq!(next_frame(&mut frames).await, None);
}
