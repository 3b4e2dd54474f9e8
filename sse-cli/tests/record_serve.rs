//! `sse record`, then `sse serve`, then `sse`: the same events and ids as the original stream,
//! with resume, `--loop` and `--speed`.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::{Reply, Server, Step, json_lines, run, sse, status, stderr};

/// Events 1 to 5 with types and pauses, a cut in the middle of event 4, and a resume.
fn script() -> Vec<Reply> {
    vec![
        Reply::events([
            Step::Send("retry: 100\n: hello\n\nid: 1\nevent: price\ndata: {\"p\":1}\n\n"),
            Step::Wait(Duration::from_millis(300)),
            Step::Send("id: 2\ndata: two\ndata: lines\n\n"),
            Step::Wait(Duration::from_millis(300)),
            Step::Send("data: three, no id of its own\n\nid: 4\ndata: cut"),
            Step::Cut,
        ]),
        Reply::events([
            Step::Send("id: 4\nevent: price\ndata: {\"p\":4}\n\n"),
            Step::Wait(Duration::from_millis(300)),
            Step::Send("id: 5\ndata: five\n\n"),
        ]),
    ]
}

/// `(type, data, id)` of each event line.
fn events(lines: &[Value]) -> Vec<(String, String, Option<String>)> {
    lines
        .iter()
        .filter(|line| line["kind"] == "event")
        .map(|line| {
            (
                line["type"].as_str().unwrap().to_owned(),
                line["data"].as_str().unwrap().to_owned(),
                line["id"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// A path in a directory of this test process's own, so that parallel runs do not meet.
fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sse-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn record(name: &str, extra: &[&str]) -> (PathBuf, std::process::Output) {
    let (file, output, _) = record_from(&Server::start(script()), name, extra);
    (file, output)
}

fn record_from(
    server: &Server,
    name: &str,
    extra: &[&str],
) -> (PathBuf, std::process::Output, Vec<support::Seen>) {
    let file = temp_file(name);
    let url = server.url("/feed");
    let mut args = vec!["record", url.as_str(), "-o", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = run(&mut sse(&args));
    (file, output, server.seen())
}

/// A running `sse serve`, killed when dropped.
struct Serving {
    child: Child,
    url: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(file: &Path, extra: &[&str]) -> Serving {
    let mut args = vec!["serve", file.to_str().unwrap(), "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut child = sse(&args).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let start = line.find("http://").unwrap_or_else(|| panic!("{line}"));
    let url = line[start..].split_whitespace().next().unwrap().to_owned();
    Serving {
        child,
        url: format!("{url}replay"),
    }
}

fn watch(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--json", "--timeout", "20s"];
    args.extend_from_slice(extra);
    args.push(url);
    run(&mut sse(&args))
}

#[test]
fn record_then_serve_then_sse_gives_the_same_events_and_ids() {
    let original = {
        let server = Server::start(script());
        watch(&server.url("/feed"), &[])
    };
    assert_eq!(status(&original), 0, "{}", stderr(&original));
    let original = events(&json_lines(&original));
    assert_eq!(original.len(), 5);
    assert_eq!(
        original[2],
        (
            "message".into(),
            "three, no id of its own".into(),
            Some("2".into())
        )
    );

    let (file, output) = record("same.jsonl", &[]);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert!(stderr(&output).contains("5 events"), "{}", stderr(&output));
    let text = std::fs::read_to_string(&file).unwrap();
    let header: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(
        (header["format"].as_str(), header["version"].as_u64()),
        (Some("sse-recording"), Some(1))
    );
    assert!(header["url"].as_str().unwrap().ends_with("/feed"));
    let kinds: Vec<String> = text
        .lines()
        .skip(1)
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(
        kinds.contains(&"comment".to_owned()) && kinds.contains(&"retry".to_owned()),
        "{kinds:?}"
    );

    let serving = serve(&file, &["--speed", "4"]);
    let replayed = watch(&serving.url, &[]);
    // The served stream ends; the client's reconnect with the last id gets 204: status 0.
    assert_eq!(status(&replayed), 0, "{}", stderr(&replayed));
    assert_eq!(events(&json_lines(&replayed)), original);

    // Resume from an id: exactly what came after it.
    let resumed = watch(&serving.url, &["--last-event-id", "2"]);
    assert_eq!(events(&json_lines(&resumed)), original[2..]);
    let unknown = watch(&serving.url, &["--last-event-id", "nope"]);
    assert_eq!(events(&json_lines(&unknown)), original);
    // Comments come back too.
    let comments = watch(&serving.url, &["--comments", "-n", "1"]);
    let lines = json_lines(&comments);
    let comment = lines.iter().find(|line| line["kind"] == "comment").unwrap();
    assert_eq!(comment["text"], " hello");
}

#[test]
fn loop_starts_over_and_speed_scales_the_timing() {
    let (file, output) = record("loop.jsonl", &[]);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let serving = serve(&file, &["--loop", "--speed", "10"]);
    let looped = watch(&serving.url, &["-n", "8", "--no-reconnect"]);
    assert_eq!(status(&looped), 0, "{}", stderr(&looped));
    let ids: Vec<Option<String>> = events(&json_lines(&looped))
        .into_iter()
        .map(|e| e.2)
        .collect();
    let expected: Vec<Option<String>> = ["1", "2", "2", "4", "5", "1", "2", "2"]
        .map(|id| Some(id.to_owned()))
        .into();
    assert_eq!(ids, expected);

    // The recording spans at least 0.9 s from the first event to the last (three pauses of
    // 300 ms); at speed 10 the replay takes a tenth of that, with room for a slow machine.
    let span = |lines: &[Value]| {
        let times: Vec<f64> = lines
            .iter()
            .filter(|l| l["kind"] == "event")
            .map(|l| l["t"].as_f64().unwrap())
            .collect();
        times.last().unwrap() - times.first().unwrap()
    };
    let text = std::fs::read_to_string(&file).unwrap();
    let recorded: Vec<Value> = text
        .lines()
        .skip(1)
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let recorded_span = span(&recorded);
    assert!(recorded_span >= 0.9, "{recorded_span}");
    let fast = serve(&file, &["--speed", "10"]);
    let replayed = watch(&fast.url, &["-n", "5"]);
    let replayed_span = span(&json_lines(&replayed));
    assert!(
        replayed_span < recorded_span / 3.0,
        "{replayed_span} vs {recorded_span}"
    );
    let slow = serve(&file, &["--speed", "0.5"]);
    let replayed = watch(&slow.url, &["-n", "2"]);
    let slow_span = span(&json_lines(&replayed));
    assert!(slow_span >= 0.55, "{slow_span}");
}

#[test]
fn record_stops_at_max_events_and_timeout() {
    let (file, output) = record("two.jsonl", &["-n", "2", "-q"]);
    assert_eq!(status(&output), 0);
    assert_eq!(stderr(&output), "");
    let text = std::fs::read_to_string(&file).unwrap();
    let recorded: Vec<Value> = text
        .lines()
        .skip(1)
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(recorded.iter().filter(|l| l["kind"] == "event").count(), 2);
    assert_eq!(recorded.last().unwrap()["reason"], "--max-events 2 reached");
    let (_, output) = record("timeout.jsonl", &["-n", "9", "--timeout", "200ms"]);
    assert_eq!(status(&output), 1);
    // The connection flags are watching's.
    let server = Server::start([Reply::events([Step::Send("data: a\n\n")])]);
    let flags = [
        "-H",
        "X-Test: rec",
        "-d",
        "q",
        "--last-event-id",
        "7",
        "--no-reconnect",
        "--idle-timeout",
        "5s",
    ];
    let (file, output, seen) = record_from(&server, "flags.jsonl", &flags);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert_eq!(
        (seen.len(), seen[0].method.as_str(), seen[0].body.as_str()),
        (1, "POST", "q")
    );
    assert_eq!(
        (seen[0].header("x-test"), seen[0].header("last-event-id")),
        (Some("rec"), Some("7"))
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.lines()
            .last()
            .unwrap()
            .contains("the server ended the stream"),
        "{text}"
    );
}

#[test]
fn bad_recordings_and_arguments_are_2() {
    let missing = run(&mut sse(&["serve", "/nonexistent/recording.jsonl"]));
    assert_eq!(status(&missing), 2);
    assert!(
        stderr(&missing).contains("cannot open"),
        "{}",
        stderr(&missing)
    );
    let bad = temp_file("bad.jsonl");
    std::fs::write(&bad, "{\"format\":\"sse-recording\",\"version\":1,\"url\":\"u\",\"started_unix_ms\":0}\n{\"kind\":\"event\"}\n").unwrap();
    let output = run(&mut sse(&["serve", bad.to_str().unwrap()]));
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains("line 2"), "{}", stderr(&output));
    for speed in ["0", "-2", "fast"] {
        let speed = format!("--speed={speed}");
        let output = run(&mut sse(&["serve", bad.to_str().unwrap(), &speed]));
        assert_eq!(status(&output), 2, "{speed}");
        assert!(stderr(&output).contains("--speed"), "{}", stderr(&output));
    }
    let output = run(&mut sse(&[
        "record",
        "http://127.0.0.1:1/",
        "-o",
        "/nonexistent/dir/x.jsonl",
    ]));
    assert_eq!(status(&output), 2);
    assert!(
        stderr(&output).contains("cannot create"),
        "{}",
        stderr(&output)
    );
    let output = run(&mut sse(&["record", "http://127.0.0.1:1/"]));
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains("--output"), "{}", stderr(&output));
}

#[test]
fn an_address_taken_is_1() {
    let (file, output) = record("taken.jsonl", &["-n", "1"]);
    assert_eq!(status(&output), 0);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = run(&mut sse(&[
        "serve",
        file.to_str().unwrap(),
        "--listen",
        &address,
    ]));
    assert_eq!(status(&output), 1);
    assert!(
        stderr(&output).contains("cannot listen on"),
        "{}",
        stderr(&output)
    );
}
