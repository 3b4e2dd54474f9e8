//! The custom-events example (sse-actix): plain messages reach `onmessage`, every third one is
//! a `custom_event` that reaches its own listener, and a cut connection resumes where it was.

use std::time::Duration;

use e2e::{Browser, Proxy};
use serde_json::Value;

use crate::custom_events_app;
use crate::server::{ActixServer, PATIENCE, count_of};

/// The events in a page's log, as (type, id, data).
fn events_in(log: &[Value]) -> Vec<(String, String, String)> {
    log.iter()
        .filter(|entry| entry.get("id").is_some())
        .map(|entry| {
            let text = |field: &str| entry[field].as_str().unwrap_or_default().to_owned();
            (text("kind"), text("id"), text("data"))
        })
        .collect()
}

#[tokio::test]
async fn plain_and_custom_events_reach_their_listeners_and_resume_after_a_cut() {
    let Some(browser) = Browser::launch("custom_events").await else {
        return;
    };
    let server = ActixServer::start(custom_events_app::routes(Duration::from_millis(50)));
    let proxy = Proxy::start(server.addr()).await;
    browser.goto(&proxy.url("/")).await;
    let received = |n: usize| format!("sseLog.filter(entry => 'id' in entry).length >= {n}");
    browser
        .wait_until("four events", &received(4), PATIENCE)
        .await;
    proxy.cut();
    browser
        .wait_until("twelve events", &received(12), PATIENCE)
        .await;

    let log = browser.log().await;
    let events = events_in(&log);
    for (n, (kind, id, data)) in (1u64..).zip(&events) {
        assert_eq!(id, &n.to_string(), "each event once, in order: {events:?}");
        if n.is_multiple_of(3) {
            assert_eq!(
                (kind.as_str(), data.clone()),
                ("custom_event", format!("custom event {n}"))
            );
        } else {
            assert_eq!(
                (kind.as_str(), data.clone()),
                ("message", format!("message {n}"))
            );
        }
    }
    let rendered = browser
        .eval("return [...document.querySelectorAll('li.custom_event')].map(li => li.dataset.id);")
        .await;
    let rendered: Vec<u64> = rendered
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        rendered.len() >= 4 && rendered.iter().all(|id| id.is_multiple_of(3)),
        "{rendered:?}"
    );

    assert_eq!(count_of(&log, "open"), 2);
    let dropped_at = log
        .iter()
        .position(|entry| entry["kind"] == "error")
        .unwrap();
    let seen_last = events_in(&log[..dropped_at]).pop().unwrap().1;
    let requests: Vec<_> = proxy
        .requests()
        .into_iter()
        .filter(|request| request.is("GET", "/stream"))
        .collect();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        requests[1].header("last-event-id"),
        Some(seen_last.as_str())
    );
    browser.close().await;
}
