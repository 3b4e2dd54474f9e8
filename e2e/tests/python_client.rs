//! Python's `sseclient` (the `sseclient-py` package, written by others) reads the stream of the
//! custom-events example: named events, ids, data and the reconnection time come out as sent.
//!
//! Without `python3` and `sseclient` this test is skipped, except under `CI=true`, where that
//! is a failure (`.ci/run` installs `sseclient-py`).

#[path = "../../sse-actix/examples/custom_events/app.rs"]
mod custom_events_app;
#[path = "browser/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use e2e::{find_program, skip_or_fail};
use serde_json::{Value, json};
use server::ActixServer;

/// Reads the first `count` events of the stream at `url` with `sseclient` and prints them as
/// one JSON array of `[event, id, data, retry]`; resumes after the id given as third argument.
const READER: &str = r#"
import json, sys, urllib.request
import sseclient

url, count = sys.argv[1], int(sys.argv[2])
headers = {"Last-Event-ID": sys.argv[3]} if len(sys.argv) > 3 else {}
request = urllib.request.Request(url, headers=headers)
with urllib.request.urlopen(request, timeout=10) as response:
    client = sseclient.SSEClient(response)
    events = []
    for event in client.events():
        events.append([event.event, event.id, event.data, event.retry])
        if len(events) == count:
            break
print(json.dumps(events))
"#;

#[tokio::test]
async fn sseclient_reads_named_events_ids_data_and_retry_and_resumes() {
    let Some(python) = find_program("PYTHON", &["python3"]) else {
        skip_or_fail("python_client", "needs python3 in PATH");
        return;
    };
    let has_sseclient = tokio::process::Command::new(&python)
        .args(["-c", "import sseclient"])
        .stderr(Stdio::null())
        .status()
        .await
        .is_ok_and(|status| status.success());
    if !has_sseclient {
        skip_or_fail(
            "python_client",
            "needs the Python package sseclient-py (pip install sseclient-py)",
        );
        return;
    }

    let server = ActixServer::start(custom_events_app::routes(Duration::from_millis(10)));
    let url = format!("http://{}/stream", server.addr());
    // sseclient hands every field out as text, the reconnection time (sent first, with the
    // first event) included.
    assert_eq!(
        read(&python, &[&url, "7"]).await,
        json!([
            ["message", "1", "message 1", "500"],
            ["message", "2", "message 2", null],
            ["custom_event", "3", "custom event 3", null],
            ["message", "4", "message 4", null],
            ["message", "5", "message 5", null],
            ["custom_event", "6", "custom event 6", null],
            ["message", "7", "message 7", null],
        ])
    );
    assert_eq!(
        read(&python, &[&url, "2", "4"]).await,
        json!([
            ["message", "5", "message 5", "500"],
            ["custom_event", "6", "custom event 6", null],
        ])
    );
}

/// Runs [`READER`] with `args`; returns what it printed.
async fn read(python: &Path, args: &[&str]) -> Value {
    let reader = tokio::process::Command::new(python)
        .args(["-c", READER])
        .args(args)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(30), reader)
        .await
        .expect("the Python client finishes within 30 s")
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the Python client failed: {stderr}"
    );
    serde_json::from_slice(&output.stdout).expect("JSON from the client")
}
