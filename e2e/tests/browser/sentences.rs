//! The sentences example (sse-warp): five sentences, then the stream ends; the browser's
//! reconnect is answered `204 No Content` and the page stops instead of starting over.

use std::time::Duration;

use e2e::{Browser, Proxy, RequestHead};

use crate::sentences_app::{self, SENTENCES};
use crate::server::{PATIENCE, count_of, events_of, serve_warp};

const CLOSED: &str = "source.readyState === EventSource.CLOSED";

fn stream_requests(proxy: &Proxy) -> Vec<RequestHead> {
    proxy
        .requests()
        .into_iter()
        .filter(|request| request.is("GET", "/stream"))
        .collect()
}

fn all_sentences() -> Vec<(String, String)> {
    (1..)
        .zip(SENTENCES)
        .map(|(id, sentence)| (id.to_string(), sentence.to_owned()))
        .collect()
}

#[tokio::test]
async fn five_sentences_then_the_reconnect_is_refused_and_the_page_stops() {
    let Some(browser) = Browser::launch("sentences").await else {
        return;
    };
    let proxy =
        Proxy::start(serve_warp(sentences_app::routes(Duration::from_millis(30))).await).await;
    browser.goto(&proxy.url("/")).await;
    browser
        .wait_until("the source to close", CLOSED, PATIENCE)
        .await;

    let log = browser.log().await;
    assert_eq!(events_of(&log, "message"), all_sentences());
    assert_eq!(count_of(&log, "open"), 1);
    let requests = stream_requests(&proxy);
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[1].header("last-event-id"), Some("5"));
    // The page retries after 300 ms if it retries at all: a second is plenty to see it.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(stream_requests(&proxy).len(), 2);
    assert_eq!(browser.eval(&format!("return {CLOSED};")).await, true);
    browser.close().await;
}

#[tokio::test]
async fn a_cut_mid_stream_resumes_at_the_next_sentence() {
    let Some(browser) = Browser::launch("sentences: resume").await else {
        return;
    };
    let proxy =
        Proxy::start(serve_warp(sentences_app::routes(Duration::from_millis(200))).await).await;
    browser.goto(&proxy.url("/")).await;
    let two = "sseLog.filter(entry => entry.kind === 'message').length >= 2";
    browser.wait_until("two sentences", two, PATIENCE).await;
    proxy.cut();
    browser
        .wait_until("the source to close", CLOSED, PATIENCE)
        .await;

    let log = browser.log().await;
    assert_eq!(
        events_of(&log, "message"),
        all_sentences(),
        "each once, in order"
    );
    let dropped_at = log
        .iter()
        .position(|entry| entry["kind"] == "error")
        .unwrap();
    let seen_last = events_of(&log[..dropped_at], "message").pop().unwrap().0;
    let requests = stream_requests(&proxy);
    let resumed_from: Vec<Option<&str>> = requests
        .iter()
        .map(|request| request.header("last-event-id"))
        .collect();
    assert_eq!(resumed_from, [None, Some(seen_last.as_str()), Some("5")]);
    browser.close().await;
}
