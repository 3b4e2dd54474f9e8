//! Keep-alive comments over a real connection: when idle, and not while events flow.

use actix_web::web;
use futures_util::stream;
use sse_actix::{Event, KeepAlive, Sse};
use sse_test_support::{
    KEEP_ALIVE_INTERVAL, busy_events, busy_stream_gets_no_keep_alive, idle_keep_alive,
    idle_stream_gets_keep_alive_comments,
};

use crate::server::serve;

#[actix_web::test]
async fn idle_stream_sends_keep_alive_comments() {
    let server = serve(|config| {
        config.route(
            "/",
            web::get().to(|| async {
                Sse::new(stream::pending::<Event>()).keep_alive(idle_keep_alive())
            }),
        );
    });
    idle_stream_gets_keep_alive_comments(&server.url("/")).await;
}

#[actix_web::test]
async fn busy_stream_sends_no_keep_alive() {
    let server = serve(|config| {
        config.route(
            "/",
            web::get().to(|| async {
                Sse::new(busy_events()).keep_alive(KeepAlive::new().interval(KEEP_ALIVE_INTERVAL))
            }),
        );
    });
    busy_stream_gets_no_keep_alive(&server.url("/")).await;
}
