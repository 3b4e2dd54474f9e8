//! The chat app, apart from `main` so that the end-to-end tests run the same router.

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::routing::get;
use sse_axum::{Event, Hub, LastEventId, Sse, Subscription};

/// Longest message accepted, in bytes.
const MAX_MESSAGE_LEN: usize = 2000;

/// How long a page waits before reconnecting: short, so a dropped page catches up quickly.
const RETRY: Duration = Duration::from_millis(500);

/// `GET /` the page, `GET /events` the stream of `chat` events, `POST /messages` (the body is
/// the message as plain text) publishes one to every page.
pub(crate) fn router(hub: Hub) -> Router {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route("/events", get(events))
        .route("/messages", axum::routing::post(post_message))
        .with_state(hub)
}

/// Live messages, or, for a page that reconnects, the ones it missed first.
async fn events(State(hub): State<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(from)).retry(RETRY)
}

async fn post_message(State(hub): State<Hub>, text: String) -> StatusCode {
    let text = text.trim();
    if text.is_empty() {
        return StatusCode::BAD_REQUEST;
    }
    if text.len() > MAX_MESSAGE_LEN {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    // The hub gives the event its id; the data may hold any text, line breaks included.
    match hub.publish(Event::new(text).with_event_type("chat")) {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_closed) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Plain HTML and JavaScript. `window.sseLog` records what the `EventSource` did, for the
/// end-to-end tests; people can read it in the console too.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>SSE chat</title>
<style>
  body { font: 16px system-ui, sans-serif; margin: 2em; max-width: 40em; }
  #messages { list-style: none; padding: 0; } #messages li { padding: .2em 0; white-space: pre-wrap; }
  #status { color: #666; }
</style>
<h1>Chat</h1>
<ul id="messages"></ul>
<form id="say">
  <input id="name" placeholder="name" size="10">
  <input id="text" placeholder="message" size="40" autocomplete="off">
  <button>Send</button>
</form>
<p id="status">connecting…</p>
<script>
  window.sseLog = [];
  const status = document.getElementById("status");
  const source = new EventSource("/events");
  source.onopen = () => {
    sseLog.push({ kind: "open" });
    status.textContent = "connected";
  };
  source.onerror = () => {
    sseLog.push({ kind: "error", readyState: source.readyState });
    status.textContent = source.readyState === EventSource.CLOSED ? "closed" : "reconnecting…";
  };
  source.addEventListener("chat", (e) => {
    sseLog.push({ kind: e.type, id: e.lastEventId, data: e.data });
    const item = document.createElement("li");
    item.dataset.id = e.lastEventId;
    item.textContent = e.data;
    document.getElementById("messages").append(item);
  });
  source.addEventListener("bye", (e) => {
    sseLog.push({ kind: e.type, data: e.data });
    status.textContent = e.data;
    source.close();
  });
  document.getElementById("say").onsubmit = async (e) => {
    e.preventDefault();
    const text = document.getElementById("text");
    const name = document.getElementById("name").value.trim() || "anonymous";
    if (!text.value.trim()) return;
    const response = await fetch("/messages", { method: "POST", body: name + ": " + text.value });
    if (response.ok) text.value = "";
    else status.textContent = "not sent: " + response.status;
  };
</script>
"#;
