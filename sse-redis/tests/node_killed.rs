//! A node process killed with SIGKILL: the other node's clients keep receiving, and a client of
//! the dead node resumes on the other one with exactly what it missed.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::StreamExt;
use sse_codec::{Event, EventStream, Frame};
use sse_redis::{RedisHub, RedisHubConfig};
use sse_server::ResumeFrom;

use support::{PATIENCE, Reader, RedisServer};

/// The cluster example, built if need be, listening on a free port: the process and its URL.
fn start_node_process(redis: &RedisServer) -> (Child, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(cargo)
        .args(["build", "-q", "-p", "sse-redis", "--example", "cluster"])
        .status()
        .expect("run cargo");
    assert!(built.success(), "the cluster example builds");
    let target = std::env::var("CARGO_TARGET_DIR").map_or_else(
        |_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        std::path::PathBuf::from,
    );
    let mut child = Command::new(target.join("debug/examples/cluster"))
        .args(["--redis", &redis.url(), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the node");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the node says where it listens");
    let base = line
        .trim()
        .strip_prefix("node on ")
        .expect("its address")
        .to_owned();
    (child, base)
}

/// The next event of an HTTP response, skipping `retry` and comments.
async fn next_event<S, E>(frames: &mut EventStream<S>) -> Event
where
    EventStream<S>: futures_util::Stream<Item = Result<Frame, E>> + Unpin,
    E: std::fmt::Debug,
{
    let read = async {
        loop {
            if let Frame::Event(event) = frames.next().await.expect("open").expect("valid") {
                return event;
            }
        }
    };
    tokio::time::timeout(PATIENCE, read)
        .await
        .expect("an event in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_leaves_the_other_nodes_clients_receiving() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (mut process, base) = start_node_process(&redis);
    let survivor = RedisHub::connect(&redis.url(), RedisHubConfig::new())
        .await
        .unwrap();
    let main = survivor.channel("main").unwrap();
    let mut on_survivor = Reader::new(main.subscribe(None));

    let client = reqwest::Client::new();
    let response = client.get(format!("{base}/events")).send().await.unwrap();
    let mut on_process = EventStream::new(response.bytes_stream());
    let mut last_seen = String::new();
    for n in 0..3 {
        let id = client
            .post(format!("{base}/publish"))
            .body(format!("via the process {n}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let event = next_event(&mut on_process).await;
        assert_eq!(event.id(), Some(id.as_str()));
        assert_eq!(on_survivor.next().await.id(), Some(id.as_str()));
        last_seen = id;
    }
    let too_big = client
        .post(format!("{base}/publish"))
        .body(vec![b'x'; 64 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);

    process.kill().expect("SIGKILL");
    process.wait().unwrap();
    let ended = tokio::time::timeout(PATIENCE, on_process.next())
        .await
        .unwrap();
    assert!(!matches!(ended, Some(Ok(_))), "the dead node's stream ends");

    let mut missed = Vec::new();
    for n in 0..3 {
        let id = main
            .publish(Event::new(format!("after the kill {n}")))
            .await
            .unwrap();
        assert_eq!(on_survivor.next().await.id(), Some(&*id));
        missed.push(id);
    }
    let mut resumed = Reader::new(main.subscribe(ResumeFrom::After(last_seen.into())));
    for id in &missed {
        assert_eq!(resumed.next().await.id(), Some(&**id));
    }
    assert!(
        resumed
            .next_within(Duration::from_millis(200))
            .await
            .is_none()
    );
}
