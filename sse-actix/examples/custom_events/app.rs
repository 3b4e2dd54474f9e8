//! The custom-events app, apart from `main` so that the end-to-end tests run the same routes.

use std::time::Duration;

use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpResponse, Responder};
use futures_util::{Stream, StreamExt, stream};
use sse_actix::{Event, LastEventId, Shutdown, Sse};

/// How long a client waits before reconnecting.
const RETRY: Duration = Duration::from_millis(500);

/// `GET /` the page, `GET /stream` the events, one every `interval`; the streams end when the
/// app's `web::Data<Shutdown>`, if it has one, is triggered.
pub(crate) fn routes(interval: Duration) -> impl Fn(&mut ServiceConfig) + Clone {
    move |config| {
        config.route("/", web::get().to(page)).route(
            "/stream",
            web::get().to(
                move |last: LastEventId, shutdown: Option<web::Data<Shutdown>>| {
                    messages(last, shutdown, interval)
                },
            ),
        );
    }
}

async fn page() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(PAGE)
}

/// Messages numbered from the one after the client's `Last-Event-ID`, endlessly (until
/// `shutdown`).
async fn messages(
    LastEventId(last): LastEventId,
    shutdown: Option<web::Data<Shutdown>>,
    interval: Duration,
) -> impl Responder {
    // The header is the client's word, any value at all: go on after a number that can be
    // followed, start over at 1 otherwise.
    let first = last
        .id()
        .and_then(|id| id.parse::<u64>().ok())
        .and_then(|id| id.checked_add(1))
        .unwrap_or(1);
    let sse = Sse::new(numbered(first, interval).map(message)).retry(RETRY);
    match shutdown {
        Some(shutdown) => sse.shutdown(&shutdown),
        None => sse,
    }
}

/// `first`, `first + 1`, ..., one every `interval`.
fn numbered(first: u64, interval: Duration) -> impl Stream<Item = u64> {
    stream::iter(first..=u64::MAX).then(move |n| async move {
        actix_web::rt::time::sleep(interval).await;
        n
    })
}

/// Message `n`: a plain `message` event, or a `custom_event` when `n` is a multiple of three.
fn message(n: u64) -> Event {
    if n.is_multiple_of(3) {
        Event::new(format!("custom event {n}"))
            .with_event_type("custom_event")
            .with_id(n.to_string())
    } else {
        Event::new(format!("message {n}")).with_id(n.to_string())
    }
}

/// Plain HTML and JavaScript. `window.sseLog` records what the `EventSource` did, for the
/// end-to-end tests; people can read it in the console too.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>SSE custom events</title>
<style>
  body { font: 16px system-ui, sans-serif; margin: 2em; } #status { color: #666; }
  .custom_event { font-weight: bold; color: #a40; }
</style>
<h1>Messages and custom events</h1>
<p id="status">connecting…</p>
<ul id="events"></ul>
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
    status.textContent = "reconnecting…";
  };
  function show(e) {
    sseLog.push({ kind: e.type, id: e.lastEventId, data: e.data });
    const item = document.createElement("li");
    item.dataset.id = e.lastEventId;
    item.className = e.type;
    item.textContent = e.data;
    document.getElementById("events").append(item);
  }
  source.onmessage = show;
  source.addEventListener("custom_event", show);
</script>
"#;
