//! The helpers for LLM streams: the `[DONE]` sentinel and JSON event data, on a one-shot
//! completion from a scripted server on 127.0.0.1.

mod support;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde::Deserialize;
use sse_client::{EventSource, Item, RetryPolicy, until_done};
use support::{PATIENCE, Reply, Step, TestServer, send};

#[derive(Debug, Deserialize, PartialEq)]
struct Chunk {
    delta: String,
}

#[tokio::test]
async fn a_completion_ends_at_done_and_its_chunks_parse_as_json() {
    // The server keeps the body open after `[DONE]`, as some do.
    let server = TestServer::start([Reply::events([
        send("data: {\"delta\":\"Hel\"}\n\n"),
        send("data: {\"delta\":\"lo\"}\n\n"),
        send("data: [DONE]\n\n"),
        Step::Hold,
    ])])
    .await;
    let request = reqwest::Client::new()
        .post(server.url("/v1/completions"))
        .json(&serde_json::json!({"stream": true}));
    let source = EventSource::builder(request)
        .retry_policy(RetryPolicy::OneShot)
        .build()
        .unwrap();

    let mut chunks = Vec::new();
    let mut items = until_done(source);
    while let Some(item) = tokio::time::timeout(PATIENCE, items.next()).await.unwrap() {
        match item {
            Item::Event(event) => chunks.push(event.parse_json::<Chunk>().unwrap()),
            Item::Open { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        chunks,
        [
            Chunk {
                delta: "Hel".into()
            },
            Chunk { delta: "lo".into() }
        ]
    );
    // The source went with the sentinel: the server sees its client leave.
    let started = Instant::now();
    while server.bodies_dropped() == 0 {
        assert!(
            started.elapsed() < PATIENCE,
            "the connection stayed open after [DONE]"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(items.next().await.is_none());
}
