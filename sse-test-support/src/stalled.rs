//! Clients that stop reading: the write timeout must release them, and graceful shutdown must
//! end while they are connected. Run by every adapter against its own server.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use sse_codec::{Event, Frame};
use sse_server::Hub;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpSocket, TcpStream};

use crate::client::{PATIENCE, frames, next_event, next_frame};
use crate::hub::wait_for_subscribers;

/// The write timeout the adapters' stalled-reader tests configure.
pub const TEST_WRITE_TIMEOUT: Duration = Duration::from_millis(500);

/// How long past [`TEST_WRITE_TIMEOUT`] a server that times its writes itself may take to drop
/// a stalled reader or to end a shutdown held by one, on a loaded machine.
pub const TEST_SLACK: Duration = Duration::from_millis(1500);

/// A listener on 127.0.0.1 (port 0) whose accepted sockets have a small send buffer (Linux
/// copies it from the listening socket), so a reader that stops reading blocks the server's
/// writes after a few kilobytes instead of a few megabytes: the same state, reached sooner.
pub fn small_send_buffer_listener() -> std::net::TcpListener {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_send_buffer_size(8 * 1024).expect("SO_SNDBUF");
    socket
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let listener = socket.listen(2048).expect("listen");
    listener.into_std().expect("std listener")
}

/// A client that sends `GET path` and never reads: a 2 KiB receive buffer (`SO_RCVBUF`, through
/// tokio's `TcpSocket`, which is socket2 underneath), so its window closes at once.
pub async fn stalled_reader(addr: SocketAddr, path: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(2048).expect("SO_RCVBUF");
    let mut stream = socket.connect(addr).await.expect("connect");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request");
    stream
}

/// Publishes 1 KB events with ids `first..` every millisecond until `until` resolves; returns
/// the next id.
async fn publish_fast(hub: &Hub, first: u64, until: impl Future<Output = ()>) -> u64 {
    publish_every(hub, first, Duration::from_millis(1), until).await
}

/// Publishes 1 KB events with ids `first..`, one each `period`, until `until` resolves;
/// returns the next id.
pub(crate) async fn publish_every(
    hub: &Hub,
    first: u64,
    period: Duration,
    until: impl Future<Output = ()>,
) -> u64 {
    let data = "x".repeat(1000);
    let mut id = first;
    let mut until = std::pin::pin!(until);
    let mut tick = tokio::time::interval(period);
    loop {
        tokio::select! {
            () = &mut until => return id,
            _ = tick.tick() => {
                hub.publish(Event::new(data.as_str()).with_id(id.to_string())).expect("publish");
                id += 1;
            }
        }
    }
}

