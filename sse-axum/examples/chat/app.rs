//! The chat app, apart from `main` so that the end-to-end tests run the same router.

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use sse_axum::{Event, Hub, LastEventId, Sse, Subscription};

/// Longest message accepted, in bytes.
pub(crate) const MAX_MESSAGE_LEN: usize = 2000;

/// Longest sender name accepted, in bytes.
pub(crate) const MAX_NAME_LEN: usize = 40;

/// Largest request body read: a message and a name at their limits, JSON-escaped. Checked by
/// the extractor as the body arrives, so a larger one is refused without being buffered.
pub(crate) const MAX_BODY_LEN: usize = 6 * (MAX_MESSAGE_LEN + MAX_NAME_LEN) + 64;

/// How long a page waits before reconnecting: short, so a dropped page catches up quickly.
const RETRY: Duration = Duration::from_millis(500);

/// `GET /` the page, `GET /events` the stream of `chat` events, `POST /messages` publishes one
/// to every page. The body is JSON, `{"name": "...", "text": "..."}`, and each `chat` event's
/// data is the same JSON, so a page shows the sender apart from the text.
pub(crate) fn router(hub: Hub) -> Router {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route("/events", get(events))
        .route(
            "/messages",
            post(post_message).layer(DefaultBodyLimit::max(MAX_BODY_LEN)),
        )
        .with_state(hub)
}

/// Live messages, or, for a page that reconnects, the ones it missed first.
async fn events(State(hub): State<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(from)).retry(RETRY)
}

/// Publishes a message. `Json` answers a body that is not `application/json` with 415: no
/// HTML form and no "simple" cross-site `fetch` can send that type without the browser asking
/// this server first (a CORS preflight, which it does not answer), so another site cannot post
/// as the user. A request whose `Origin` is another site is refused as well.
async fn post_message(
    State(hub): State<Hub>,
    headers: HeaderMap,
    Json(message): Json<Value>,
) -> StatusCode {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN;
    }
    let (Some(name), Some(text)) = (message["name"].as_str(), message["text"].as_str()) else {
        return StatusCode::UNPROCESSABLE_ENTITY;
    };
    let (name, text) = (name.trim(), text.trim());
    let name = if name.is_empty() { "anonymous" } else { name };
    if text.is_empty() {
        return StatusCode::BAD_REQUEST;
    }
    if text.len() > MAX_MESSAGE_LEN || name.len() > MAX_NAME_LEN {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    // The hub gives the event its id; the JSON keeps the name apart from the text, whatever
    // either holds.
    let data = json!({ "name": name, "text": text }).to_string();
    match hub.publish(Event::new(data).with_event_type("chat")) {
        Ok(_) => StatusCode::NO_CONTENT,
        Err(_closed) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// No `Origin` (a client that is not a browser, such as curl), or this server's own.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok());
    match (origin.to_str(), host) {
        (Ok(origin), Some(host)) => origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host)),
        _ => false,
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
  #messages .name { font-weight: bold; margin-right: .5em; }
  #messages .name::after { content: ":"; }
  #messages .notice { color: #a60; font-style: italic; }
  #status { color: #666; }
</style>
<h1>Chat</h1>
<ul id="messages"></ul>
<form id="say">
  <input id="name" placeholder="name" size="10" maxlength="40">
  <input id="text" placeholder="message" size="40" autocomplete="off">
  <button>Send</button>
</form>
<p id="status">connecting…</p>
<script>
  window.sseLog = [];
  const status = document.getElementById("status");
  const messages = document.getElementById("messages");
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
    const { name, text } = JSON.parse(e.data);
    const item = document.createElement("li");
    item.dataset.id = e.lastEventId;
    const sender = document.createElement("span");
    sender.className = "name";
    sender.textContent = name;
    const body = document.createElement("span");
    body.className = "text";
    body.textContent = text;
    item.append(sender, body);
    messages.append(item);
  });
  // The server could not replay everything this page missed (it was away too long, or the
  // server restarted): say so instead of showing a conversation with a silent gap.
  source.addEventListener("resync", (e) => {
    sseLog.push({ kind: e.type, data: e.data });
    const notice = document.createElement("li");
    notice.className = "notice";
    notice.textContent = "Some messages were missed while this page was away.";
    messages.append(notice);
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
    const response = await fetch("/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, text: text.value }),
    });
    if (response.ok) text.value = "";
    else status.textContent = "not sent: " + response.status;
  };
</script>
"#;
