//! A client that stops reading: what actix-web's own settings do about it, and what
//! `sse_actix::write_timeout` adds.
//!
//! actix-web's `keep_alive`, `client_request_timeout` and `client_disconnect_timeout` leave a
//! stalled reader connected while the server runs; its `shutdown_timeout` does bound a graceful
//! stop (the workers are dropped with their connections at the deadline). The write timeout
//! drops the stalled reader while the server runs, and ends a graceful stop long before a
//! default shutdown timeout would.

use std::net::SocketAddr;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::rt::task::JoinHandle;
use actix_web::{App, HttpServer, web};
use sse_actix::{Event, Hub, KeepAlive, LastEventId, Sse, Subscription};
use sse_test_support::{
    TEST_SLACK, TEST_WRITE_TIMEOUT, shutdown_ends_with_stalled_readers, small_send_buffer_listener,
    stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown, stalled_reader,
    stalled_reader_is_cut_while_a_healthy_one_gets_everything, wait_for_subscribers,
};

/// The kernel checks `TCP_USER_TIMEOUT` when it probes a closed window, and the first probe
/// waits a retransmission timeout (200 ms at least, more on a loaded machine): a second more
/// than a server that times its own writes needs.
const KERNEL_SLACK: Duration = TEST_SLACK.saturating_add(Duration::from_secs(1));

async fn events(hub: web::Data<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
    Sse::new(hub.subscribe(from)).keep_alive(KeepAlive::disabled())
}

/// How the test server is set up against stalled readers.
#[derive(Clone, Copy)]
enum Guard {
    /// actix-web's own timeouts, all short.
    ActixTimeouts,
    /// A 1 s shutdown timeout, actix-web's defaults otherwise.
    ShutdownTimeout,
    /// `sse_actix::write_timeout(TEST_WRITE_TIMEOUT)`, actix-web's defaults otherwise.
    WriteTimeout,
}

/// What the test server's listener speaks.
#[derive(Clone, Copy)]
enum Protocols {
    Http1,
    /// HTTP/1.1 and cleartext HTTP/2 with prior knowledge (`listen_auto_h2c`).
    Http1AndH2c,
}

/// Runs an actix-web server for `hub` at `/events` on two workers and a listener with a small
/// send buffer, over HTTP/1.1.
fn run(hub: &Hub, guard: Guard) -> (SocketAddr, ServerHandle, JoinHandle<std::io::Result<()>>) {
    run_with(hub, guard, Protocols::Http1)
}

/// [`run`], speaking `protocols`.
fn run_with(
    hub: &Hub,
    guard: Guard,
    protocols: Protocols,
) -> (SocketAddr, ServerHandle, JoinHandle<std::io::Result<()>>) {
    let data = web::Data::new(hub.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/events", web::get().to(events))
    })
    .workers(2)
    .disable_signals();
    let server = match guard {
        Guard::ActixTimeouts => server
            .keep_alive(Duration::from_millis(200))
            .client_request_timeout(Duration::from_millis(200))
            .client_disconnect_timeout(Duration::from_millis(200)),
        Guard::ShutdownTimeout => server.shutdown_timeout(1),
        Guard::WriteTimeout => server.on_connect(sse_actix::write_timeout(TEST_WRITE_TIMEOUT)),
    };
    let listener = small_send_buffer_listener();
    let server = match protocols {
        Protocols::Http1 => server.listen(listener),
        Protocols::Http1AndH2c => server.listen_auto_h2c(listener),
    }
    .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    (addr, handle, actix_web::rt::spawn(server))
}

