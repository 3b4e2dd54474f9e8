//! The HTTP/2 scenarios, run by every adapter against its own server, over TLS (ALPN `h2`) and
//! in cleartext with prior knowledge.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};
use sse_codec::Event;
use tokio::sync::Notify;

use crate::client::{PATIENCE, frames, next_event};
use crate::disconnect::{DropWatch, disconnect_drops_the_stream_with};
use crate::keep_alive::idle_stream_gets_keep_alive_comments_with;

/// Where a server under [`http2_scenarios`] serves [`Paced::events`].
pub const PACED_PATH: &str = "/paced";
/// Where it serves a stream that never yields, with [`idle_keep_alive`](crate::idle_keep_alive).
pub const IDLE_PATH: &str = "/idle";
/// Where it serves [`WatchedStreams::hello_then_wait`](crate::WatchedStreams::hello_then_wait),
/// with a keep-alive interval of at most [`KEEP_ALIVE_INTERVAL`](crate::KEEP_ALIVE_INTERVAL)
/// where the framework notices a cancelled HTTP/2 stream only when it next writes to it.
pub const WATCHED_PATH: &str = "/watched";
/// How many events [`Paced::events`] yields.
pub const PACED_EVENTS: usize = 5;

/// Headers that name a connection's own state. HTTP/2 has no such thing and forbids them (RFC
/// 9113, section 8.2.2: a response carrying one is malformed), so none may be on a response.
pub const CONNECTION_SPECIFIC_HEADERS: [&str; 5] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
];

/// Events that the test releases one at a time: the server yields event `n` only after the
/// `n`th [`release`](Paced::release), so a client that sees each one before the next is
/// released sees them as they are sent, not batched.
#[derive(Clone, Debug, Default)]
pub struct Paced {
    released: Arc<Notify>,
}

impl Paced {
    /// Nothing released yet.
    pub fn new() -> Self {
        Paced::default()
    }

    /// Events `0..PACED_EVENTS`, each once released, then the end.
    pub fn events(&self) -> impl Stream<Item = Event> + Send + use<> {
        let released = Arc::clone(&self.released);
        stream::iter(0..PACED_EVENTS).then(move |n| {
            let released = Arc::clone(&released);
            async move {
                released.notified().await;
                Event::new(n.to_string())
            }
        })
    }

    /// Lets the next event go.
    pub fn release(&self) {
        self.released.notify_one();
    }
}

/// `base` (a URL without a trailing slash) serves [`PACED_PATH`], [`IDLE_PATH`] and
/// [`WATCHED_PATH`] (with `paced` and `watch`); `client` reaches it over HTTP/2. Every
/// response is HTTP/2 without a connection-specific header; paced events arrive one by one as
/// they are released; an idle stream gets its keep-alive comments; a client that goes away
/// ends the server's stream.
pub async fn http2_scenarios(
    client: &reqwest::Client,
    base: &str,
    paced: &Paced,
    watch: &mut DropWatch,
) {
    events_arrive_one_by_one(client, &format!("{base}{PACED_PATH}"), paced).await;
    idle_stream_gets_keep_alive_comments_with(client, &format!("{base}{IDLE_PATH}")).await;
    disconnect_drops_the_stream_with(client, &format!("{base}{WATCHED_PATH}"), watch).await;
}

/// Checks what every HTTP/2 event-stream response must be: HTTP/2, 200, `text/event-stream`,
/// and no connection-specific header.
pub fn assert_http2_event_stream(response: &reqwest::Response) {
    assert_eq!(
        response.version(),
        reqwest::Version::HTTP_2,
        "served over HTTP/2"
    );
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream");
    for name in CONNECTION_SPECIFIC_HEADERS {
        assert!(
            !headers.contains_key(name),
            "connection-specific header {name} on an HTTP/2 response: {headers:?}"
        );
    }
}

async fn events_arrive_one_by_one(client: &reqwest::Client, url: &str, paced: &Paced) {
    let response = client.get(url).send().await.expect("connect");
    assert_http2_event_stream(&response);
    let mut frames = frames(response);
    for n in 0..PACED_EVENTS {
        let early = tokio::time::timeout(Duration::from_millis(50), frames.next()).await;
        assert!(
            early.is_err(),
            "event {n} came before it was sent: {early:?}"
        );
        paced.release();
        assert_eq!(next_event(&mut frames).await.data(), n.to_string());
    }
    let end = tokio::time::timeout(PATIENCE, frames.next()).await;
    assert!(
        matches!(end, Ok(None)),
        "the stream ends after the last event: {end:?}"
    );
}
