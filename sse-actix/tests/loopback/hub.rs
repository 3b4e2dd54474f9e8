//! A hub served through actix-web: a client that drops its connection and comes back with
//! `Last-Event-ID` gets exactly the events it missed, then live ones.

use std::time::{Duration, Instant};

use actix_web::web;
use sse_actix::{Event, Hub, KeepAlive, LastEventId, Sse, Subscription};

use crate::server::{PATIENCE, Server, frames, next_event, serve};

async fn events(hub: web::Data<Hub>, LastEventId(last): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(last.as_deref())).keep_alive(KeepAlive::disabled())
}

fn serve_hub(hub: &Hub) -> Server {
    let data = web::Data::new(hub.clone());
    serve(move |config| {
        config
            .app_data(data.clone())
            .route("/events", web::get().to(events));
    })
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
        actix_web::rt::time::sleep(Duration::from_millis(5)).await;
    }
}

#[actix_web::test]
async fn a_reconnecting_client_gets_exactly_the_events_it_missed() {
    let hub = Hub::new();
    let server = serve_hub(&hub);
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

#[actix_web::test]
async fn a_client_resuming_from_an_unknown_id_is_told_to_resync() {
    let hub = Hub::new();
    let server = serve_hub(&hub);
    hub.publish(Event::new("before")).unwrap();
    let response = reqwest::Client::new()
        .get(server.url("/events"))
        .header("Last-Event-ID", "from-a-previous-server")
        .send()
        .await
        .unwrap();
    let mut frames = frames(response);
    let resync = next_event(&mut frames).await;
    assert_eq!(resync.event_type(), "resync");
    hub.publish(Event::new("live")).unwrap();
    assert_eq!(next_event(&mut frames).await.data(), "live");
}
