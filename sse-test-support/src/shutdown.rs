//! The graceful-shutdown scenario, run by every adapter against its own server.

use std::future::Future;
use std::time::{Duration, Instant};

use sse_codec::{Event, Frame};
use sse_server::Shutdown;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::client::{PATIENCE, frames, next_event, next_frame};

/// `url` answers each request with an event whose data is `hello`, then holds the stream open
/// until `shutdown` ends it. `clients` clients connect and read their `hello`; then `shutdown`
/// is triggered with a `bye` event, and `stopped` (the server's graceful stop) must complete
/// within a second, with every client having seen `bye` and then the end of its stream.
///
/// Returns how long the stop took.
pub async fn open_streams_end_on_shutdown(
    url: &str,
    clients: usize,
    shutdown: &Shutdown,
    stopped: impl Future<Output = ()>,
) -> Duration {
    let client = reqwest::Client::new();
    let (connected, mut connections) = mpsc::unbounded_channel();
    let mut streams = JoinSet::new();
    for _ in 0..clients {
        let request = client.get(url);
        let connected = connected.clone();
        streams.spawn(async move {
            let mut frames = frames(request.send().await.expect("connect"));
            assert_eq!(next_event(&mut frames).await.data(), "hello");
            connected.send(()).expect("the test waits for every client");
            let mut after_shutdown = Vec::new();
            while let Some(frame) = next_frame(&mut frames).await {
                after_shutdown.push(frame);
            }
            after_shutdown
        });
    }
    for _ in 0..clients {
        let one = tokio::time::timeout(PATIENCE, connections.recv()).await;
        one.expect("all clients connect")
            .expect("a client task panicked");
    }

    let start = Instant::now();
    shutdown.trigger_with(Event::new("restarting").with_event_type("bye"));
    tokio::time::timeout(Duration::from_secs(1), stopped)
        .await
        .expect("server stopped within 1 s");
    let elapsed = start.elapsed();

    let bye = Frame::Event(Event::new("restarting").with_event_type("bye"));
    let mut ended = 0;
    while let Some(seen) = streams.join_next().await {
        assert_eq!(
            seen.expect("client task"),
            std::slice::from_ref(&bye),
            "the last frame, then the end"
        );
        ended += 1;
    }
    assert_eq!(ended, clients);
    elapsed
}
