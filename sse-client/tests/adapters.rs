//! The client against this workspace's own servers on 127.0.0.1: each of the three adapters
//! (`sse-axum`, `sse-actix`, `sse-warp`) and the hub (`sse_server::Hub`), resuming from the
//! hub's replay ring.

mod support;

use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt, stream};
use sse_client::{Error, EventSource, Item};
use sse_codec::Event;
use support::{PATIENCE, is_reestablish, items_until, kinds, quick};

/// Three numbered events after the client's `Last-Event-ID` (0 when none), each with its number
/// as id; then the body ends, and a reconnecting client asks for the next three.
fn next_three(last: sse_server::ResumeFrom) -> impl Stream<Item = Event> + Send + 'static {
    let after: u64 = last.id().and_then(|id| id.parse().ok()).unwrap_or(0);
    stream::iter(
        (after + 1..=after + 3).map(|n| Event::new(format!("n{n}")).with_id(n.to_string())),
    )
}

/// The server's `retry:`, which the client follows.
const SERVER_RETRY: Duration = Duration::from_millis(30);

/// Reads six events from `url`, which serves [`next_three`]: two connections, the second
/// resumed from the first's last id, with the server's reconnection time.
async fn reads_and_resumes(url: String) {
    let mut source = EventSource::builder(reqwest::Client::new().get(url))
        .backoff(quick())
        .build()
        .unwrap();
    let items = items_until(
        &mut source,
        |item| matches!(item, Item::Event(event) if event.data() == "n6"),
    )
    .await;
    assert_eq!(
        kinds(&items),
        [
            "open 200",
            "event n1",
            "event n2",
            "event n3",
            "error BodyEnded Reestablish { delay: 30ms }",
            "open 200",
            "event n4",
            "event n5",
            "event n6",
        ]
    );
    let Item::Event(last) = items.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(last.id(), Some("6"));
    assert_eq!(source.reconnection_time(), SERVER_RETRY);
    assert_eq!(source.reconnect_count(), 1);
}

#[tokio::test]
async fn reads_sse_axum_and_resumes() {
    use axum::{Router, routing::get};
    use sse_axum::{LastEventId, Sse};

    async fn numbers(LastEventId(last): LastEventId) -> Sse<impl Stream<Item = Event>> {
        Sse::new(next_three(last)).retry(SERVER_RETRY)
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/numbers", listener.local_addr().unwrap());
    let app = Router::new().route("/numbers", get(numbers));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    reads_and_resumes(url).await;
}

#[actix_web::test]
async fn reads_sse_actix_and_resumes() {
    use actix_web::{App, HttpServer, web};
    use sse_actix::{LastEventId, Sse};

    async fn numbers(LastEventId(last): LastEventId) -> Sse<impl Stream<Item = Event>> {
        Sse::new(next_three(last)).retry(SERVER_RETRY)
    }
    let server = HttpServer::new(|| App::new().route("/numbers", web::get().to(numbers)))
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .unwrap();
    let url = format!("http://{}/numbers", server.addrs()[0]);
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    reads_and_resumes(url).await;
    handle.stop(false).await;
}

#[tokio::test]
async fn reads_sse_warp_and_resumes() {
    use warp::Filter;

    let routes = warp::path("numbers")
        .and(warp::get())
        .and(sse_warp::last_event_id())
        .map(|last| sse_warp::reply(next_three(last)).retry(SERVER_RETRY));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/numbers", listener.local_addr().unwrap());
    let server = warp::serve(routes)
        .incoming(listener)
        .graceful(std::future::pending::<()>());
    tokio::spawn(server.run());
    reads_and_resumes(url).await;
}

async fn wait_for_subscribers(hub: &sse_server::Hub, subscribers: usize) {
    let started = Instant::now();
    while hub.stats().subscribers != subscribers {
        assert!(started.elapsed() < PATIENCE, "{:?}", hub.stats());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The hub served by axum, each response ending after three events. The client reads three
/// live events; while it waits to reconnect, three more are published; it comes back with the
/// last id it saw and gets exactly those three from the replay ring, then live events.
#[tokio::test]
async fn reads_the_hub_and_resumes_from_its_ring() {
    use axum::{Router, extract::State, routing::get};
    use sse_axum::{LastEventId, Sse};
    use sse_server::Hub;

    async fn events(
        State(hub): State<Hub>,
        LastEventId(last): LastEventId,
    ) -> Sse<impl Stream<Item = bytes::Bytes>> {
        Sse::new(hub.subscribe(last).take(3)).retry(Duration::from_millis(300))
    }
    let hub = Hub::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/events", get(events))
        .with_state(hub.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let mut source = EventSource::builder(reqwest::Client::new().get(url))
        .backoff(quick())
        .build()
        .unwrap();
    assert!(matches!(
        support::next_item(&mut source).await,
        Item::Open { .. }
    ));
    wait_for_subscribers(&hub, 1).await;
    let mut published = Vec::new();
    for n in 1..=3 {
        published.push(hub.publish(Event::new(format!("update {n}"))).unwrap());
    }
    let first = items_until(&mut source, is_reestablish).await;
    assert_eq!(
        kinds(&first),
        [
            "event update 1",
            "event update 2",
            "event update 3",
            "error BodyEnded Reestablish { delay: 300ms }"
        ]
    );
    assert!(matches!(
        &first[3],
        Item::Error {
            error: Error::BodyEnded,
            ..
        }
    ));
    assert_eq!(source.last_event_id(), Some(&*published[2]));

    // The first connection is gone; the client waits 300 ms before it comes back.
    wait_for_subscribers(&hub, 0).await;
    for n in 4..=6 {
        hub.publish(Event::new(format!("update {n}"))).unwrap();
    }
    let resumed = items_until(
        &mut source,
        |item| matches!(item, Item::Event(event) if event.data() == "update 6"),
    )
    .await;
    assert_eq!(
        kinds(&resumed),
        [
            "open 200",
            "event update 4",
            "event update 5",
            "event update 6"
        ],
        "no gap, no duplicate"
    );
    assert_eq!(hub.stats().resyncs_sent, 0);
}
