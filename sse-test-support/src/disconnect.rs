//! The disconnect scenario, run by every adapter against its own server.

use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt, stream};
use sse_codec::Event;
use tokio::sync::mpsc;

use crate::client::{frames, next_event};

/// Watches the streams it makes: each sends `hello`, then waits forever, and reports when the
/// server drops it.
#[derive(Debug)]
pub struct DropWatch {
    dropped: mpsc::UnboundedSender<()>,
    drops: mpsc::UnboundedReceiver<()>,
}

/// Reports its drop; it lives inside a watched stream.
struct DropGuard(mpsc::UnboundedSender<()>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

impl DropWatch {
    /// A watch that has seen no drop.
    pub fn new() -> Self {
        let (dropped, drops) = mpsc::unbounded_channel();
        DropWatch { dropped, drops }
    }

    /// A handle that makes watched streams, for the server's handler.
    pub fn streams(&self) -> WatchedStreams {
        WatchedStreams(self.dropped.clone())
    }
}

impl Default for DropWatch {
    fn default() -> Self {
        DropWatch::new()
    }
}

/// Makes the streams a [`DropWatch`] watches; cheap to clone into a handler.
#[derive(Clone, Debug)]
pub struct WatchedStreams(mpsc::UnboundedSender<()>);

impl WatchedStreams {
    /// `hello`, then nothing, forever; its drop is reported to the watch.
    pub fn hello_then_wait(&self) -> impl Stream<Item = Event> + Send + use<> {
        let guard = DropGuard(self.0.clone());
        stream::iter([Event::new("hello")])
            .chain(stream::pending())
            .map(move |event| {
                let _ = &guard;
                event
            })
    }
}

/// `url` serves a stream made by `watch`: a client reads `hello` and goes away; the server must
/// drop the stream within a second. Returns how long it took.
pub async fn disconnect_drops_the_stream(url: &str, watch: &mut DropWatch) -> Duration {
    disconnect_drops_the_stream_with(&reqwest::Client::new(), url, watch).await
}

/// [`disconnect_drops_the_stream`] with the given client; over HTTP/2 the client cancels its
/// stream (`RST_STREAM`) and the connection may well stay open for others.
pub async fn disconnect_drops_the_stream_with(
    client: &reqwest::Client,
    url: &str,
    watch: &mut DropWatch,
) -> Duration {
    let mut frames = frames(client.get(url).send().await.expect("connect"));
    assert_eq!(next_event(&mut frames).await.data(), "hello");
    assert!(
        watch.drops.try_recv().is_err(),
        "the stream lives while the client listens"
    );
    let start = Instant::now();
    drop(frames);
    let dropped_in_time = tokio::time::timeout(Duration::from_secs(1), watch.drops.recv()).await;
    assert_eq!(dropped_in_time, Ok(Some(())), "stream dropped within 1 s");
    start.elapsed()
}
