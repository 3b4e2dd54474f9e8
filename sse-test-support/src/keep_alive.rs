//! The keep-alive scenarios, run by every adapter against its own server.

use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt, stream};
use sse_codec::{Event, Frame};
use sse_server::KeepAlive;

use crate::client::{frames, next_frame};

/// The keep-alive interval of the scenarios: short, so that the tests are.
pub const KEEP_ALIVE_INTERVAL: Duration = Duration::from_millis(200);
/// The keep-alive comment of [`idle_keep_alive`].
pub const KEEP_ALIVE_TEXT: &str = "still here";
/// How many events [`busy_events`] yields.
pub const BUSY_EVENTS: usize = 20;

/// The keep-alive the idle scenario's server sets.
pub fn idle_keep_alive() -> KeepAlive {
    KeepAlive::new()
        .interval(KEEP_ALIVE_INTERVAL)
        .text(KEEP_ALIVE_TEXT)
}

/// Events every 20 ms, a tenth of [`KEEP_ALIVE_INTERVAL`], then the end: the busy scenario's
/// stream, to be served with a keep-alive of that interval.
pub fn busy_events() -> impl Stream<Item = Event> + Send {
    stream::iter(0..BUSY_EVENTS).then(|n| async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Event::new(n.to_string())
    })
}

/// `url` serves a stream that never yields, with [`idle_keep_alive`]: the client gets the
/// keep-alive comment every interval, never early.
pub async fn idle_stream_gets_keep_alive_comments(url: &str) {
    idle_stream_gets_keep_alive_comments_with(&reqwest::Client::new(), url).await;
}

/// [`idle_stream_gets_keep_alive_comments`] with the given client (over HTTP/2, say).
pub async fn idle_stream_gets_keep_alive_comments_with(client: &reqwest::Client, url: &str) {
    // From the request on: the server's interval starts before the response reaches the client,
    // so timing from the response would see a loaded machine's latency as an early comment.
    let start = Instant::now();
    let mut frames = frames(client.get(url).send().await.expect("connect"));
    for n in 1..=3 {
        assert_eq!(
            next_frame(&mut frames).await,
            Some(Frame::comment(KEEP_ALIVE_TEXT))
        );
        assert!(
            start.elapsed() >= KEEP_ALIVE_INTERVAL * n,
            "not before the interval"
        );
    }
}

/// `url` serves [`busy_events`] with a keep-alive of [`KEEP_ALIVE_INTERVAL`]: the client gets
/// every event and no keep-alive comment.
pub async fn busy_stream_gets_no_keep_alive(url: &str) {
    let mut frames = frames(reqwest::get(url).await.expect("connect"));
    let mut received = Vec::new();
    while let Some(frame) = next_frame(&mut frames).await {
        received.push(frame);
    }
    assert_eq!(received.len(), BUSY_EVENTS, "{received:?}");
    assert!(
        received
            .iter()
            .all(|frame| matches!(frame, Frame::Event(_))),
        "{received:?}"
    );
}
