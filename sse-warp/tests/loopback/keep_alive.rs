//! Keep-alive comments over a real connection: when idle, and not while events flow.

use futures_util::stream;
use sse_test_support::{
    KEEP_ALIVE_INTERVAL, busy_events, busy_stream_gets_no_keep_alive, idle_keep_alive,
    idle_stream_gets_keep_alive_comments,
};
use sse_warp::{Event, KeepAlive};
use warp::Filter;

use crate::server::serve;

#[tokio::test]
async fn idle_stream_sends_keep_alive_comments() {
    let route = warp::any()
        .map(|| sse_warp::reply(stream::pending::<Event>()).keep_alive(idle_keep_alive()));
    let server = serve(route.boxed()).await;
    idle_stream_gets_keep_alive_comments(&server.url("/")).await;
}

#[tokio::test]
async fn busy_stream_sends_no_keep_alive() {
    let route = warp::any().map(|| {
        sse_warp::reply(busy_events()).keep_alive(KeepAlive::new().interval(KEEP_ALIVE_INTERVAL))
    });
    let server = serve(route.boxed()).await;
    busy_stream_gets_no_keep_alive(&server.url("/")).await;
}
