//! Hub scenarios, run by every adapter against its own server.

use std::time::{Duration, Instant};

use sse_codec::Event;
use sse_server::Hub;

use crate::client::{PATIENCE, frames, next_event};

/// Waits until the hub counts `subscribers` subscriptions: the server has seen a client
/// connect or go away.
pub async fn wait_for_subscribers(hub: &Hub, subscribers: usize) {
    let started = Instant::now();
    while hub.stats().subscribers != subscribers {
        assert!(
            started.elapsed() < PATIENCE,
            "{} subscribers, expected {subscribers}",
            hub.stats().subscribers
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// `url` serves `hub`'s default channel, resuming from `Last-Event-ID`. A client reads three
/// events, goes away, misses three, comes back with the id of the last it saw: it gets exactly
/// the three it missed, then live events.
pub async fn reconnecting_client_gets_exactly_the_missed_events(hub: &Hub, url: &str) {
    let client = reqwest::Client::new();
    let mut first = frames(client.get(url).send().await.expect("connect"));
    wait_for_subscribers(hub, 1).await;
    let mut last_seen = String::new();
    for n in 1..=3 {
        hub.publish(Event::new(format!("update {n}")))
            .expect("hub open");
        let event = next_event(&mut first).await;
        assert_eq!(event.data(), format!("update {n}"));
        last_seen = event
            .id()
            .expect("the hub gives every event an id")
            .to_owned();
    }

    drop(first);
    wait_for_subscribers(hub, 0).await;
    for n in 4..=6 {
        hub.publish(Event::new(format!("update {n}")))
            .expect("hub open");
    }

    let resumed = client
        .get(url)
        .header("Last-Event-ID", &last_seen)
        .send()
        .await
        .expect("reconnect");
    let mut resumed = frames(resumed);
    wait_for_subscribers(hub, 1).await;
    hub.publish(Event::new("update 7")).expect("hub open");
    for n in 4..=7 {
        assert_eq!(
            next_event(&mut resumed).await.data(),
            format!("update {n}"),
            "no gap, no duplicate"
        );
    }
    assert_eq!(hub.stats().resyncs_sent, 0);
}

/// `url` serves `hub`'s default channel: a client resuming from an id the hub never had (a
/// previous server's), or with a `Last-Event-ID` that is not even UTF-8 (present, so neither
/// "no id" nor replaced by a query parameter), is told to resync, then gets live events.
pub async fn unknown_last_event_id_gets_a_resync(hub: &Hub, url: &str) {
    hub.publish(Event::new("before")).expect("hub open");
    let unreadable = reqwest::header::HeaderValue::from_bytes(b"7\xFF").expect("a header value");
    let candidates = [
        reqwest::header::HeaderValue::from_static("from-a-previous-server"),
        unreadable,
    ];
    for last_event_id in candidates {
        let response = reqwest::Client::new()
            .get(format!("{url}?lastEventId=1"))
            .header("Last-Event-ID", last_event_id.clone())
            .send()
            .await
            .expect("connect");
        let mut frames = frames(response);
        let resync = next_event(&mut frames).await;
        assert_eq!(
            (resync.event_type(), resync.data()),
            ("resync", r#"{"reason":"unknown-last-event-id"}"#),
            "{last_event_id:?}"
        );
        wait_for_subscribers(hub, 1).await;
        hub.publish(Event::new("live")).expect("hub open");
        assert_eq!(next_event(&mut frames).await.data(), "live");
        drop(frames);
        wait_for_subscribers(hub, 0).await;
    }
}