/// `addr` serves `hub`'s default channel at `path` with a write timeout of
/// [`TEST_WRITE_TIMEOUT`] (on a [`small_send_buffer_listener`]). While the hub publishes fast, a
/// stalled reader is disconnected within the timeout plus `slack` (and not before the timeout),
/// and a healthy reader on the same hub receives every event, in order.
pub async fn stalled_reader_is_cut_while_a_healthy_one_gets_everything(
    hub: &Hub,
    addr: SocketAddr,
    path: &str,
    slack: Duration,
) {
    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .expect("connect");
    let mut healthy = frames(response);
    wait_for_subscribers(hub, 1).await;

    let connected = Instant::now();
    let stalled = stalled_reader(addr, path).await;
    wait_for_subscribers(hub, 2).await;
    let cut = async {
        while hub.stats().subscribers != 1 {
            assert!(
                connected.elapsed() < PATIENCE,
                "the stalled reader was never cut"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let reading = async {
        let mut ids = Vec::new();
        loop {
            let event = next_event(&mut healthy).await;
            if event.data() == "end" {
                return ids;
            }
            ids.push(event.id().expect("an id").parse::<u64>().expect("a number"));
        }
    };
    let publishing = async {
        let published = publish_fast(hub, 0, cut).await;
        let took = connected.elapsed();
        hub.publish(Event::new("end").with_id("end"))
            .expect("publish");
        (published, took)
    };
    let (ids, (published, took)) = tokio::join!(reading, publishing);
    drop(stalled);

    println!("stalled reader cut {took:?} after it connected; {published} events published");
    assert!(
        took >= TEST_WRITE_TIMEOUT,
        "cut after {took:?}, before the write timeout"
    );
    assert!(
        took < TEST_WRITE_TIMEOUT + slack,
        "cut after {took:?}, long past the write timeout"
    );
    assert_eq!(
        ids,
        (0..published).collect::<Vec<_>>(),
        "the healthy reader missed events"
    );
}

/// Closes `hub` with the `bye` event the shutdown scenarios expect, calls `stop_server`, and
/// waits (within [`PATIENCE`]) for `stopped`: how long the stop took.
pub(crate) async fn close_and_stop(
    hub: &Hub,
    stop_server: impl FnOnce(),
    stopped: impl Future<Output = ()>,
) -> Duration {
    let started = Instant::now();
    hub.close_with(Event::new("stopping").with_event_type("bye"));
    stop_server();
    tokio::time::timeout(PATIENCE, stopped)
        .await
        .expect("the server stopped");
    started.elapsed()
}

/// `addr` serves `hub`'s default channel at `path` with a write timeout of
/// [`TEST_WRITE_TIMEOUT`] (or a shutdown deadline as long), and shuts down gracefully when
/// `stop_server` is called; `stopped` completes when the server has stopped. With `stalled`
/// readers that never read and `healthy` ones, while the hub publishes: after the hub is closed
/// with a `bye` event and the server told to stop, it stops within the write timeout plus
/// `slack`, and every healthy reader got every event and then `bye`. Returns how long the
/// shutdown took.
pub async fn shutdown_ends_with_stalled_readers(
    hub: &Hub,
    addr: SocketAddr,
    path: &str,
    slack: Duration,
    (stalled, healthy): (usize, usize),
    stop_server: impl FnOnce(),
    stopped: impl Future<Output = ()>,
) -> Duration {
    let client = reqwest::Client::new();
    let url = format!("http://{addr}{path}");
    let healthy_readers = join_all(
        (0..healthy).map(|_| async { frames(client.get(&url).send().await.expect("connect")) }),
    )
    .await;
    let mut stalled_readers = Vec::with_capacity(stalled);
    for _ in 0..stalled {
        stalled_readers.push(stalled_reader(addr, path).await);
    }
    wait_for_subscribers(hub, stalled + healthy).await;

    let reading = join_all(healthy_readers.into_iter().map(|mut frames| async move {
        let mut ids = 0;
        loop {
            match next_frame(&mut frames).await {
                Some(Frame::Event(event)) if event.event_type() == "bye" => break,
                Some(Frame::Event(event)) => {
                    assert_eq!(
                        event.id(),
                        Some(ids.to_string().as_str()),
                        "missed an event"
                    );
                    ids += 1;
                }
                Some(_) => {}
                None => panic!("the stream ended without its last frame"),
            }
        }
        assert!(
            next_frame(&mut frames).await.is_none(),
            "the stream goes on after bye"
        );
        ids
    }));
    let stopping = async {
        // More than a stalled reader's socket buffers hold, so its writes block.
        let published = publish_fast(hub, 0, tokio::time::sleep(Duration::from_millis(50))).await;
        (published, close_and_stop(hub, stop_server, stopped).await)
    };
    let (counts, (published, took)) = tokio::join!(reading, stopping);
    drop(stalled_readers);
    assert!(
        counts.iter().all(|&n| n == published),
        "a healthy reader missed events"
    );
    assert!(
        took < TEST_WRITE_TIMEOUT + slack,
        "shutdown took {took:?}, long past the write timeout"
    );
    took
}
