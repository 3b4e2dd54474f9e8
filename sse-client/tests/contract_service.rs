//! The `contract_service` example, the test service for LaunchDarkly's `sse-contract-tests`
//! harness, driven through its protocol against the scripted server, with a callback endpoint
//! that records what the service posts.

mod support;

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/contract_service.rs"]
mod contract_service;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::routing::post;
use serde_json::{Value, json};
use support::{PATIENCE, Reply, Step, TestServer, send};

/// The harness's side: a callback endpoint that keeps every message by its number.
#[derive(Clone, Default)]
struct Callbacks(Arc<Mutex<Vec<(u64, Value)>>>);

impl Callbacks {
    async fn start(&self) -> String {
        let received = self.0.clone();
        let app = Router::new().route(
            "/callbacks/{n}",
            post(
                move |Path(n): Path<u64>, axum::Json(message): axum::Json<Value>| {
                    let received = received.clone();
                    async move { received.lock().unwrap().push((n, message)) }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/callbacks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    }

    /// Waits for `count` messages and returns them in the order of their numbers.
    async fn wait_for(&self, count: usize) -> Vec<(u64, Value)> {
        let started = Instant::now();
        loop {
            let mut received = self.0.lock().unwrap().clone();
            if received.len() >= count {
                received.sort_by_key(|(n, _)| *n);
                return received;
            }
            assert!(started.elapsed() < PATIENCE, "{received:?}");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

async fn start_service() -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (url, tokio::spawn(contract_service::serve(listener)))
}

#[tokio::test]
async fn the_service_speaks_the_harness_protocol() {
    let stream = TestServer::start([
        Reply::events([send(":hello\nevent: put\nid: 1\ndata: one\n\n"), Step::Cut]),
        Reply::events([send("data: two\n\n"), Step::Hold]),
        Reply::events([send("data: three\n\n"), Step::Hold]),
    ])
    .await;
    let callbacks = Callbacks::default();
    let callback_url = callbacks.start().await;
    let (service, running) = start_service().await;
    let http = reqwest::Client::new();

    let status: Value = http
        .get(&service)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let capabilities = status["capabilities"].as_array().unwrap();
    for capability in [
        "comments",
        "headers",
        "last-event-id",
        "post",
        "read-timeout",
        "restart",
    ] {
        assert!(capabilities.contains(&json!(capability)), "{capability}");
    }

    let created = http
        .post(&service)
        .json(&json!({
            "streamUrl": stream.url("/stream"),
            "callbackUrl": callback_url,
            "tag": "protocol test",
            "initialDelayMs": 20,
            "lastEventId": "abc",
            "headers": {"x-harness": "yes"},
            "method": "POST",
            "body": "request body",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&service), "{location}");

    let received = callbacks.wait_for(4).await;
    assert_eq!(
        received.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        received[0].1,
        json!({"kind": "comment", "comment": "hello"})
    );
    assert_eq!(
        received[1].1,
        json!({"kind": "event", "event": {"type": "put", "data": "one", "id": "1"}})
    );
    assert_eq!(received[2].1["kind"], "error");
    assert!(
        received[2].1["comment"]
            .as_str()
            .unwrap()
            .contains("transport")
    );
    assert_eq!(
        received[3].1,
        json!({"kind": "event", "event": {"type": "message", "data": "two", "id": "1"}})
    );

    let requests = stream.wait_for_requests(2).await;
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].body, "request body");
    assert_eq!(requests[0].header("content-type"), Some("text/plain"));
    assert_eq!(requests[0].header("last-event-id"), Some("abc"));
    assert_eq!(requests[1].header("last-event-id"), Some("1"));
    for request in &requests {
        assert_eq!(request.header("x-harness"), Some("yes"));
    }

    let restarted = http
        .post(&location)
        .json(&json!({"command": "restart"}))
        .send()
        .await
        .unwrap();
    assert!(restarted.status().is_success());
    let received = callbacks.wait_for(5).await;
    assert_eq!(
        received[4],
        (
            5,
            json!({"kind": "event", "event": {"type": "message", "data": "three", "id": "1"}})
        )
    );
    assert_eq!(
        stream.wait_for_requests(3).await[2].header("last-event-id"),
        Some("1")
    );

    let unknown = http
        .post(&location)
        .json(&json!({"command": "dance"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);

    let dropped_before = stream.bodies_dropped();
    assert!(
        http.delete(&location)
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    let started = Instant::now();
    while stream.bodies_dropped() == dropped_before {
        assert!(
            started.elapsed() < PATIENCE,
            "the stopped client's connection stays open"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(http.delete(&location).send().await.unwrap().status(), 404);
    assert_eq!(
        http.post(&location)
            .json(&json!({"command": "restart"}))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    assert!(
        http.delete(&service)
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
    );
    tokio::time::timeout(PATIENCE, running)
        .await
        .expect("DELETE / quits")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn the_read_timeout_restarts_a_silent_stream() {
    let stream = TestServer::start([
        Reply::events([send("data: one\n\n"), Step::Hold]),
        Reply::events([send("data: two\n\n"), Step::Hold]),
    ])
    .await;
    let callbacks = Callbacks::default();
    let callback_url = callbacks.start().await;
    let (service, _running) = start_service().await;
    let created = reqwest::Client::new()
        .post(&service)
        .json(&json!({
            "streamUrl": stream.url("/"),
            "callbackUrl": callback_url,
            "initialDelayMs": 10,
            "readTimeoutMs": 150,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let received = callbacks.wait_for(3).await;
    assert_eq!(received[0].1["event"]["data"], "one");
    assert_eq!(received[1].1["kind"], "error");
    assert_eq!(received[2].1["event"]["data"], "two");
    let requests = stream.wait_for_requests(2).await;
    assert!(requests[1].at - requests[0].at >= Duration::from_millis(150));
    assert_eq!(requests[0].method, "GET");
}

#[tokio::test]
async fn invalid_options_are_a_bad_request() {
    let (service, _running) = start_service().await;
    let http = reqwest::Client::new();
    for body in [
        "not json".to_owned(),
        json!({"callbackUrl": "http://127.0.0.1:1/"}).to_string(),
        json!({"streamUrl": "not a url", "callbackUrl": "http://127.0.0.1:1/"}).to_string(),
        json!({"streamUrl": "http://127.0.0.1:1/", "callbackUrl": "http://127.0.0.1:1/", "method": "BAD METHOD"}).to_string(),
    ] {
        let response = http.post(&service).body(body.clone()).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
    }
}

#[tokio::test]
async fn a_report_request_carries_its_method_body_and_content_type() {
    let stream = TestServer::start([Reply::events([send("data: x\n\n"), Step::Hold])]).await;
    let callbacks = Callbacks::default();
    let callback_url = callbacks.start().await;
    let (service, _running) = start_service().await;
    let created = reqwest::Client::new()
        .post(&service)
        .json(&json!({
            "streamUrl": stream.url("/report"),
            "callbackUrl": callback_url,
            "method": "REPORT",
            "body": "{\"user\":\"a\"}",
            "headers": {"content-type": "application/json"},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(callbacks.wait_for(1).await[0].1["event"]["data"], "x");
    let request = &stream.requests()[0];
    assert_eq!(request.method, "REPORT");
    assert_eq!(request.body, "{\"user\":\"a\"}");
    assert_eq!(request.header("content-type"), Some("application/json"));
}
