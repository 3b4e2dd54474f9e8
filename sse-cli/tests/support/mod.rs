//! What the process tests share: a scripted SSE server on 127.0.0.1 and a way to run `sse`.
//!
//! The server runs on its own thread and runtime, so that tests run the binary with a plain,
//! blocking `std::process::Command`. It answers each request, on any path, with the next reply
//! of its script, then `204 No Content` (which stops a client) once the script is used up, and
//! keeps every request it saw.

#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use serde_json::Value;

/// One step of a scripted body.
#[derive(Clone, Debug)]
pub enum Step {
    /// These bytes, as one chunk.
    Send(&'static str),
    /// A pause.
    Wait(Duration),
    /// The connection is aborted once what was sent has left: a network error for the client.
    Cut,
    /// Nothing more, with the connection kept open.
    Hold,
}

/// One scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub steps: Vec<Step>,
}

impl Reply {
    /// 200 `text/event-stream` with a body that runs `steps`, then ends.
    pub fn events(steps: impl IntoIterator<Item = Step>) -> Self {
        Reply {
            status: 200,
            content_type: "text/event-stream",
            steps: steps.into_iter().collect(),
        }
    }

    /// `status`, with an empty body.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            content_type: "text/plain",
            steps: Vec::new(),
        }
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The scripted server.
pub struct Server {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Starts a server that plays `replies` in order.
    pub fn start(replies: impl IntoIterator<Item = Reply>) -> Self {
        let script = Arc::new(Mutex::new(replies.into_iter().collect::<VecDeque<_>>()));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let state = (script, seen.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let app =
                    Router::new().fallback(move |request: Request| answer(state.clone(), request));
                axum::serve(listener, app).await.unwrap();
            });
        });
        Server {
            addr: addr_rx.recv().unwrap(),
            seen,
        }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

type State = (Arc<Mutex<VecDeque<Reply>>>, Arc<Mutex<Vec<Seen>>>);

async fn answer((script, seen): State, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    seen.lock().unwrap().push(Seen {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let reply = script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| Reply::status(204));
    let steps = futures_util::stream::iter(reply.steps).then(|step| async move {
        match step {
            Step::Send(text) => Some(Ok(Bytes::from_static(text.as_bytes()))),
            Step::Wait(pause) => {
                tokio::time::sleep(pause).await;
                None
            }
            Step::Cut => {
                // Give what was sent time to leave: hyper drops unsent bytes on an abort.
                tokio::time::sleep(Duration::from_millis(200)).await;
                Some(Err(std::io::Error::other("cut")))
            }
            Step::Hold => {
                std::future::pending::<()>().await;
                None
            }
        }
    });
    let chunks = steps.filter_map(std::future::ready);
    Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap())
        .header("content-type", reply.content_type)
        .body(Body::from_stream(chunks))
        .unwrap()
}

/// The `sse` binary with `args`.
pub fn sse(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sse"));
    command
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR");
    command
}

/// Runs `command` and returns its output (`sse` ends by itself in every test: each run has a
/// `--timeout` or a script that ends).
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the sse binary runs")
}

/// The exit status.
pub fn status(output: &Output) -> i32 {
    output.status.code().expect("sse exits with a status")
}

/// Standard output parsed as JSON lines; every line must be a JSON object with a string
/// `kind` and a number `t`.
pub fn json_lines(output: &Output) -> Vec<Value> {
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert!(value["kind"].is_string(), "{line}");
            assert!(value["t"].is_f64() || value["t"].is_u64(), "{line}");
            value
        })
        .collect()
}

/// The `kind` of each line.
pub fn kinds(lines: &[Value]) -> Vec<&str> {
    lines
        .iter()
        .map(|line| line["kind"].as_str().unwrap())
        .collect()
}

/// `(data, id)` of each event line.
pub fn events(lines: &[Value]) -> Vec<(String, Option<String>)> {
    lines
        .iter()
        .filter(|line| line["kind"] == "event")
        .map(|line| {
            (
                line["data"].as_str().unwrap().to_owned(),
                line["id"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
