//! Keep-alive comments over a real connection: when idle, and not while events flow.

use std::time::{Duration, Instant};

use futures_util::{StreamExt, stream};
use sse_warp::{Event, Frame, KeepAlive};
use warp::Filter;

use crate::server::{frames, next_frame, serve};

const KEEP_ALIVE: Duration = Duration::from_millis(200);

#[tokio::test]
async fn idle_stream_sends_keep_alive_comments() {
    let route = warp::any().map(|| {
        sse_warp::reply(stream::pending::<Event>())
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("still here"))
    });
    let server = serve(route.boxed()).await;
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    let start = Instant::now();
    for n in 1..=3 {
        assert_eq!(
            next_frame(&mut frames).await,
            Some(Frame::comment("still here"))
        );
        assert!(start.elapsed() >= KEEP_ALIVE * n, "not before the interval");
    }
}

#[tokio::test]
async fn busy_stream_sends_no_keep_alive() {
    let events = 20;
    let route = warp::any().map(move || {
        // An event every 20 ms, a tenth of the keep-alive interval.
        let ticks = stream::iter(0..events).then(|n| async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Event::new(n.to_string())
        });
        sse_warp::reply(ticks).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
    });
    let server = serve(route.boxed()).await;
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    let mut received = Vec::new();
    while let Some(frame) = next_frame(&mut frames).await {
        received.push(frame);
    }
    assert_eq!(received.len(), events, "{received:?}");
    assert!(
        received
            .iter()
            .all(|frame| matches!(frame, Frame::Event(_)))
    );
}
