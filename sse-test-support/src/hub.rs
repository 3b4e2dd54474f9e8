//! Hub scenarios, run by every adapter against its own server.

use std::future::Future;
use std::time::{Duration, Instant};

use sse_codec::Event;
use sse_server::{Hub, HubStats};

use crate::client::{PATIENCE, frames, next_event};

/// What the scenarios need of a hub: the in-process [`Hub`], or a hub on another backend
/// (whose publish may be async) behind a newtype in its own tests.
pub trait ScenarioHub {
    /// Publishes `data` as an event to the default channel and gives its id; panics if the
    /// hub refuses it.
    fn publish_data(&self, data: String) -> impl Future<Output = String>;

    /// The hub's counters on this server.
    fn hub_stats(&self) -> HubStats;
}

impl ScenarioHub for Hub {
    async fn publish_data(&self, data: String) -> String {
        self.publish(Event::new(data))
            .expect("hub open")
            .to_string()
    }

    fn hub_stats(&self) -> HubStats {
        self.stats()
    }
}

/// Waits until the hub counts `subscribers` subscriptions: the server has seen a client
/// connect or go away.
pub async fn wait_for_subscribers(hub: &impl ScenarioHub, subscribers: usize) {
    let started = Instant::now();
    while hub.hub_stats().subscribers != subscribers {
        assert!(
            started.elapsed() < PATIENCE,
            "{} subscribers, expected {subscribers}",
            hub.hub_stats().subscribers
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// `url` serves `hub`'s default channel, resuming from `Last-Event-ID`. A client reads three
/// events, goes away, misses three, comes back with the id of the last it saw: it gets exactly
/// the three it missed, then live events.
pub async fn reconnecting_client_gets_exactly_the_missed_events(hub: &impl ScenarioHub, url: &str) {
    let client = reqwest::Client::new();
    let mut first = frames(client.get(url).send().await.expect("connect"));
    wait_for_subscribers(hub, 1).await;
    let mut last_seen = String::new();
    for n in 1..=3 {
        hub.publish_data(format!("update {n}")).await;
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
        hub.publish_data(format!("update {n}")).await;
    }

    let resumed = client
        .get(url)
        .header("Last-Event-ID", &last_seen)
        .send()
        .await
        .expect("reconnect");
    let mut resumed = frames(resumed);
    wait_for_subscribers(hub, 1).await;
    hub.publish_data("update 7".into()).await;
    for n in 4..=7 {
        assert_eq!(
            next_event(&mut resumed).await.data(),
            format!("update {n}"),
            "no gap, no duplicate"
        );
    }
    assert_eq!(hub.hub_stats().resyncs_sent, 0);
}

/// `url` serves `hub`'s default channel: a client resuming from an id the hub never had (a
/// previous server's), or with a `Last-Event-ID` that is not even UTF-8 (present, so neither
/// "no id" nor replaced by a query parameter), is told to resync, then gets live events.
pub async fn unknown_last_event_id_gets_a_resync(hub: &impl ScenarioHub, url: &str) {
    hub.publish_data("before".into()).await;
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
        hub.publish_data("live".into()).await;
        assert_eq!(next_event(&mut frames).await.data(), "live");
        drop(frames);
        wait_for_subscribers(hub, 0).await;
    }
}
