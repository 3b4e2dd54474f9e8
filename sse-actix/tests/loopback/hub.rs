//! A hub served through actix-web: a client that drops its connection and comes back with
//! `Last-Event-ID` gets exactly the events it missed, then live ones.

use actix_web::web;
use sse_actix::{Hub, KeepAlive, LastEventId, Sse, Subscription};
use sse_test_support::{
    reconnecting_client_gets_exactly_the_missed_events, unknown_last_event_id_gets_a_resync,
};

use crate::server::{Server, serve};

async fn events(hub: web::Data<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(from)).keep_alive(KeepAlive::disabled())
}

fn serve_hub(hub: &Hub) -> Server {
    let data = web::Data::new(hub.clone());
    serve(move |config| {
        config
            .app_data(data.clone())
            .route("/events", web::get().to(events));
    })
}

#[actix_web::test]
async fn a_reconnecting_client_gets_exactly_the_events_it_missed() {
    let hub = Hub::new();
    let server = serve_hub(&hub);
    reconnecting_client_gets_exactly_the_missed_events(&hub, &server.url("/events")).await;
}

#[actix_web::test]
async fn a_client_resuming_from_an_unknown_id_is_told_to_resync() {
    let hub = Hub::new();
    let server = serve_hub(&hub);
    unknown_last_event_id_gets_a_resync(&hub, &server.url("/events")).await;
}
