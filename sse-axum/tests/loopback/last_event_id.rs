//! `Last-Event-ID` sent by the client reaches the handler.

use axum::routing::get;
use axum::{Extension, Router};
use futures_util::stream;
use sse_axum::{Event, LastEventId, LastEventIdQuery, ResumeFrom, Sse};

use crate::server::{frames, next_event, serve};

async fn echo(LastEventId(last): LastEventId) -> Sse<impl futures_util::Stream<Item = Event>> {
    Sse::new(stream::iter([Event::new(seen(&last))]))
}

/// What the handler saw, as text.
fn seen(from: &ResumeFrom) -> String {
    match from {
        ResumeFrom::Live => "none".to_owned(),
        ResumeFrom::After(id) => id.to_string(),
        ResumeFrom::Invalid => "invalid".to_owned(),
    }
}

async fn echoed(request: reqwest::RequestBuilder) -> String {
    let mut frames = frames(request.send().await.unwrap());
    next_event(&mut frames).await.data().to_owned()
}

#[tokio::test]
async fn header_reaches_the_handler_and_absence_is_not_a_rejection() {
    let server = serve(Router::new().route("/", get(echo))).await;
    let client = reqwest::Client::new();
    let url = server.url("/");
    assert_eq!(
        echoed(client.get(&url).header("Last-Event-ID", "order-42")).await,
        "order-42"
    );
    assert_eq!(echoed(client.get(&url)).await, "none");
}

#[tokio::test]
async fn query_parameter_reaches_the_handler_when_opted_in() {
    let app = Router::new()
        .route("/", get(echo))
        .layer(Extension(LastEventIdQuery::new("lastEventId")));
    let server = serve(app).await;
    let client = reqwest::Client::new();
    let url = server.url("/?lastEventId=a%20b");
    assert_eq!(echoed(client.get(&url)).await, "a b");
    assert_eq!(
        echoed(client.get(&url).header("Last-Event-ID", "7")).await,
        "7"
    );
}

#[tokio::test]
async fn a_header_that_is_not_utf8_is_invalid_and_the_query_does_not_replace_it() {
    let app = Router::new()
        .route("/", get(echo))
        .layer(Extension(LastEventIdQuery::new("lastEventId")));
    let server = serve(app).await;
    let client = reqwest::Client::new();
    let not_utf8 = reqwest::header::HeaderValue::from_bytes(b"7\xFF").unwrap();
    let url = server.url("/?lastEventId=5");
    assert_eq!(
        echoed(client.get(&url).header("Last-Event-ID", not_utf8)).await,
        "invalid"
    );
}
