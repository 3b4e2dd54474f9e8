//! HTTP/2: over TLS (ALPN `h2`, a certificate made by the test) through [`TlsListener`], and in
//! cleartext with prior knowledge, `axum::serve` answering both on any listener.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use futures_util::stream;
use sse_axum::{
    DEFAULT_WRITE_TIMEOUT, Event, Hub, KeepAlive, Shutdown, Sse, TlsListener, WriteTimeoutListener,
};
use sse_test_support::{
    DropWatch, IDLE_PATH, PACED_PATH, Paced, TEST_SLACK, TEST_WRITE_TIMEOUT, WATCHED_PATH,
    h2c_client, http2_scenarios, https_client, idle_keep_alive, self_signed_server_config,
    stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown,
};
use tokio::net::TcpListener;

/// The routes [`http2_scenarios`] reads.
fn scenario_app(paced: &Paced, watch: &DropWatch) -> Router {
    let paced = paced.clone();
    let watched = watch.streams();
    Router::new()
        .route(
            PACED_PATH,
            get(move || async move { Sse::new(paced.events()) }),
        )
        .route(
            IDLE_PATH,
            get(|| async { Sse::new(stream::pending::<Event>()).keep_alive(idle_keep_alive()) }),
        )
        .route(
            WATCHED_PATH,
            get(move || async move { Sse::new(watched.hello_then_wait()) }),
        )
}

#[tokio::test]
async fn over_tls_with_alpn_h2() {
    let (paced, mut watch) = (Paced::new(), DropWatch::new());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = TlsListener::new(
        WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT),
        Arc::new(self_signed_server_config()),
    );
    tokio::spawn(axum::serve(listener, scenario_app(&paced, &watch)).into_future());
    http2_scenarios(
        &https_client(),
        &format!("https://{addr}"),
        &paced,
        &mut watch,
    )
    .await;
}

#[tokio::test]
async fn in_cleartext_with_prior_knowledge() {
    let (paced, mut watch) = (Paced::new(), DropWatch::new());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT);
    tokio::spawn(axum::serve(listener, scenario_app(&paced, &watch)).into_future());
    http2_scenarios(&h2c_client(), &format!("http://{addr}"), &paced, &mut watch).await;
}

#[tokio::test]
async fn tls_still_offers_http1_by_alpn() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = TlsListener::new(listener, Arc::new(self_signed_server_config()));
    let app = Router::new().route(
        "/",
        get(|| async { Sse::new(stream::iter([Event::new("x")])) }),
    );
    tokio::spawn(axum::serve(listener, app).into_future());
    let http1 = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .http1_only()
        .build()
        .unwrap();
    let response = http1.get(format!("https://{addr}/")).send().await.unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_11);
    assert_eq!(response.text().await.unwrap(), "data: x\n\n");
}

/// The hub at `/events` over HTTP/2 with prior knowledge; the shutdown closes the hub with a
/// `bye` event and starts a graceful shutdown whose connections are dropped
/// [`TEST_WRITE_TIMEOUT`] later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_stream_holds_neither_its_sibling_nor_the_shutdown() {
    let hub = Hub::new();
    let shutdown = Shutdown::new();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = WriteTimeoutListener::new(listener, TEST_WRITE_TIMEOUT)
        .drop_after_shutdown(&shutdown, TEST_WRITE_TIMEOUT);
    let app = Router::new().route(
        "/events",
        get({
            let hub = hub.clone();
            move || async move { Sse::new(hub.subscribe(None)).keep_alive(KeepAlive::disabled()) }
        }),
    );
    let server = tokio::spawn(
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown.triggered())
            .into_future(),
    );
    let stop_server = || shutdown.trigger();
    let took = stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown(
        &hub,
        addr,
        "/events",
        TEST_SLACK,
        stop_server,
        async { server.await.unwrap().unwrap() },
    )
    .await;
    println!("graceful shutdown with a stalled HTTP/2 stream took {took:?}");
}
