//! Why HTTP/2 matters for event streams: one page opens ten `EventSource`s to its own origin.
//! Over HTTP/1.1 Chromium opens at most six connections to an origin, each held by one stream,
//! so the seventh source never opens; over HTTP/2 (TLS with ALPN `h2`, the certificate made by
//! the test, Chromium started with `--ignore-certificate-errors`) all ten share one connection
//! and all receive events.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use e2e::Browser;
use futures_util::{Stream, StreamExt, stream};
use serde_json::Value;
use sse_axum::{Event, Sse, TlsListener};

use crate::server::{PATIENCE, listen, serve};

const SOURCES: usize = 10;

/// Opens the sources in order and counts, for each, its opens and its events.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>ten sources</title>
<script>
  window.opened = [];
  window.received = [];
  for (let n = 0; n < 10; n++) {
    window.opened.push(false);
    window.received.push(0);
    const source = new EventSource("/events?n=" + n);
    source.onopen = () => { window.opened[n] = true; };
    source.onmessage = () => { window.received[n] += 1; };
  }
</script>
"#;

#[derive(serde::Deserialize)]
struct Which {
    n: usize,
}

/// A tick every 100 ms, tagged with the source's number.
async fn ticks(Query(Which { n }): Query<Which>) -> Sse<impl Stream<Item = Event>> {
    let timer = tokio::time::interval(Duration::from_millis(100));
    let ticks = stream::unfold(timer, |mut timer| async {
        timer.tick().await;
        Some(((), timer))
    });
    Sse::new(ticks.map(move |()| Event::new(format!("source {n}"))))
}

fn app() -> Router {
    Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route("/events", get(ticks))
}

/// `window.received` in the page.
async fn received(browser: &Browser) -> Vec<u64> {
    match browser.eval("return window.received;").await {
        Value::Array(counts) => counts.iter().map(|n| n.as_u64().unwrap_or(0)).collect(),
        other => panic!("window.received is not an array: {other}"),
    }
}

#[tokio::test]
async fn over_http2_all_ten_sources_receive_events() {
    let Some(browser) = Browser::launch("over_http2_all_ten_sources_receive_events").await else {
        return;
    };
    let listener = listen().await;
    let addr = listener.local_addr().unwrap();
    let config = Arc::new(sse_test_support::self_signed_server_config());
    tokio::spawn(axum::serve(TlsListener::new(listener, config), app()).into_future());

    browser.goto(&format!("https://{addr}/")).await;
    browser
        .wait_until(
            "every source to receive an event",
            "window.received.every((n) => n > 0)",
            PATIENCE,
        )
        .await;
    let protocol = browser
        .eval("return performance.getEntriesByType('navigation')[0].nextHopProtocol;")
        .await;
    assert_eq!(protocol, "h2", "the page came over HTTP/2");
    assert_eq!(received(&browser).await.len(), SOURCES);
    browser.close().await;
}

#[tokio::test]
async fn over_http1_the_seventh_source_never_opens() {
    let Some(browser) = Browser::launch("over_http1_the_seventh_source_never_opens").await else {
        return;
    };
    let addr = serve(listen().await, app());

    browser.goto(&format!("http://{addr}/")).await;
    browser
        .wait_until(
            "six sources to receive events",
            "window.received.filter((n) => n > 0).length >= 6",
            PATIENCE,
        )
        .await;
    // Twenty ticks more: time enough for a seventh connection, were there one.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let counts = received(&browser).await;
    let protocol = browser
        .eval("return performance.getEntriesByType('navigation')[0].nextHopProtocol;")
        .await;
    assert_eq!(protocol, "http/1.1");
    assert_eq!(
        counts.iter().filter(|&&n| n > 0).count(),
        6,
        "six connections per origin, one stream each: {counts:?}"
    );
    assert_eq!(counts[6], 0, "the seventh source got nothing: {counts:?}");
    assert_eq!(
        browser.eval("return window.opened[6];").await,
        Value::Bool(false),
        "the seventh source never opened"
    );
    browser.close().await;
}
