//! A client that stops reading is dropped by the write timeout, and cannot hold graceful
//! shutdown.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use sse_axum::{Hub, KeepAlive, LastEventId, Sse, Subscription, WriteTimeoutListener};
use sse_test_support::{
    TEST_SLACK, TEST_WRITE_TIMEOUT, shutdown_ends_with_stalled_readers, small_send_buffer_listener,
    stalled_reader_is_cut_while_a_healthy_one_gets_everything,
};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

async fn events(State(hub): State<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(from)).keep_alive(KeepAlive::disabled())
}

/// Serves `hub` at `/events` with the test write timeout until `stop` fires.
fn serve_hub(hub: &Hub, stop: oneshot::Receiver<()>) -> (SocketAddr, JoinHandle<()>) {
    let listener = tokio::net::TcpListener::from_std(small_send_buffer_listener()).unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Router::new()
        .route("/events", get(events))
        .with_state(hub.clone());
    let task = tokio::spawn(async move {
        axum::serve(WriteTimeoutListener::new(listener, TEST_WRITE_TIMEOUT), app)
            .with_graceful_shutdown(async {
                let _ = stop.await;
            })
            .await
            .unwrap();
    });
    (addr, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_reader_is_cut_while_a_healthy_one_gets_every_event() {
    let hub = Hub::new();
    let (_stop, stop) = oneshot::channel();
    let (addr, _server) = serve_hub(&hub, stop);
    stalled_reader_is_cut_while_a_healthy_one_gets_everything(&hub, addr, "/events", TEST_SLACK)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_ends_with_100_stalled_and_900_healthy_readers() {
    let hub = Hub::new();
    let (stop_tx, stop) = oneshot::channel();
    let (addr, server) = serve_hub(&hub, stop);
    let stop_server = move || {
        let _ = stop_tx.send(());
    };
    let stopped = async { server.await.unwrap() };
    let took = shutdown_ends_with_stalled_readers(
        &hub,
        addr,
        "/events",
        TEST_SLACK,
        (100, 900),
        stop_server,
        stopped,
    )
    .await;
    println!("graceful shutdown with 100 stalled and 900 healthy readers took {took:?}");
}
