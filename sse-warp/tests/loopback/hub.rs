//! A hub served through warp: a client that drops its connection and comes back with
//! `Last-Event-ID` gets exactly the events it missed, then live ones.

use std::time::{Duration, Instant};

use sse_warp::{Event, Hub, KeepAlive};
use warp::Filter;

use crate::server::{PATIENCE, Server, frames, next_event, serve};

async fn serve_hub(hub: &Hub) -> Server {
    let hub = hub.clone();
    let events =
        warp::path("events")
            .and(sse_warp::last_event_id())
            .map(move |last: Option<String>| {
                sse_warp::reply(hub.subscribe(last.as_deref())).keep_alive(KeepAlive::disabled())
            });
    serve(events.boxed()).await
}

/// Waits until the hub counts `subscribers` subscriptions (the server has seen a connect or a
/// disconnect).
async fn wait_for_subscribers(hub: &Hub, subscribers: usize) {
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

#[tokio::test]
async fn a_reconnecting_client_gets_exactly_the_events_it_missed() {
    let hub = Hub::new();
    let server = serve_hub(&hub).await;
    let client = reqwest::Client::new();

    let mut first = frames(client.get(server.url("/events")).send().await.unwrap());
    wait_for_subscribers(&hub, 1).await;
    let mut last_seen = String::new();
    for n in 1..=3 {
        hub.publish(Event::new(format!("update {n}"))).unwrap();
        let event = next_event(&mut first).await;
        assert_eq!(event.data(), format!("update {n}"));
        last_seen = event
            .id()
            .expect("the hub gives every event an id")
            .to_owned();
    }

    drop(first);
    wait_for_subscribers(&hub, 0).await;
    for n in 4..=6 {
        hub.publish(Event::new(format!("update {n}"))).unwrap();
    }

    let response = client
        .get(server.url("/events"))
        .header("Last-Event-ID", &last_seen)
        .send()
        .await
        .unwrap();
    let mut resumed = frames(response);
    wait_for_subscribers(&hub, 1).await;
    hub.publish(Event::new("update 7")).unwrap();
    for n in 4..=7 {
        assert_eq!(
            next_event(&mut resumed).await.data(),
            format!("update {n}"),
            "no gap, no duplicate"
        );
    }
    assert_eq!(hub.stats().resyncs_sent, 0);
}
