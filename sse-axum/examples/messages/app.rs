//! The messages app, apart from `main` so that the end-to-end tests run the same routers: one
//! serves the page, the other (on another origin) the stream.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Extension;
use axum::Router;
use axum::extract::State;
use axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use futures_util::stream;
use sse_axum::{Event, LastEventId, Shutdown, Sse};

/// How long the browser waits before reconnecting after a lost connection.
const RETRY: Duration = Duration::from_millis(300);

/// What the stream sends, and to which page origin.
pub(crate) struct Settings {
    /// The origin allowed to read the stream (`Access-Control-Allow-Origin`), e.g.
    /// `http://127.0.0.1:3002`.
    pub(crate) page_origin: String,
    /// How many `new_message` events come before the `end_event`.
    pub(crate) count: u64,
    /// The pause before each message.
    pub(crate) interval: Duration,
    /// Counts the work in progress, to show it stops when a client leaves.
    pub(crate) work: Work,
}

/// Streams producing messages now, and messages produced so far.
#[derive(Clone, Debug, Default)]
pub(crate) struct Work {
    running: Arc<AtomicUsize>,
    produced: Arc<AtomicU64>,
}

impl Work {
    /// Streams that are producing messages now.
    pub(crate) fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Messages produced so far, over all streams.
    pub(crate) fn produced(&self) -> u64 {
        self.produced.load(Ordering::SeqCst)
    }

    fn start(&self) -> Producing {
        self.running.fetch_add(1, Ordering::SeqCst);
        Producing(self.clone())
    }
}

/// One stream's share of the work: dropped with the stream, when the client leaves or the
/// stream ends.
struct Producing(Work);

impl Drop for Producing {
    fn drop(&mut self) {
        let work = &self.0;
        work.running.fetch_sub(1, Ordering::SeqCst);
        println!(
            "a stream stopped: {} still producing, {} messages produced in all",
            work.running(),
            work.produced()
        );
    }
}

/// The page, which reads its events from `stream_url` (plain ASCII without quotes, as an URL of
/// ours is).
pub(crate) fn page_router(stream_url: &str) -> Router {
    let page = PAGE.replace("STREAM_URL", stream_url);
    Router::new().route("/", get(move || async move { Html(page) }))
}

/// `GET /stream`: the messages after the client's `Last-Event-ID`, then the end; a stream ends
/// early when the router's `Extension<Shutdown>`, if it has one, is triggered.
pub(crate) fn stream_router(settings: Settings) -> Router {
    Router::new()
        .route("/stream", get(messages))
        .with_state(Arc::new(settings))
}

async fn messages(
    State(settings): State<Arc<Settings>>,
    LastEventId(last): LastEventId,
    shutdown: Option<Extension<Shutdown>>,
) -> impl IntoResponse {
    // Ids are the message numbers, so a reconnecting client resumes after the last one it saw.
    let first = last
        .id()
        .and_then(|id| id.parse::<u64>().ok())
        .map_or(1, |id| id.saturating_add(1));
    let state = (first, Some(settings.work.start()), Arc::clone(&settings));
    let events = stream::unfold(state, |(n, producing, settings)| async move {
        // `producing` is dropped when the stream is, ending the work with the connection.
        let producing = producing?;
        if n > settings.count {
            let end = Event::new("no more messages").with_event_type("end_event");
            return Some((end, (n, None, settings)));
        }
        tokio::time::sleep(settings.interval).await;
        settings.work.produced.fetch_add(1, Ordering::SeqCst);
        let message = Event::new(format!("message {n} of {}", settings.count))
            .with_event_type("new_message")
            .with_id(n.to_string());
        Some((message, (n + 1, Some(producing), settings)))
    });
    // EventSource asks without credentials, so naming the one allowed origin is enough.
    let cors = [(ACCESS_CONTROL_ALLOW_ORIGIN, settings.page_origin.clone())];
    let sse = Sse::new(events).retry(RETRY);
    let sse = match shutdown {
        Some(Extension(shutdown)) => sse.shutdown(&shutdown),
        None => sse,
    };
    (cors, sse)
}

/// Plain HTML and JavaScript. `window.sseLog` records what the `EventSource` did, for the
/// end-to-end tests; people can read it in the console too.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>SSE messages</title>
<style>body { font: 16px system-ui, sans-serif; margin: 2em; } #status { color: #666; }</style>
<h1>Messages</h1>
<p id="status">connecting…</p>
<ol id="messages"></ol>
<script>
  window.sseLog = [];
  const status = document.getElementById("status");
  const source = new EventSource("STREAM_URL");
  source.onopen = () => {
    sseLog.push({ kind: "open" });
    status.textContent = "connected";
  };
  source.onerror = () => {
    sseLog.push({ kind: "error", readyState: source.readyState });
    status.textContent = "reconnecting…";
  };
  source.addEventListener("new_message", (e) => {
    sseLog.push({ kind: e.type, id: e.lastEventId, data: e.data });
    const item = document.createElement("li");
    item.dataset.id = e.lastEventId;
    item.textContent = e.data;
    document.getElementById("messages").append(item);
  });
  source.addEventListener("end_event", (e) => {
    source.close();
    sseLog.push({ kind: e.type, data: e.data, readyState: source.readyState });
    status.textContent = "done: " + e.data;
  });
</script>
"#;
