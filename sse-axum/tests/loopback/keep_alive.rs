//! Keep-alive comments over a real connection: when idle, and not while events flow.

use axum::Router;
use axum::routing::get;
use futures_util::stream;
use sse_axum::{Event, KeepAlive, Sse};
use sse_test_support::{
    KEEP_ALIVE_INTERVAL, busy_events, busy_stream_gets_no_keep_alive, idle_keep_alive,
    idle_stream_gets_keep_alive_comments,
};

use crate::server::serve;

#[tokio::test]
async fn idle_stream_sends_keep_alive_comments() {
    let app = Router::new().route(
        "/",
        get(|| async { Sse::new(stream::pending::<Event>()).keep_alive(idle_keep_alive()) }),
    );
    let server = serve(app).await;
    idle_stream_gets_keep_alive_comments(&server.url("/")).await;
}

#[tokio::test]
async fn busy_stream_sends_no_keep_alive() {
    let app = Router::new().route(
        "/",
        get(|| async {
            Sse::new(busy_events()).keep_alive(KeepAlive::new().interval(KEEP_ALIVE_INTERVAL))
        }),
    );
    let server = serve(app).await;
    busy_stream_gets_no_keep_alive(&server.url("/")).await;
}
