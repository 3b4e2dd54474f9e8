//! The broadcast app, apart from `main` so that the end-to-end tests run the same routes.

use std::time::Duration;

use sse_warp::{Event, Hub, ResumeFrom};
use warp::reply::Reply;
use warp::{Filter, Rejection};

/// How long a page waits before reconnecting.
const RETRY: Duration = Duration::from_millis(300);

/// Publishes `tick 1`, `tick 2`, ... to `hub`, one every `period`, until the hub is closed.
pub(crate) fn publish_ticks(hub: Hub, period: Duration) {
    tokio::spawn(async move {
        let mut timer = tokio::time::interval(period);
        for n in 1u64.. {
            timer.tick().await;
            // The hub gives each event its id; every subscriber gets the same one.
            let tick = Event::new(format!("tick {n}")).with_event_type("tick");
            if hub.publish(tick).is_err() {
                break;
            }
        }
    });
}

/// `GET /` the page, `GET /events` the hub's events: live ones, or, for a page that
/// reconnects, the ones it missed first.
pub(crate) fn routes(hub: Hub) -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let page = warp::path::end().map(|| warp::reply::html(PAGE));
    let events = warp::path("events")
        .and(warp::path::end())
        .and(sse_warp::last_event_id())
        .map(move |from: ResumeFrom| sse_warp::reply(hub.subscribe(from)).retry(RETRY));
    warp::get().and(page.or(events))
}

/// Plain HTML and JavaScript. `window.sseLog` records what the `EventSource` did, for the
/// end-to-end tests; people can read it in the console too.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>SSE broadcast</title>
<style>body { font: 16px system-ui, sans-serif; margin: 2em; } #status { color: #666; }</style>
<h1>Ticks, the same for everyone</h1>
<p id="status">connecting…</p>
<ul id="ticks"></ul>
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
    status.textContent = "reconnecting…";
  };
  source.addEventListener("tick", (e) => {
    sseLog.push({ kind: e.type, id: e.lastEventId, data: e.data });
    const item = document.createElement("li");
    item.dataset.id = e.lastEventId;
    item.textContent = e.data;
    document.getElementById("ticks").prepend(item);
  });
</script>
"#;
