//! A live price ticker: a page at `/` whose `EventSource` listens to named `price` events from
//! `/events`.
//!
//! ```sh
//! cargo run -p sse-axum --example ticker
//! # then open http://127.0.0.1:3000, or:
//! curl -N http://127.0.0.1:3000/events
//! curl -N -H 'Last-Event-ID: 41' http://127.0.0.1:3000/events   # resumes at 42
//! ```
//!
//! With `--tls` it serves HTTPS instead, HTTP/2 (and HTTP/1.1 for a client that asks for it by
//! ALPN) on the same address, with a self-signed certificate made at start: the browser warns
//! once, and curl needs `-k`. Over HTTP/2 every tab shares one connection, so a seventh tab
//! still gets prices (over HTTP/1.1 a browser stops at six connections per origin):
//!
//! ```sh
//! cargo run -p sse-axum --example ticker -- --tls
//! curl -kN https://127.0.0.1:3000/events     # curl --http2 by default over TLS
//! ```
//!
//! Each price is a pure function of its event ID, so a client that reconnects with
//! `Last-Event-ID` picks up exactly where it left off. Ctrl-C ends every stream with a last `bye`
//! event and the server stops even while pages are connected: at once, or within the write
//! timeout (30 s) when a page has stopped reading. Set `TICKER_ADDR` to listen
//! elsewhere.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use futures_util::{Stream, StreamExt, stream};
use sse_axum::{
    DEFAULT_WRITE_TIMEOUT, Event, KeepAlive, LastEventId, Shutdown, Sse, TlsListener,
    WriteTimeoutListener,
};

const SYMBOLS: [&str; 3] = ["ACME", "GLOBEX", "INITECH"];
const TICK: Duration = Duration::from_millis(700);

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("TICKER_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let shutdown = Shutdown::new();
    let app = Router::new().route("/", get(page)).route(
        "/events",
        get({
            let shutdown = shutdown.clone();
            move |last: LastEventId| prices(last, shutdown.clone())
        }),
    );

    let tls = std::env::args().skip(1).any(|arg| arg == "--tls");
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    let scheme = if tls { "https" } else { "http" };
    println!("price ticker on {scheme}://{}", listener.local_addr()?);
    // A page that stops reading is dropped once its writes have been blocked for the timeout,
    // and a connection still open that long after Ctrl-C (an HTTP/2 stream held by flow
    // control) is dropped then: neither can hold a connection or the shutdown.
    let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT)
        .drop_after_shutdown(&shutdown, DEFAULT_WRITE_TIMEOUT);
    let signal = async move {
        let _ = tokio::signal::ctrl_c().await;
        shutdown.trigger_with(Event::new("server stopping").with_event_type("bye"));
    };
    if tls {
        println!("HTTP/2 and HTTP/1.1 by ALPN; the certificate is self-signed, made just now");
        let config = Arc::new(sse_test_support::self_signed_server_config());
        axum::serve(TlsListener::new(listener, config), app)
            .with_graceful_shutdown(signal)
            .await
    } else {
        axum::serve(listener, app)
            .with_graceful_shutdown(signal)
            .await
    }
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

/// One `price` event per tick, starting after the event the client saw last.
pub(crate) async fn prices(
    LastEventId(last): LastEventId,
    shutdown: Shutdown,
) -> Sse<impl Stream<Item = Event>> {
    // The header is the client's word, any value at all: go on after an id that can be
    // followed, start over otherwise; never `id + 1` on what the client sent.
    let first = last
        .id()
        .and_then(|id| id.parse::<u64>().ok())
        .and_then(|id| id.checked_add(1))
        .unwrap_or(0);
    let ticks = stream::unfold(tokio::time::interval(TICK), |mut timer| async {
        timer.tick().await;
        Some(((), timer))
    });
    let events = ticks.zip(stream::iter(first..=u64::MAX)).map(|((), id)| {
        let (symbol, price) = quote(id);
        Event::new(format!(r#"{{"symbol":"{symbol}","price":{price:.2}}}"#))
            .with_event_type("price")
            .with_id(id.to_string())
    });
    Sse::new(events)
        .retry(Duration::from_secs(2))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .shutdown(&shutdown)
}

/// The quote of event `id`: the symbols take turns, and each price wanders around 100 as a
/// deterministic function of the ID (so a resumed stream continues the same series).
fn quote(id: u64) -> (&'static str, f64) {
    let symbol = SYMBOLS[(id % SYMBOLS.len() as u64) as usize];
    let round = (id / SYMBOLS.len() as u64) as f64;
    let mut noise = id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    noise ^= noise >> 29;
    let jitter = (noise % 1000) as f64 / 1000.0 - 0.5;
    let offset = (id % SYMBOLS.len() as u64) as f64 * 37.0;
    (symbol, 100.0 + offset + 4.0 * (round / 9.0).sin() + jitter)
}

const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>SSE price ticker</title>
<style>
  body { font: 16px system-ui, sans-serif; margin: 2em; }
  td { padding: .3em 1em; } .up { color: #080; } .down { color: #b00; }
</style>
<h1>Price ticker</h1>
<table id="prices"></table>
<p id="status">connecting…</p>
<script>
  const rows = {};
  const status = document.getElementById("status");
  const source = new EventSource("/events");
  source.onopen = () => { status.textContent = "live"; };
  source.onerror = () => { status.textContent = "reconnecting…"; };
  source.addEventListener("price", (e) => {
    const { symbol, price } = JSON.parse(e.data);
    let row = rows[symbol];
    if (!row) {
      row = rows[symbol] = document.getElementById("prices").insertRow();
      row.insertCell().textContent = symbol;
      row.insertCell();
      row.price = price;
    }
    row.cells[1].textContent = price.toFixed(2);
    row.cells[1].className = price >= row.price ? "up" : "down";
    row.price = price;
    status.textContent = "live, last event " + e.lastEventId;
  });
  source.addEventListener("bye", (e) => { status.textContent = e.data; });
</script>
"#;
