//! The sentences app, apart from `main` so that the end-to-end tests run the same routes.

use std::time::Duration;

use futures_util::{StreamExt, stream};
use sse_warp::{Event, ResumeFrom};
use warp::http::StatusCode;
use warp::reply::{Reply, Response};
use warp::{Filter, Rejection};

/// What the stream says, one sentence per event.
pub(crate) const SENTENCES: [&str; 5] = [
    "Server-Sent Events are plain HTTP.",
    "The server keeps the response open and writes events into it.",
    "The browser's EventSource reads them as they come.",
    "When the connection drops, the browser reconnects by itself.",
    "It sends the id of the last event it saw, so nothing is repeated.",
];

/// How long the browser waits before reconnecting.
const RETRY: Duration = Duration::from_millis(300);

/// `GET /` the page, `GET /stream` the sentences after the client's `Last-Event-ID`, one every
/// `interval`.
pub(crate) fn routes(
    interval: Duration,
) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let page = warp::path::end().map(|| warp::reply::html(PAGE));
    let sentences = warp::path("stream")
        .and(warp::path::end())
        .and(sse_warp::last_event_id())
        .map(move |last: ResumeFrom| sentences_after(last, interval));
    warp::get().and(page.or(sentences))
}

fn sentences_after(last: ResumeFrom, interval: Duration) -> Response {
    // Ids are sentence numbers from 1; anything else starts from the beginning.
    let seen = last
        .id()
        .and_then(|id| id.parse::<usize>().ok())
        .map_or(0, |id| id.min(SENTENCES.len()));
    if seen == SENTENCES.len() {
        // A reconnect after the last sentence: 204 makes EventSource close, not start over.
        return StatusCode::NO_CONTENT.into_response();
    }
    let events = stream::iter(seen..SENTENCES.len()).then(move |index| async move {
        tokio::time::sleep(interval).await;
        Event::new(SENTENCES[index]).with_id((index + 1).to_string())
    });
    sse_warp::reply(events).retry(RETRY).into_response()
}

/// Plain HTML and JavaScript. `window.sseLog` records what the `EventSource` did, for the
/// end-to-end tests; people can read it in the console too.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>SSE sentences</title>
<style>body { font: 16px system-ui, sans-serif; margin: 2em; } #status { color: #666; }</style>
<h1>Five sentences</h1>
<p id="status">connecting…</p>
<ol id="sentences"></ol>
<script>
  window.sseLog = [];
  const status = document.getElementById("status");
  const source = new EventSource("/stream");
  source.onopen = () => {
    sseLog.push({ kind: "open" });
    status.textContent = "connected";
  };
  source.onerror = () => {
    sseLog.push({ kind: "error", readyState: source.readyState });
    status.textContent = source.readyState === EventSource.CLOSED ? "done" : "reconnecting…";
  };
  source.onmessage = (e) => {
    sseLog.push({ kind: e.type, id: e.lastEventId, data: e.data });
    const item = document.createElement("li");
    item.dataset.id = e.lastEventId;
    item.textContent = e.data;
    document.getElementById("sentences").append(item);
  };
</script>
"#;
