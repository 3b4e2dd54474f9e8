//! A launch countdown: a page at `/` whose `EventSource` shows `count` events from `/events`,
//! then a `liftoff` event.
//!
//! ```sh
//! cargo run -p sse-warp --example countdown
//! # then open http://127.0.0.1:3030, or:
//! curl -N http://127.0.0.1:3030/events
//! curl -N -H 'Last-Event-ID: 4' http://127.0.0.1:3030/events   # resumes at 3
//! ```
//!
//! Each event's ID is the number of seconds left, so a page that reconnects (reload the server
//! mid-count) resumes where it was instead of starting over. Ctrl-C ends every stream with a last
//! `bye` event and the server stops even while pages are connected. Set `COUNTDOWN_ADDR` to
//! listen elsewhere.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};
use sse_warp::{DEFAULT_WRITE_TIMEOUT, Event, KeepAlive, ResumeFrom, Shutdown};
use warp::Filter;

const START: u64 = 10;
const SECOND: Duration = Duration::from_secs(1);

#[tokio::main]
async fn main() {
    let addr: SocketAddr = std::env::var("COUNTDOWN_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:3030".to_owned())
        .parse()
        .expect("COUNTDOWN_ADDR is an address like 127.0.0.1:3030");
    let shutdown = Shutdown::new();

    let page = warp::path::end().map(|| warp::reply::html(PAGE));
    let events = warp::path("events")
        .and(warp::path::end())
        .and(sse_warp::last_event_id())
        .map({
            let shutdown = shutdown.clone();
            move |last: ResumeFrom| {
                sse_warp::reply(countdown(last))
                    .retry(Duration::from_secs(2))
                    .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
                    .shutdown(&shutdown)
            }
        });
    let routes = warp::get().and(page.or(events));

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .unwrap_or_else(|error| panic!("cannot listen on {addr}: {error}"));
    println!(
        "countdown on http://{}",
        listener.local_addr().expect("a bound address")
    );
    let signal = async move {
        let _ = tokio::signal::ctrl_c().await;
        shutdown.trigger_with(Event::new("server stopping").with_event_type("bye"));
    };
    // A page that stops reading is dropped once its writes have been blocked for the timeout,
    // so it can hold neither a connection nor the shutdown (warp's own server holds both).
    sse_warp::serve(
        warp::service(routes),
        listener,
        DEFAULT_WRITE_TIMEOUT,
        signal,
    )
    .await;
}

/// One `count` event a second down to 1, then `liftoff`; a client that saw `n` last goes on
/// from `n - 1`. Any other value (the header is the client's word) starts from the top.
pub(crate) fn countdown(last: ResumeFrom) -> impl Stream<Item = Event> + Send + 'static {
    let first = last
        .id()
        .and_then(|id| id.parse::<u64>().ok())
        .filter(|&seen| seen <= START)
        .map_or(START, |seen| seen.saturating_sub(1));
    let counts = stream::iter((1..=first).rev()).then(|left| async move {
        tokio::time::sleep(SECOND).await;
        Event::new(left.to_string())
            .with_event_type("count")
            .with_id(left.to_string())
    });
    let liftoff = stream::once(async {
        tokio::time::sleep(SECOND).await;
        Event::new("liftoff")
            .with_event_type("liftoff")
            .with_id("0")
    });
    counts.chain(liftoff)
}

const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>Countdown</title>
<style>
  body { font: 16px system-ui, sans-serif; text-align: center; margin-top: 20vh; }
  #count { font-size: 8rem; font-variant-numeric: tabular-nums; }
</style>
<div id="count">…</div>
<p id="status">connecting</p>
<script>
  const count = document.getElementById("count");
  const status = document.getElementById("status");
  const source = new EventSource("/events");
  source.onopen = () => { status.textContent = "live"; };
  source.onerror = () => { status.textContent = "reconnecting"; };
  source.addEventListener("count", (e) => { count.textContent = e.data; });
  source.addEventListener("liftoff", () => {
    count.textContent = "🚀";
    status.textContent = "liftoff";
    source.close();
  });
  source.addEventListener("bye", (e) => { status.textContent = e.data; });
</script>
"#;
