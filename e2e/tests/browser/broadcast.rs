//! The broadcast example (sse-warp): every page gets the same ticks with the same ids, and a
//! page cut off for a while gets the ticks it missed from the hub, each once.

use std::time::Duration;

use e2e::{Browser, Proxy};
use sse_warp::Hub;

use crate::broadcast_app;
use crate::server::{PATIENCE, events_of, serve_warp};

/// The tick numbers in `ticks` (data `tick <n>`).
fn numbers(ticks: &[(String, String)]) -> Vec<u64> {
    ticks
        .iter()
        .map(|(_, data)| data.strip_prefix("tick ").unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn every_page_gets_the_same_ticks_and_a_page_cut_off_gets_the_ones_it_missed() {
    let Some(browser) = Browser::launch("broadcast").await else {
        return;
    };
    let hub = Hub::new();
    broadcast_app::publish_ticks(hub.clone(), Duration::from_millis(100));
    let proxy = Proxy::start(serve_warp(broadcast_app::routes(hub)).await).await;
    let first = browser.tab().await;
    browser.goto(&proxy.url("/")).await;
    let second = browser.new_tab().await;
    browser.switch_to(&second).await;
    browser.goto(&proxy.url("/")).await;
    let ticks = |n: usize| format!("sseLog.filter(entry => entry.kind === 'tick').length >= {n}");
    browser.wait_until("three ticks", &ticks(3), PATIENCE).await;

    // Cut off, and kept off for half a second: about five ticks go by.
    proxy.hold();
    proxy.cut();
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.release();
    browser.wait_until("more ticks", &ticks(12), PATIENCE).await;
    browser.switch_to(&first).await;
    browser.wait_until("more ticks", &ticks(12), PATIENCE).await;

    let mut seen = Vec::new();
    for tab in [&first, &second] {
        browser.switch_to(tab).await;
        let log = browser.log().await;
        let ticks = events_of(&log, "tick");
        let numbers = numbers(&ticks);
        let from = numbers[0];
        let expected: Vec<u64> = (from..from + numbers.len() as u64).collect();
        assert_eq!(numbers, expected, "every tick once, in order, none missed");
        let dropped_at = log
            .iter()
            .position(|entry| entry["kind"] == "error")
            .unwrap();
        let missed_after = events_of(&log[..dropped_at], "tick").pop().unwrap().0;
        let resumed = proxy
            .requests()
            .iter()
            .any(|request| request.header("last-event-id") == Some(missed_after.as_str()));
        assert!(
            resumed,
            "the page resumed after {missed_after}: {:?}",
            proxy.requests()
        );
        seen.push(ticks);
    }
    // Both pages have the same tick under the same id.
    let [first_ticks, second_ticks] = &seen[..] else {
        unreachable!("two tabs")
    };
    let common: Vec<_> = first_ticks
        .iter()
        .filter(|tick| second_ticks.contains(tick))
        .collect();
    assert!(common.len() >= 10, "{first_ticks:?} {second_ticks:?}");
    for (id, data) in first_ticks {
        if let Some((_, other)) = second_ticks.iter().find(|(other_id, _)| other_id == id) {
            assert_eq!(data, other, "id {id} names the same tick on both pages");
        }
    }
    browser.close().await;
}
