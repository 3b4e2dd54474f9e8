//! The adapters' shared hub scenarios, with a Redis-backed hub served through sse-axum.

mod support;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use sse_axum::{KeepAlive, LastEventId, Sse, Subscription};
use sse_codec::Event;
use sse_redis::{RedisHub, RedisHubConfig};
use sse_server::HubStats;
use sse_test_support::{
    ScenarioHub, reconnecting_client_gets_exactly_the_missed_events,
    unknown_last_event_id_gets_a_resync,
};
use tokio::net::TcpListener;

use support::RedisServer;

/// A node, as the scenarios see a hub.
#[derive(Clone)]
struct Node(RedisHub);

impl ScenarioHub for Node {
    async fn publish_data(&self, data: String) -> String {
        self.0
            .publish(Event::new(data))
            .await
            .expect("published")
            .to_string()
    }

    fn hub_stats(&self) -> HubStats {
        self.0.stats()
    }
}

async fn events(State(node): State<Node>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(node.0.subscribe(from)).keep_alive(KeepAlive::disabled())
}

/// A node on `redis`, served on a free port; its URL for `/events`.
async fn serve_node(redis: &RedisServer) -> (Node, String) {
    let hub = RedisHub::connect(&redis.url(), RedisHubConfig::new())
        .await
        .expect("connect to Redis");
    let node = Node(hub);
    let app = Router::new()
        .route("/events", get(events))
        .with_state(node.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (node, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconnecting_client_gets_exactly_the_events_it_missed() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (node, url) = serve_node(&redis).await;
    reconnecting_client_gets_exactly_the_missed_events(&node, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_resuming_from_an_unknown_id_is_told_to_resync() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (node, url) = serve_node(&redis).await;
    unknown_last_event_id_gets_a_resync(&node, &url).await;
}
