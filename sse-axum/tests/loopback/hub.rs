//! A hub served through axum: a client that drops its connection and comes back with
//! `Last-Event-ID` gets exactly the events it missed, then live ones.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use sse_axum::{Hub, KeepAlive, LastEventId, Sse, Subscription};
use sse_test_support::{
    reconnecting_client_gets_exactly_the_missed_events, unknown_last_event_id_gets_a_resync,
};

use crate::server::{Server, serve};

async fn events(State(hub): State<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(from)).keep_alive(KeepAlive::disabled())
}

async fn serve_hub(hub: &Hub) -> Server {
    serve(
        Router::new()
            .route("/events", get(events))
            .with_state(hub.clone()),
    )
    .await
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
