//! The messages example (sse-axum): a page on one origin reads a stream on another; twenty
//! `new_message` events, then `end_event`, after which the page closes the source for good.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use e2e::{Browser, Proxy};

use crate::messages_app::{self, Settings, Work};
use crate::server::{PATIENCE, count_of, events_of, listen, serve};

/// The page's server and the stream's, behind a proxy, on different origins.
struct Site {
    page: SocketAddr,
    proxy: Proxy,
    work: Work,
}

async fn site(count: u64, interval: Duration) -> Site {
    let page_listener = listen().await;
    let page_origin = format!("http://{}", page_listener.local_addr().unwrap());
    let work = Work::default();
    let settings = Settings {
        page_origin,
        count,
        interval,
        work: work.clone(),
    };
    let stream = serve(listen().await, messages_app::stream_router(settings));
    let proxy = Proxy::start(stream).await;
    let page = serve(
        page_listener,
        messages_app::page_router(&proxy.url("/stream")),
    );
    Site { page, proxy, work }
}

fn expected_messages(ids: std::ops::RangeInclusive<u64>) -> Vec<(String, String)> {
    ids.map(|n| (n.to_string(), format!("message {n} of 20")))
        .collect()
}

fn stream_requests(proxy: &Proxy) -> Vec<e2e::RequestHead> {
    proxy
        .requests()
        .into_iter()
        .filter(|request| request.is("GET", "/stream"))
        .collect()
}

const ENDED: &str = "sseLog.some(entry => entry.kind === 'end_event')";

#[tokio::test]
async fn cross_origin_messages_render_and_end_event_closes_the_source_for_good() {
    let Some(browser) = Browser::launch("messages: end_event").await else {
        return;
    };
    let site = site(20, Duration::from_millis(20)).await;
    browser.goto(&format!("http://{}/", site.page)).await;
    browser.wait_until("end_event", ENDED, PATIENCE).await;

    let log = browser.log().await;
    assert_eq!(events_of(&log, "new_message"), expected_messages(1..=20));
    let rendered = browser
        .eval("return [...document.querySelectorAll('#messages li')].map(li => li.dataset.id);")
        .await;
    let ids: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(rendered, serde_json::json!(ids));
    let end = log
        .iter()
        .find(|entry| entry["kind"] == "end_event")
        .unwrap();
    assert_eq!(end["readyState"], 2, "closed by the end_event listener");

    // The stream asked the browser to retry after 300 ms: a second for a reconnect to show.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(browser.eval("return source.readyState;").await, 2);
    let requests = stream_requests(&site.proxy);
    assert_eq!(
        requests.len(),
        1,
        "no request after end_event: {requests:?}"
    );
    assert_eq!(count_of(&browser.log().await, "error"), 0);
    assert_eq!(site.work.running(), 0);
    browser.close().await;
}

#[tokio::test]
async fn a_dropped_stream_resumes_after_the_last_message_the_page_saw() {
    let Some(browser) = Browser::launch("messages: resume").await else {
        return;
    };
    let site = site(20, Duration::from_millis(60)).await;
    browser.goto(&format!("http://{}/", site.page)).await;
    let some = "sseLog.filter(entry => entry.kind === 'new_message').length >= 5";
    browser.wait_until("five messages", some, PATIENCE).await;
    site.proxy.cut();
    browser.wait_until("end_event", ENDED, PATIENCE).await;

    let log = browser.log().await;
    assert_eq!(
        events_of(&log, "new_message"),
        expected_messages(1..=20),
        "each once, in order"
    );
    assert_eq!(count_of(&log, "open"), 2);
    // The id the page held when the connection dropped is the one it sent back.
    let dropped_at = log
        .iter()
        .position(|entry| entry["kind"] == "error")
        .unwrap();
    let seen_last = events_of(&log[..dropped_at], "new_message")
        .pop()
        .unwrap()
        .0;
    let requests = stream_requests(&site.proxy);
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].header("last-event-id"), None);
    assert_eq!(
        requests[1].header("last-event-id"),
        Some(seen_last.as_str())
    );
    browser.close().await;
}

#[tokio::test]
async fn the_work_stops_when_the_tab_is_closed() {
    let Some(browser) = Browser::launch("messages: client leaves").await else {
        return;
    };
    let site = site(1000, Duration::from_millis(100)).await;
    browser.goto(&format!("http://{}/", site.page)).await;
    let two = "sseLog.filter(entry => entry.kind === 'new_message').length >= 2";
    browser.wait_until("two messages", two, PATIENCE).await;
    assert_eq!(site.work.running(), 1);

    // The user closes the tab. (Navigating the tab elsewhere was seen to keep the connection
    // open in headless Chromium 156: the page may be kept for going back.)
    let other = browser.new_tab().await;
    browser.close_tab().await;
    browser.switch_to(&other).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while site.work.running() != 0 {
        assert!(
            Instant::now() < deadline,
            "the stream still produces after the page left"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let produced = site.work.produced();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        site.work.produced(),
        produced,
        "no message is made for nobody"
    );
    browser.close().await;
}