#[actix_web::test]
async fn actix_settings_leave_a_stalled_reader_connected_while_the_server_runs() {
    let hub = Hub::new();
    let (addr, handle, _task) = run(&hub, Guard::ActixTimeouts);
    let _stalled = stalled_reader(addr, "/events").await;
    wait_for_subscribers(&hub, 1).await;
    let data = "x".repeat(1000);
    // 1.5 s of events, over seven times every timeout set.
    for _ in 0..1500 {
        hub.publish(Event::new(data.as_str())).unwrap();
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(
        hub.stats().subscribers,
        1,
        "actix-web let the stalled reader go"
    );
    drop(handle.stop(false));
}

#[actix_web::test]
async fn the_write_timeout_cuts_a_stalled_reader_while_a_healthy_one_gets_every_event() {
    let hub = Hub::new();
    let (addr, handle, _task) = run(&hub, Guard::WriteTimeout);
    stalled_reader_is_cut_while_a_healthy_one_gets_everything(&hub, addr, "/events", KERNEL_SLACK)
        .await;
    drop(handle.stop(false));
}

/// `stop(true)` after `hub.close_with(bye)`, with 100 stalled and 900 healthy readers; returns
/// how long the stop took.
async fn graceful_stop_with_stalled_readers(guard: Guard) -> Duration {
    let hub = Hub::new();
    let (addr, handle, task) = run(&hub, guard);
    let stop_server = move || {
        // The stop command is sent at once; its future only reports completion.
        drop(handle.stop(true));
    };
    let stopped = async { task.await.unwrap().unwrap() };
    shutdown_ends_with_stalled_readers(
        &hub,
        addr,
        "/events",
        KERNEL_SLACK,
        (100, 900),
        stop_server,
        stopped,
    )
    .await
}

#[actix_web::test]
async fn the_shutdown_timeout_alone_ends_a_stop_with_100_stalled_and_900_healthy_readers() {
    let took = graceful_stop_with_stalled_readers(Guard::ShutdownTimeout).await;
    println!("graceful stop (1 s shutdown timeout) took {took:?}");
    assert!(
        took >= Duration::from_secs(1),
        "stopped before the shutdown timeout, so the stalled readers were not what held it: \
         {took:?}"
    );
}

#[actix_web::test]
async fn the_write_timeout_ends_a_stop_with_100_stalled_and_900_healthy_readers() {
    // actix-web's default shutdown timeout is 30 s: the write timeout is what ends the stop.
    let took = graceful_stop_with_stalled_readers(Guard::WriteTimeout).await;
    println!("graceful stop (write timeout, default shutdown timeout) took {took:?}");
}

#[actix_web::test]
async fn the_shutdown_timeout_ends_a_stop_held_by_a_stalled_http2_stream() {
    let hub = Hub::new();
    let (addr, handle, task) = run_with(&hub, Guard::ShutdownTimeout, Protocols::Http1AndH2c);
    let stop_server = move || {
        drop(handle.stop(true));
    };
    let took = stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown(
        &hub,
        addr,
        "/events",
        KERNEL_SLACK,
        stop_server,
        async { task.await.unwrap().unwrap() },
    )
    .await;
    println!("graceful stop (1 s shutdown timeout) with a stalled HTTP/2 stream took {took:?}");
    assert!(
        took >= Duration::from_secs(1),
        "stopped before the shutdown timeout, so the stalled stream was not what held it: {took:?}"
    );
}

/// What `set_write_timeout` made of each connection `on_connect` was given.
#[cfg(feature = "rustls-0_23")]
#[actix_web::test]
async fn the_write_timeout_reaches_the_tcp_stream_under_rustls() {
    use sse_test_support::{https_client, self_signed_server_config};
    use std::sync::mpsc;

    let (outcomes, outcome) = mpsc::channel();
    let outcomes = std::sync::Mutex::new(outcomes);
    let server = HttpServer::new(|| App::new().route("/", web::get().to(|| async { "hello" })))
        .workers(1)
        .disable_signals()
        .on_connect(move |connection, _| {
            let set = sse_actix::set_write_timeout(connection, TEST_WRITE_TIMEOUT);
            let _ = outcomes
                .lock()
                .unwrap()
                .send(set.map_err(|e| e.to_string()));
        })
        .bind_rustls_0_23(("127.0.0.1", 0), self_signed_server_config())
        .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let body = https_client()
        .get(format!("https://{addr}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "hello");
    assert_eq!(
        outcome.recv().unwrap(),
        Ok(()),
        "the TLS connection got no write timeout"
    );
    handle.stop(false).await;
}
