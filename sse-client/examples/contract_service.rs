//! A test service for LaunchDarkly's `sse-contract-tests` harness, which runs a standard suite
//! of SSE client tests against any implementation through a small HTTP protocol.
//!
//! ```sh
//! cargo run -p sse-client --example contract_service -- 8000
//! sse-contract-tests --url http://127.0.0.1:8000
//! ```
//!
//! The protocol (the harness's "service spec"): `GET /` answers the capabilities; `POST /`
//! with the stream's options starts a client and answers `201 Created` with its `Location`;
//! `POST <location>` with `{"command": "restart"}` makes it reconnect; `DELETE <location>`
//! stops it; `DELETE /` quits. Every event, comment and error a client receives is POSTed as
//! JSON to `<callbackUrl>/<n>`, `n` counting from 1 for each client, so that the harness can
//! put them back in order.
//!
//! Port 0 picks a free port; the address is printed on the first line of standard output.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use sse_client::{Backoff, EventSource, Item};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// What this service can do, in the harness's words.
pub const CAPABILITIES: &[&str] = &[
    "comments",
    "headers",
    "last-event-id",
    "post",
    "report",
    "read-timeout",
    "restart",
];

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = match std::env::args().nth(1) {
        Some(port) => port.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "usage: contract_service [PORT]",
            )
        })?,
        None => 8000,
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    serve(listener).await
}

/// Serves the protocol on `listener` until a `DELETE /` arrives; then stops every client and
/// returns.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    let (quit, mut quitting) = watch::channel(false);
    let service = Service {
        address: listener.local_addr()?,
        next_id: Arc::new(AtomicU64::new(1)),
        clients: Arc::new(Mutex::new(HashMap::new())),
        quit: Arc::new(quit),
    };
    let clients = service.clients.clone();
    let app = Router::new()
        .route("/", get(status).post(create).delete(shut_down))
        .route("/streams/{id}", post(command).delete(stop))
        .with_state(service);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            // An error means every sender is gone, which is a reason to stop too.
            let _ = quitting.wait_for(|quit| *quit).await;
        })
        .await?;
    clients.lock().expect("not poisoned").clear();
    Ok(())
}

#[derive(Clone)]
struct Service {
    address: SocketAddr,
    next_id: Arc<AtomicU64>,
    /// Each running client's command channel; dropping it stops the client.
    clients: Arc<Mutex<HashMap<u64, mpsc::UnboundedSender<Command>>>>,
    quit: Arc<watch::Sender<bool>>,
}

enum Command {
    Restart,
}

/// The body of `POST /`: all but the two URLs are optional.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StreamOptions {
    stream_url: String,
    callback_url: String,
    tag: Option<String>,
    initial_delay_ms: Option<u64>,
    read_timeout_ms: Option<u64>,
    last_event_id: Option<String>,
    headers: Option<HashMap<String, String>>,
    method: Option<String>,
    body: Option<String>,
}

async fn status() -> impl IntoResponse {
    axum::Json(json!({ "name": "sse-client", "capabilities": CAPABILITIES }))
}

async fn shut_down(State(service): State<Service>) -> StatusCode {
    service.quit.send_replace(true);
    StatusCode::NO_CONTENT
}

async fn create(State(service): State<Service>, headers: HeaderMap, body: Bytes) -> Response {
    let options: StreamOptions = match serde_json::from_slice(&body) {
        Ok(options) => options,
        Err(error) => return bad_request(format!("invalid stream options: {error}")),
    };
    let source = match event_source(&options) {
        Ok(source) => source,
        Err(message) => return bad_request(message),
    };
    let id = service.next_id.fetch_add(1, Ordering::Relaxed);
    let (commands, receiver) = mpsc::unbounded_channel();
    service
        .clients
        .lock()
        .expect("not poisoned")
        .insert(id, commands);
    if let Some(tag) = &options.tag {
        eprintln!("stream {id}: {tag}");
    }
    tokio::spawn(run_client(source, options.callback_url, receiver));
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map_or_else(|| service.address.to_string(), str::to_owned);
    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("http://{host}/streams/{id}"))],
    )
        .into_response()
}

