//! A hub served through warp: a client that drops its connection and comes back with
//! `Last-Event-ID` gets exactly the events it missed, then live ones.

use sse_test_support::{
    reconnecting_client_gets_exactly_the_missed_events, unknown_last_event_id_gets_a_resync,
};
use sse_warp::{Hub, KeepAlive, ResumeFrom};
use warp::Filter;

use crate::server::{Server, serve};

async fn serve_hub(hub: &Hub) -> Server {
    let hub = hub.clone();
    let events =
        warp::path("events")
            .and(sse_warp::last_event_id())
            .map(move |from: ResumeFrom| {
                sse_warp::reply(hub.subscribe(from)).keep_alive(KeepAlive::disabled())
            });
    serve(events.boxed()).await
}

#[tokio::test]
async fn a_reconnecting_client_gets_exactly_the_events_it_missed() {
    let hub = Hub::new();
    let server = serve_hub(&hub).await;
    reconnecting_client_gets_exactly_the_missed_events(&hub, &server.url("/events")).await;
}

#[tokio::test]
async fn a_client_resuming_from_an_unknown_id_is_told_to_resync() {
    let hub = Hub::new();
    let server = serve_hub(&hub).await;
    unknown_last_event_id_gets_a_resync(&hub, &server.url("/events")).await;
}
