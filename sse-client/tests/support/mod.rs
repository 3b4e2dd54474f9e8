//! A scriptable SSE server on 127.0.0.1 for the client's tests, and helpers to read a client.
//!
//! The server answers every request, whatever its path, with the next reply of its script (and
//! 204 once the script is used up, which stops a client), and records each request.

#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use futures_util::StreamExt;
use sse_client::{EventSource, Item};

/// How long a test waits for anything before it fails.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// One step of a scripted response body.
#[derive(Clone, Debug)]
pub enum Step {
    /// Sends these bytes as one chunk.
    Send(Bytes),
    /// Waits before the next step.
    Wait(Duration),
    /// Aborts the connection once what was sent has left (no end of the chunked body): a
    /// network error for the client.
    Cut,
    /// Sends nothing more and keeps the connection open.
    Hold,
}

/// Sends `text` as one chunk.
pub fn send(text: impl Into<String>) -> Step {
    Step::Send(Bytes::from(text.into()))
}

/// One scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    steps: Vec<Step>,
}

impl Reply {
    /// A 200 `text/event-stream` response whose body runs `steps`, then ends cleanly.
    pub fn events(steps: impl IntoIterator<Item = Step>) -> Self {
        Reply {
            status: StatusCode::OK,
            headers: vec![(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            )],
            steps: steps.into_iter().collect(),
        }
    }

    /// A response with this status and an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status: StatusCode::from_u16(status).expect("valid status"),
            headers: Vec::new(),
            steps: Vec::new(),
        }
    }

    /// Adds (or, for the content type, replaces) a header. `{base}` in the value becomes the
    /// server's `http://127.0.0.1:PORT`, for an absolute `Location`.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        let name = HeaderName::from_static(name);
        self.headers.retain(|(existing, _)| *existing != name);
        self.headers
            .push((name, HeaderValue::from_str(value).expect("valid header")));
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub at: Instant,
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("text header"))
    }
}

#[derive(Default)]
struct State {
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<Recorded>>,
    bodies_dropped: AtomicUsize,
    /// `http://127.0.0.1:PORT`, put in place of `{base}` in reply headers.
    base: std::sync::OnceLock<String>,
}

/// The running server.
#[derive(Clone)]
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    state: Arc<State>,
}

impl TestServer {
    /// Starts a server that answers the requests, in order, with `replies`.
    pub async fn start(replies: impl IntoIterator<Item = Reply>) -> Self {
        let state = Arc::new(State {
            script: Mutex::new(replies.into_iter().collect()),
            ..State::default()
        });
        let app = Router::new().fallback({
            let state = state.clone();
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move { answer(&state, method, uri, headers, body) }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        state.base.set(base.clone()).expect("set once");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        TestServer { base, state }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The requests seen so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().expect("lock").clone()
    }

    /// Waits until the server has seen `count` requests, and returns them.
    pub async fn wait_for_requests(&self, count: usize) -> Vec<Recorded> {
        let started = Instant::now();
        loop {
            let requests = self.requests();
            if requests.len() >= count {
                return requests;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{} requests, expected {count}",
                requests.len()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// How many scripted bodies have been dropped (ended, cut, or left by their client).
    pub fn bodies_dropped(&self) -> usize {
        self.state.bodies_dropped.load(Ordering::SeqCst)
    }
}

fn answer(
    state: &Arc<State>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.requests.lock().expect("lock").push(Recorded {
        at: Instant::now(),
        method,
        path: uri.path().to_owned(),
        headers,
        body,
    });
    let reply = state
        .script
        .lock()
        .expect("lock")
        .pop_front()
        .unwrap_or_else(|| Reply::status(204));
    let guard = DropGuard(state.clone());
    let steps = futures_util::stream::unfold(
        (VecDeque::from(reply.steps), guard),
        |(mut steps, guard)| async move {
            loop {
                match steps.pop_front()? {
                    Step::Send(bytes) => {
                        return Some((Ok::<_, std::io::Error>(bytes), (steps, guard)));
                    }
                    Step::Wait(duration) => tokio::time::sleep(duration).await,
                    Step::Cut => {
                        // hyper drops what it has not written yet when a body fails: let the
                        // bytes sent so far leave first.
                        tokio::time::sleep(Duration::from_millis(30)).await;
                        return Some((Err(std::io::Error::other("cut")), (VecDeque::new(), guard)));
                    }
                    Step::Hold => futures_util::future::pending::<()>().await,
                }
            }
        },
    );
    let mut response = Response::new(Body::from_stream(steps));
    *response.status_mut() = reply.status;
    let base = state.base.get().map_or("", String::as_str);
    for (name, value) in reply.headers {
        let value = match value.to_str() {
            Ok(text) if text.contains("{base}") => {
                HeaderValue::from_str(&text.replace("{base}", base)).expect("valid header")
            }
            _ => value,
        };
        response.headers_mut().insert(name, value);
    }
    response
}

/// Counts a scripted body as dropped when the server lets go of it.
struct DropGuard(Arc<State>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.bodies_dropped.fetch_add(1, Ordering::SeqCst);
    }
}

/// The next item, or a failure after [`PATIENCE`].
pub async fn next_item(source: &mut EventSource) -> Item {
    tokio::time::timeout(PATIENCE, source.next())
        .await
        .expect("an item in time")
        .expect("the stream has not ended")
}

/// Items up to and including the first for which `last` is true.
pub async fn items_until(source: &mut EventSource, last: impl Fn(&Item) -> bool) -> Vec<Item> {
    let mut items = Vec::new();
    loop {
        let item = next_item(source).await;
        let done = last(&item);
        items.push(item);
        if done {
            return items;
        }
    }
}

/// Every item until the stream ends (after a failed connection).
pub async fn all_items(source: &mut EventSource) -> Vec<Item> {
    let mut items = Vec::new();
    while let Some(item) = tokio::time::timeout(PATIENCE, source.next())
        .await
        .expect("the stream goes on or ends in time")
    {
        items.push(item);
    }
    items
}

/// The data of the events among `items`.
pub fn event_data(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Event(event) => Some(event.data().to_owned()),
            _ => None,
        })
        .collect()
}

/// A short, human-readable name for each item, for asserting on a sequence.
pub fn kinds(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Open { status, .. } => format!("open {}", status.as_u16()),
            Item::Event(event) => format!("event {}", event.data()),
            Item::Comment(comment) => format!("comment {comment}"),
            Item::Error { error, outcome } => format!("error {error:?} {outcome:?}"),
            _ => "other".to_owned(),
        })
        .collect()
}

/// Whether `item` is an error after which the client reconnects.
pub fn is_reestablish(item: &Item) -> bool {
    matches!(
        item,
        Item::Error {
            outcome: sse_client::Outcome::Reestablish { .. },
            ..
        }
    )
}

/// A backoff with short, exact delays, so that tests run fast and can time reconnects.
pub fn quick() -> sse_client::Backoff {
    sse_client::Backoff::constant().min_delay(Duration::from_millis(10))
}