async fn command(State(service): State<Service>, Path(id): Path<u64>, body: Bytes) -> Response {
    let command: Value = match serde_json::from_slice(&body) {
        Ok(command) => command,
        Err(error) => return bad_request(format!("invalid command: {error}")),
    };
    let clients = service.clients.lock().expect("not poisoned");
    let Some(client) = clients.get(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match command.get("command").and_then(Value::as_str) {
        Some("restart") => {
            // The client's task may have ended with its stream; the harness is told nothing.
            let _ = client.send(Command::Restart);
            StatusCode::NO_CONTENT.into_response()
        }
        other => bad_request(format!("unknown command {other:?}")),
    }
}

async fn stop(State(service): State<Service>, Path(id): Path<u64>) -> StatusCode {
    match service.clients.lock().expect("not poisoned").remove(&id) {
        Some(_) => StatusCode::NO_CONTENT,
        None => StatusCode::NOT_FOUND,
    }
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// The client the options describe.
fn event_source(options: &StreamOptions) -> Result<EventSource, String> {
    let method = match options.method.as_deref() {
        None => reqwest::Method::GET,
        Some(method) => reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|_| format!("invalid method {method:?}"))?,
    };
    let mut request = reqwest::Client::new().request(method, &options.stream_url);
    let headers = options.headers.clone().unwrap_or_default();
    let has_content_type = headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case("content-type"));
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if let Some(body) = &options.body {
        if !has_content_type {
            request = request.header(header::CONTENT_TYPE.as_str(), "text/plain");
        }
        request = request.body(body.clone());
    }
    // The harness sets the timing it wants, so the delays are exactly the reconnection time.
    let mut builder = EventSource::builder(request)
        .backoff(Backoff::constant().min_delay(Duration::from_millis(1)))
        .comments(true);
    if let Some(delay) = options.initial_delay_ms {
        builder = builder.reconnection_time(Duration::from_millis(delay));
    }
    if let Some(timeout) = options.read_timeout_ms {
        builder = builder.idle_timeout(Duration::from_millis(timeout));
    }
    if let Some(id) = options.last_event_id.as_deref().filter(|id| !id.is_empty()) {
        builder = builder.last_event_id(id);
    }
    builder.build().map_err(|error| error.to_string())
}

/// Reads `source`, posting what it receives to the callback, until the client is stopped.
async fn run_client(
    mut source: EventSource,
    callback_url: String,
    mut commands: mpsc::UnboundedReceiver<Command>,
) {
    let callbacks = reqwest::Client::new();
    let callback_url = callback_url.trim_end_matches('/').to_owned();
    let mut sent: u64 = 0;
    let mut ended = false;
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                Some(Command::Restart) => {
                    source.restart();
                    ended = false;
                }
                // Stopped, or the service quits.
                None => return,
            },
            item = source.next(), if !ended => {
                let Some(item) = item else {
                    ended = true;
                    continue;
                };
                let Some(message) = callback_message(&item) else { continue };
                sent += 1;
                let posted = callbacks
                    .post(format!("{callback_url}/{sent}"))
                    .json(&message)
                    .send()
                    .await;
                if let Err(error) = posted {
                    eprintln!("callback {sent} to {callback_url} failed: {error}");
                }
            },
        }
    }
}

/// The harness's message for `item`; none for the opening of a connection.
fn callback_message(item: &Item) -> Option<Value> {
    match item {
        Item::Event(event) => {
            let mut fields = json!({ "type": event.event_type(), "data": event.data() });
            if let Some(id) = event.id() {
                fields["id"] = json!(id);
            }
            Some(json!({ "kind": "event", "event": fields }))
        }
        Item::Comment(comment) => Some(json!({ "kind": "comment", "comment": &**comment })),
        Item::Error { error, .. } => Some(json!({ "kind": "error", "comment": error.to_string() })),
        _ => None,
    }
}
