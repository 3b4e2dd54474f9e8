//! Running an example's router in the test's runtime.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;

/// How long a page may take to get what a test waits for, on a slow, shared machine.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// A listener on a free port of 127.0.0.1.
pub(crate) async fn listen() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1")
}

/// Serves `app` on `listener` until the test ends; returns the address.
pub(crate) fn serve(listener: TcpListener, app: axum::Router) -> SocketAddr {
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// The entries of a page's `sseLog` for events of type `kind`, as (`lastEventId`, data) pairs.
pub(crate) fn events_of(log: &[Value], kind: &str) -> Vec<(String, String)> {
    log.iter()
        .filter(|entry| entry["kind"] == kind)
        .map(|entry| {
            let text = |field: &str| entry[field].as_str().unwrap_or_default().to_owned();
            (text("id"), text("data"))
        })
        .collect()
}

/// How many entries of the log are of `kind` ("open", "error", an event type).
pub(crate) fn count_of(log: &[Value], kind: &str) -> usize {
    log.iter().filter(|entry| entry["kind"] == kind).count()
}
