//! Keep-alive comments over a real connection: when idle, and not while events flow.

use std::time::{Duration, Instant};

use actix_web::web;
use futures_util::{StreamExt, stream};
use sse_actix::{Event, Frame, KeepAlive, Sse};

use crate::server::{frames, next_frame, serve};

const KEEP_ALIVE: Duration = Duration::from_millis(200);

#[actix_web::test]
async fn idle_stream_sends_keep_alive_comments() {
    let server = serve(|config| {
        config.route(
            "/",
            web::get().to(|| async {
                Sse::new(stream::pending::<Event>())
                    .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("still here"))
            }),
        );
    });
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

#[actix_web::test]
async fn busy_stream_sends_no_keep_alive() {
    const EVENTS: usize = 20;
    let server = serve(|config| {
        config.route(
            "/",
            web::get().to(|| async {
                // An event every 20 ms, a tenth of the keep-alive interval.
                let ticks = stream::iter(0..EVENTS).then(|n| async move {
                    actix_web::rt::time::sleep(Duration::from_millis(20)).await;
                    Event::new(n.to_string())
                });
                Sse::new(ticks).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
            }),
        );
    });
    let mut frames = frames(reqwest::get(server.url("/")).await.unwrap());
    let mut received = Vec::new();
    while let Some(frame) = next_frame(&mut frames).await {
        received.push(frame);
    }
    assert_eq!(received.len(), EVENTS, "{received:?}");
    assert!(
        received
            .iter()
            .all(|frame| matches!(frame, Frame::Event(_)))
    );
}
