//! Server memory per idle SSE connection: sse-axum's `Sse` against axum's own, over HTTP/1.1
//! and HTTP/2 (a measurement that prints its result, not a test).
//!
//! ```sh
//! ulimit -n 20000   # each process holds one descriptor per connection
//! cargo run --release -p sse-axum --example memory_per_connection -- ours http1 10000
//! cargo run --release -p sse-axum --example memory_per_connection -- axum h2 10000 100
//! ```
//!
//! Arguments: `ours` (sse-axum's `Sse`, keep-alive on by default), `ours-no-keep-alive`, `axum`
//! (axum's `Sse`, keep-alive off by default) or `axum-keep-alive`; `http1` or `h2`; how many streams; for `h2`, over how many
//! connections. The program runs the server as a child process of itself (so the clients'
//! memory is not counted), reads the child's resident set from `/proc/self/statm` before and
//! after the streams open, and prints the difference per stream.

use std::convert::Infallible;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use futures_util::stream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    if args.first().map(String::as_str) == Some("--server") {
        runtime.block_on(serve(&args[1]));
        return;
    }
    let kind = args.first().cloned().unwrap_or_else(|| "ours".to_owned());
    let protocol = args.get(1).cloned().unwrap_or_else(|| "http1".to_owned());
    let streams: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let connections: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(100);
    runtime.block_on(measure(&kind, &protocol, streams, connections));
}

/// The child: serves idle streams on 127.0.0.1, prints its port, then its resident set in KB
/// each time a line arrives on stdin.
async fn serve(kind: &str) {
    let app = match kind {
        "axum" => Router::new().route(
            "/",
            get(|| async {
                axum::response::sse::Sse::new(stream::pending::<
                    Result<axum::response::sse::Event, Infallible>,
                >())
            }),
        ),
        "axum-keep-alive" => Router::new().route(
            "/",
            get(|| async {
                axum::response::sse::Sse::new(stream::pending::<
                    Result<axum::response::sse::Event, Infallible>,
                >())
                .keep_alive(axum::response::sse::KeepAlive::new())
            }),
        ),
        "ours-no-keep-alive" => Router::new().route(
            "/",
            get(|| async {
                sse_axum::Sse::new(stream::pending::<sse_axum::Event>())
                    .keep_alive(sse_axum::KeepAlive::disabled())
            }),
        ),
        // Keep-alive on, as sse-axum's `Sse` has it by default.
        _ => Router::new().route(
            "/",
            get(|| async { sse_axum::Sse::new(stream::pending::<sse_axum::Event>()) }),
        ),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    println!("{}", listener.local_addr().expect("address").port());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut lines = BufReader::new(std::io::stdin()).lines();
    while let Ok(Some(_)) = tokio::task::block_in_place(|| lines.next().transpose()) {
        println!("{}", resident_kb());
    }
}

/// This process's resident set, in KB (`/proc/self/statm`, pages of 4 KiB).
fn resident_kb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4
}

async fn measure(kind: &str, protocol: &str, streams: usize, connections: usize) {
    let mut child = Command::new(std::env::current_exe().expect("this program"))
        .args(["--server", kind])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut to_child = child.stdin.take().expect("stdin");
    let mut from_child = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next_number = move || {
        from_child
            .next()
            .and_then(Result::ok)
            .and_then(|line| line.parse::<u64>().ok())
            .expect("a number from the server")
    };
    let port = next_number();
    let mut ask = move || {
        writeln!(to_child, "rss").expect("ask");
        next_number()
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = ask();
    // Measured while the streams are held (dropped at the end of each arm).
    let after = match protocol {
        "h2" => {
            let _held = open_h2(port, streams, connections).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
            ask()
        }
        _ => {
            let _held = open_http1(port, streams).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
            ask()
        }
    };
    let per_stream = (after.saturating_sub(before)) as f64 / streams as f64;
    println!(
        "{kind} over {protocol}: {streams} idle streams{}: server RSS {before} KB -> {after} KB, {per_stream:.1} KB per stream",
        if protocol == "h2" {
            format!(" on {connections} connections")
        } else {
            String::new()
        }
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// `streams` HTTP/1.1 connections, each with its response head read.
async fn open_http1(port: u64, streams: usize) -> Vec<tokio::net::TcpStream> {
    let mut held = Vec::with_capacity(streams);
    for _ in 0..streams {
        let mut socket =
            tokio::net::TcpStream::connect(("127.0.0.1", u16::try_from(port).expect("a port")))
                .await
                .expect("connect");
        socket
            .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .await
            .expect("request");
        let mut head = [0; 512];
        let read = socket.read(&mut head).await.expect("response head");
        assert!(head[..read].starts_with(b"HTTP/1.1 200"), "a 200 response");
        held.push(socket);
    }
    held
}

/// `streams` HTTP/2 streams over `connections` prior-knowledge connections (one client each).
async fn open_h2(port: u64, streams: usize, connections: usize) -> Vec<reqwest::Response> {
    let clients: Vec<reqwest::Client> = (0..connections)
        .map(|_| {
            reqwest::Client::builder()
                .http2_prior_knowledge()
                .build()
                .expect("a client")
        })
        .collect();
    let url = format!("http://127.0.0.1:{port}/");
    let mut held = Vec::with_capacity(streams);
    for chunk in (0..streams).collect::<Vec<_>>().chunks(connections) {
        let opening = chunk
            .iter()
            .map(|&n| clients[n % connections].get(&url).send());
        for response in futures_util::future::join_all(opening).await {
            let response = response.expect("a response");
            assert_eq!(response.version(), reqwest::Version::HTTP_2);
            held.push(response);
        }
    }
    held
}
