//! A client that stops reading: warp's own server holds it, `sse_warp::serve` drops it by the
//! write timeout, and graceful shutdown ends while such clients are connected.

use std::net::SocketAddr;
use std::time::Duration;

use sse_test_support::{
    TEST_SLACK, TEST_WRITE_TIMEOUT, shutdown_ends_with_stalled_readers, small_send_buffer_listener,
    stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown, stalled_reader,
    stalled_reader_is_cut_while_a_healthy_one_gets_everything, wait_for_subscribers,
};
use sse_warp::{Event, Hub, KeepAlive, ResumeFrom};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use warp::Filter;
use warp::filters::BoxedFilter;

fn events(hub: Hub) -> BoxedFilter<(impl warp::Reply,)> {
    warp::path("events")
        .and(sse_warp::last_event_id())
        .map(move |from: ResumeFrom| {
            sse_warp::reply(hub.subscribe(from)).keep_alive(KeepAlive::disabled())
        })
        .boxed()
}

fn listener() -> TcpListener {
    TcpListener::from_std(small_send_buffer_listener()).unwrap()
}

/// Serves `hub` at `/events` through `sse_warp::serve` with the test write timeout until
/// `stop` fires.
fn serve_hub(hub: &Hub, stop: oneshot::Receiver<()>) -> (SocketAddr, JoinHandle<()>) {
    let listener = listener();
    let addr = listener.local_addr().unwrap();
    let service = warp::service(events(hub.clone()));
    let signal = async {
        let _ = stop.await;
    };
    let task = tokio::spawn(sse_warp::serve(
        service,
        listener,
        TEST_WRITE_TIMEOUT,
        signal,
    ));
    (addr, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warps_own_server_holds_a_stalled_reader() {
    let hub = Hub::new();
    let listener = listener();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(warp::serve(events(hub.clone())).incoming(listener).run());
    let _stalled = stalled_reader(addr, "/events").await;
    wait_for_subscribers(&hub, 1).await;
    let data = "x".repeat(1000);
    for _ in 0..1500 {
        hub.publish(Event::new(data.as_str())).unwrap();
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(
        hub.stats().subscribers,
        1,
        "warp's server let the stalled reader go"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown() {
    let hub = Hub::new();
    let (stop_tx, stop) = oneshot::channel();
    let (addr, server) = serve_hub(&hub, stop);
    let stop_server = move || {
        let _ = stop_tx.send(());
    };
    let took = stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown(
        &hub,
        addr,
        "/events",
        TEST_SLACK,
        stop_server,
        async { server.await.unwrap() },
    )
    .await;
    println!("graceful shutdown with a stalled HTTP/2 stream took {took:?}");
}
