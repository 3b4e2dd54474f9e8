//! A client that stalls one HTTP/2 stream: it stops granting that stream flow-control credit
//! while it keeps reading another on the same connection. The socket stays writable, so the
//! stream is held by flow control, not by the socket: its siblings must keep flowing, and the
//! server's graceful shutdown must still end. Run by every adapter against its own server.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, Stream};
use sse_codec::{Decoder, EventStream, Frame};
use sse_server::Hub;
use tokio::net::TcpStream;

use crate::client::PATIENCE;
use crate::hub::wait_for_subscribers;
use crate::stalled::{TEST_WRITE_TIMEOUT, close_and_stop, publish_every};

/// The flow-control window the client grants each stream: the server can send this much on the
/// stalled stream, then nothing more.
const STREAM_WINDOW: u32 = 16 * 1024;

/// The window for the whole connection: far more than the stalled stream holds, so the
/// healthy stream never runs short of connection-level credit.
const CONNECTION_WINDOW: u32 = 8 * 1024 * 1024;

/// An HTTP/2 connection (prior knowledge, cleartext) with [`STREAM_WINDOW`] per stream.
async fn connect(addr: SocketAddr) -> h2::client::SendRequest<Bytes> {
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let (send, connection) = h2::client::Builder::new()
        .initial_window_size(STREAM_WINDOW)
        .initial_connection_window_size(CONNECTION_WINDOW)
        .handshake(tcp)
        .await
        .expect("HTTP/2 handshake");
    tokio::spawn(async move {
        // Ends with an error when the server drops the connection: that is the point.
        let _ = connection.await;
    });
    send
}

/// Opens `GET path` on the connection: the response's body, not read yet.
async fn open(
    send: &mut h2::client::SendRequest<Bytes>,
    addr: SocketAddr,
    path: &str,
) -> h2::RecvStream {
    let request = http::Request::get(format!("http://{addr}{path}"))
        .header("accept", "text/event-stream")
        .body(())
        .expect("request");
    let ready = send.clone().ready().await.expect("connection ready");
    *send = ready;
    let (response, _) = send.send_request(request, true).expect("stream opened");
    let response = response.await.expect("response head");
    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), http::Version::HTTP_2);
    response.into_body()
}

/// A body that is read, each chunk's credit given back at once: a healthy stream.
fn read_healthily(body: h2::RecvStream) -> impl Stream<Item = Result<Bytes, h2::Error>> {
    stream::unfold(body, |mut body| async move {
        let chunk = body.data().await?;
        if let Ok(chunk) = &chunk {
            body.flow_control()
                .release_capacity(chunk.len())
                .expect("credit released");
        }
        Some((chunk, body))
    })
}

/// `addr` serves `hub`'s default channel at `path`, over HTTP/2 with prior knowledge; the
/// server shuts down gracefully when `stop_server` is called (after the scenario has closed the
/// hub with a `bye` event), dropping the connections still open [`TEST_WRITE_TIMEOUT`] later;
/// `stopped` completes when the server has stopped.
///
/// One connection carries two streams: one the client reads, one it stalls (no credit after
/// the first 16 KiB). While the hub publishes for twice the write
/// timeout, the healthy stream gets every event, in order, one by one: a stalled stream holds
/// no sibling. Then the shutdown: the healthy stream gets the rest and `bye`, and the server
/// stops within the grace plus `slack`, the stalled stream's subscription released. Returns
/// how long the shutdown took.
pub async fn stalled_http2_stream_holds_neither_its_sibling_nor_the_shutdown(
    hub: &Hub,
    addr: SocketAddr,
    path: &str,
    slack: Duration,
    stop_server: impl FnOnce(),
    stopped: impl Future<Output = ()>,
) -> Duration {
    let mut connection = connect(addr).await;
    let healthy = open(&mut connection, addr, path).await;
    let stalled = open(&mut connection, addr, path).await;
    wait_for_subscribers(hub, 2).await;
    let mut healthy =
        EventStream::with_decoder(read_healthily(healthy), Decoder::new().with_comments(true));

    let reading = async {
        let mut ids = Vec::new();
        loop {
            let frame = tokio::time::timeout(PATIENCE, futures_util::StreamExt::next(&mut healthy))
                .await
                .expect("the healthy stream is held up");
            match frame {
                Some(Ok(Frame::Event(event))) if event.event_type() == "bye" => break,
                Some(Ok(Frame::Event(event))) => {
                    ids.push(event.id().expect("an id").parse::<u64>().expect("a number"));
                }
                Some(Ok(_)) => {}
                other => panic!(
                    "the healthy stream ended without its last frame after {} events: {other:?}",
                    ids.len()
                ),
            }
        }
        let end = tokio::time::timeout(PATIENCE, futures_util::StreamExt::next(&mut healthy))
            .await
            .expect("the healthy stream ends after bye");
        assert!(end.is_none(), "the stream goes on after bye: {end:?}");
        ids
    };
    let stopping = async {
        // 200 KB/s: the stalled stream's window fills within a tenth of a second, while the
        // healthy one (a debug build's h2 client and decoder) keeps up on a loaded machine.
        let until = tokio::time::sleep(2 * TEST_WRITE_TIMEOUT);
        let published = publish_every(hub, 0, Duration::from_millis(5), until).await;
        (published, close_and_stop(hub, stop_server, stopped).await)
    };
    let (ids, (published, took)) = tokio::join!(reading, stopping);
    drop(stalled);

    assert_eq!(
        ids,
        (0..published).collect::<Vec<_>>(),
        "the healthy stream missed events"
    );
    assert!(
        took < TEST_WRITE_TIMEOUT + slack,
        "shutdown took {took:?}, long past its grace of {TEST_WRITE_TIMEOUT:?}"
    );
    wait_for_subscribers(hub, 0).await;
    took
}
