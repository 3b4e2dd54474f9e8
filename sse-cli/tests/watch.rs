//! `sse <URL>` run as a process against scripted loopback servers: every flag, the JSON lines
//! and the exit status of each ending.

mod support;

use std::time::Duration;

use support::{Reply, Server, Step, events, json_lines, kinds, run, sse, status, stderr, stdout};

fn ids(range: std::ops::RangeInclusive<u32>) -> Vec<(String, Option<String>)> {
    range
        .map(|i| (format!("event {i}"), Some(i.to_string())))
        .collect()
}

const THREE_EVENTS: &str =
    "retry: 100\nid: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\nid: 3\ndata: event 3\n\n";

#[test]
fn json_lines_for_an_open_stream_reconnect_and_a_204() {
    let server = Server::start([Reply::events([Step::Send(THREE_EVENTS)])]);
    let output = run(&mut sse(&["--json", &server.url("/events")]));
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(
        kinds(&lines),
        [
            "open", "retry", "event", "event", "event", "error", "error", "closed"
        ]
    );
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[0]["url"], server.url("/events"));
    assert_eq!(lines[1]["ms"], 100);
    assert_eq!(lines[2]["type"], "message");
    assert_eq!(events(&lines), ids(1..=3));
    assert_eq!(lines[5]["retrying"], true);
    assert_eq!(lines[5]["message"], "the server ended the event stream");
    assert_eq!(lines[6]["retrying"], false);
    assert!(lines[6]["message"].as_str().unwrap().contains("204"));
    assert_eq!(lines[7]["reason"], "the server answered 204 No Content");
    let times: Vec<f64> = lines
        .iter()
        .map(|line| line["t"].as_f64().unwrap())
        .collect();
    assert!(times.windows(2).all(|pair| pair[0] <= pair[1]), "{times:?}");
    // The reconnect resumed after the last event.
    assert_eq!(server.seen()[1].header("last-event-id"), Some("3"));
}

#[test]
fn a_cut_in_the_middle_then_a_resume_with_no_gap_and_no_repeat() {
    let server = Server::start([
        Reply::events([
            Step::Send("retry: 100\nid: 1\ndata: event 1\n\nid: 2\ndata: event 2\n\n"),
            Step::Send("id: 3\ndata: event 3\n\nid: 4\ndata: cut off in the mid"),
            Step::Cut,
        ]),
        Reply::events([Step::Send(
            "id: 4\ndata: event 4\n\nid: 5\ndata: event 5\n\n",
        )]),
    ]);
    let output = run(&mut sse(&["--json", &server.url("/feed")]));
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(events(&lines), ids(1..=5));
    let errors: Vec<_> = lines
        .iter()
        .filter(|line| line["kind"] == "error")
        .collect();
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("transport error"),
        "{errors:?}"
    );
    assert_eq!(errors[0]["retrying"], true);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].header("last-event-id"), None);
    assert_eq!(seen[1].header("last-event-id"), Some("3"));
    assert_eq!(seen[2].header("last-event-id"), Some("5"));
    assert!(stderr(&output).contains("5 events"), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("2 reconnects"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn max_events_ends_with_status_0() {
    let server = Server::start([Reply::events([Step::Send(THREE_EVENTS), Step::Hold])]);
    let output = run(&mut sse(&["--json", "-n", "2", &server.url("/")]));
    assert_eq!(status(&output), 0);
    let lines = json_lines(&output);
    assert_eq!(events(&lines), ids(1..=2));
    assert_eq!(lines.last().unwrap()["reason"], "--max-events 2 reached");
    let output = run(&mut sse(&["--json", "--max-events", "1", &server.url("/")]));
    assert_eq!(events(&json_lines(&output)), []);
}

#[test]
fn event_types_filter_and_max_events_counts_after_the_filter() {
    let body = "event: a\ndata: 1\n\ndata: 2\n\nevent: b\ndata: 3\n\nevent: c\ndata: 4\n\nevent: a\ndata: 5\n\n";
    let server = Server::start([Reply::events([Step::Send(body), Step::Hold])]);
    let output = run(&mut sse(&[
        "--json",
        "-e",
        "a",
        "--event",
        "message",
        "-n",
        "3",
        &server.url("/"),
    ]));
    assert_eq!(status(&output), 0);
    let lines = json_lines(&output);
    let shown: Vec<_> = lines
        .iter()
        .filter(|line| line["kind"] == "event")
        .map(|line| {
            (
                line["type"].as_str().unwrap(),
                line["data"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(shown, [("a", "1"), ("message", "2"), ("a", "5")]);
    assert!(
        stderr(&output).contains("3 events (5 received)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn comments_only_with_the_flag() {
    let body = ": keep-alive\n\ndata: x\n\n";
    let server = Server::start([
        Reply::events([Step::Send(body)]),
        Reply::events([Step::Send(body)]),
    ]);
    let without = run(&mut sse(&["--json", "--no-reconnect", &server.url("/")]));
    assert_eq!(kinds(&json_lines(&without)), ["open", "event", "closed"]);
    let with = run(&mut sse(&[
        "--json",
        "--no-reconnect",
        "--comments",
        &server.url("/"),
    ]));
    let lines = json_lines(&with);
    assert_eq!(kinds(&lines), ["open", "comment", "event", "closed"]);
    // A comment is everything after the colon, its leading space included.
    assert_eq!(lines[1]["text"], " keep-alive");
}

#[test]
fn headers_method_data_and_last_event_id_reach_the_server() {
    let server = Server::start([
        Reply::events([Step::Send("data: a\n\n")]),
        Reply::events([Step::Send("data: b\n\n")]),
        Reply::events([Step::Send("data: c\n\n")]),
    ]);
    let url = server.url("/api");
    let output = run(&mut sse(&[
        "-q",
        "--no-reconnect",
        "-H",
        "X-Test: one",
        "--header",
        "Authorization: Bearer t",
        "-d",
        r#"{"q":1}"#,
        "--last-event-id",
        "41",
        &url,
    ]));
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    run(&mut sse(&[
        "-q",
        "--no-reconnect",
        "-X",
        "PUT",
        "--data",
        "body",
        &url,
    ]));
    run(&mut sse(&[
        "-q",
        "--no-reconnect",
        "--method",
        "REPORT",
        &url,
    ]));
    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].header("x-test"), Some("one"));
    assert_eq!(seen[0].header("authorization"), Some("Bearer t"));
    assert_eq!(seen[0].header("last-event-id"), Some("41"));
    assert_eq!(seen[0].header("accept"), Some("text/event-stream"));
    assert_eq!(seen[0].body, r#"{"q":1}"#);
    assert_eq!(
        (seen[1].method.as_str(), seen[1].body.as_str()),
        ("PUT", "body")
    );
    assert_eq!(
        (seen[2].method.as_str(), seen[2].body.as_str()),
        ("REPORT", "")
    );
    assert_eq!(seen[2].header("last-event-id"), None);
}

#[test]
fn no_reconnect_makes_one_connection_and_its_end_is_status_0() {
    let server = Server::start([Reply::events([Step::Send(THREE_EVENTS)])]);
    let output = run(&mut sse(&["--json", "--no-reconnect", &server.url("/")]));
    assert_eq!(status(&output), 0);
    let lines = json_lines(&output);
    assert_eq!(events(&lines), ids(1..=3));
    assert_eq!(
        lines.last().unwrap()["reason"],
        "the server ended the stream"
    );
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn an_idle_connection_is_reconnected() {
    let server = Server::start([
        Reply::events([Step::Send("retry: 100\nid: 1\ndata: first\n\n"), Step::Hold]),
        Reply::events([Step::Send("id: 2\ndata: second\n\n"), Step::Hold]),
    ]);
    let output = run(&mut sse(&[
        "--json",
        "--idle-timeout",
        "300ms",
        "-n",
        "2",
        "--timeout",
        "10s",
        &server.url("/"),
    ]));
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(
        events(&lines),
        [
            ("first".into(), Some("1".into())),
            ("second".into(), Some("2".into()))
        ]
    );
    let error = lines.iter().find(|line| line["kind"] == "error").unwrap();
    assert_eq!(error["message"], "no bytes received for 300 ms");
    assert_eq!(server.seen()[1].header("last-event-id"), Some("1"));
}

#[test]
fn raw_writes_the_body_bytes_and_nothing_else() {
    let body = "retry: 100\r\n: comment\r\nid: 1\r\ndata: a\r\n\r\n";
    let server = Server::start([
        Reply::events([Step::Send(body)]),
        Reply::events([Step::Send(body)]),
    ]);
    let output = run(&mut sse(&["--raw", "--no-reconnect", &server.url("/")]));
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output), body);
    assert!(
        stderr(&output).contains(&format!("{} body bytes", body.len())),
        "{}",
        stderr(&output)
    );
    // With reconnects: the same bytes twice, then the 204 stops it; -n counts decoded events.
    let server = Server::start([
        Reply::events([Step::Send(body)]),
        Reply::events([Step::Send(body)]),
    ]);
    let output = run(&mut sse(&["--raw", "-q", &server.url("/")]));
    assert_eq!(status(&output), 0);
    assert_eq!(stdout(&output), body.repeat(2));
    assert_eq!(server.seen()[1].header("last-event-id"), Some("1"));
    assert!(stderr(&output).is_empty());
    let server = Server::start([Reply::events([
        Step::Send(body),
        Step::Send(body),
        Step::Hold,
    ])]);
    let output = run(&mut sse(&["--raw", "-n", "1", "-q", &server.url("/")]));
    assert_eq!((status(&output), stdout(&output)), (0, body.to_owned()));
}

#[test]
fn quiet_has_no_summary() {
    let server = Server::start([
        Reply::events([Step::Send(THREE_EVENTS)]),
        Reply::events([Step::Send(THREE_EVENTS)]),
    ]);
    let loud = run(&mut sse(&["--json", "--no-reconnect", &server.url("/")]));
    let summary = stderr(&loud);
    assert!(
        summary.starts_with("sse: 3 events, 21 data bytes, 0 reconnects, "),
        "{summary}"
    );
    assert!(
        summary
            .trim_end()
            .ends_with("; the server ended the stream"),
        "{summary}"
    );
    let quiet = run(&mut sse(&[
        "--json",
        "--no-reconnect",
        "--quiet",
        &server.url("/"),
    ]));
    assert_eq!(stderr(&quiet), "");
}

// Exit statuses: 1 for each way of failing for good.

#[test]
fn an_http_error_status_is_1() {
    let server = Server::start([Reply::status(500)]);
    let output = run(&mut sse(&["--json", &server.url("/")]));
    assert_eq!(status(&output), 1);
    let lines = json_lines(&output);
    assert_eq!(kinds(&lines), ["error", "closed"]);
    assert_eq!(
        lines[1]["reason"],
        "the server answered 500 Internal Server Error"
    );
}

#[test]
fn a_wrong_content_type_is_1() {
    let text = Reply {
        status: 200,
        content_type: "text/plain",
        steps: vec![Step::Send("data: x\n\n")],
    };
    let server = Server::start([text.clone(), text]);
    let output = run(&mut sse(&[&server.url("/")]));
    assert_eq!(status(&output), 1);
    assert!(
        stderr(&output).contains("not text/event-stream"),
        "{}",
        stderr(&output)
    );
    let output = run(&mut sse(&["--raw", &server.url("/")]));
    assert_eq!(status(&output), 1);
}

#[test]
fn the_timeout_before_max_events_is_1() {
    let server = Server::start([Reply::events([
        Step::Send("data: only one\n\n"),
        Step::Hold,
    ])]);
    let started = std::time::Instant::now();
    let output = run(&mut sse(&[
        "--json",
        "-n",
        "2",
        "--timeout",
        "500ms",
        &server.url("/"),
    ]));
    assert_eq!(status(&output), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    let lines = json_lines(&output);
    assert_eq!(events(&lines).len(), 1);
    assert_eq!(lines.last().unwrap()["reason"], "--timeout 500 ms ran out");
    let output = run(&mut sse(&[
        "--raw",
        "-n",
        "2",
        "--timeout",
        "500ms",
        "-q",
        &Server::start([Reply::events([Step::Hold])]).url("/"),
    ]));
    assert_eq!(status(&output), 1);
}

#[test]
fn a_refused_connection_with_no_reconnect_is_1_and_without_it_retries() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let output = run(&mut sse(&["--json", "--no-reconnect", &url]));
    assert_eq!(status(&output), 1);
    let lines = json_lines(&output);
    assert_eq!(kinds(&lines), ["error", "closed"]);
    assert_eq!(lines[0]["retrying"], false);
    let output = run(&mut sse(&["--raw", "--no-reconnect", &url]));
    assert_eq!(status(&output), 1);
    // Without --no-reconnect the client keeps trying until the timeout.
    let output = run(&mut sse(&["--json", "--timeout", "1s", &url]));
    assert_eq!(status(&output), 1);
    let lines = json_lines(&output);
    assert_eq!(lines[0]["retrying"], true);
    assert!(lines[0]["reconnect_in_ms"].as_u64().unwrap() >= 500);
}

#[test]
fn a_204_is_0() {
    let server = Server::start([]);
    let output = run(&mut sse(&["--json", &server.url("/")]));
    assert_eq!(status(&output), 0);
    let output = run(&mut sse(&["--raw", &server.url("/")]));
    assert_eq!(status(&output), 0);
}

#[test]
fn bad_arguments_are_2_with_a_message_that_says_which() {
    let cases: [(&[&str], &str); 9] = [
        (&[], "<URL>"),
        (&["not a url"], "not a URL"),
        (&["ftp://127.0.0.1/"], "http or https"),
        (&["--timeout", "10", "http://127.0.0.1/"], "--timeout"),
        (
            &["--idle-timeout", "2x", "http://127.0.0.1/"],
            "unknown unit",
        ),
        (&["-H", "nocolon", "http://127.0.0.1/"], "--header"),
        (&["-n", "many", "http://127.0.0.1/"], "--max-events"),
        (&["--raw", "--json", "http://127.0.0.1/"], "--json"),
        (&["--no-such-flag", "http://127.0.0.1/"], "--no-such-flag"),
    ];
    for (args, expected) in cases {
        let output = run(&mut sse(args));
        assert_eq!(status(&output), 2, "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let help = run(&mut sse(&["--help"]));
    assert_eq!(status(&help), 0);
    assert!(stdout(&help).contains("Exit status (sse and sse record):"));
    let help = run(&mut sse(&["serve", "--help"]));
    assert!(stdout(&help).contains("1  the address could not be listened on"));
}

#[test]
fn raw_reconnects_an_idle_connection_with_the_last_event_id() {
    let server = Server::start([
        Reply::events([Step::Send("retry: 100\nid: 1\ndata: a\n\n"), Step::Hold]),
        Reply::events([Step::Send("id: 2\ndata: b\n\n"), Step::Hold]),
    ]);
    let output = run(&mut sse(&[
        "--raw",
        "--idle-timeout",
        "300ms",
        "-n",
        "2",
        "--timeout",
        "10s",
        &server.url("/"),
    ]));
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "retry: 100\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"
    );
    assert!(
        stderr(&output).contains("no bytes received for 300 ms; reconnecting in 500 ms"),
        "{}",
        stderr(&output)
    );
    assert_eq!(server.seen()[1].header("last-event-id"), Some("1"));
}

#[test]
fn ctrl_c_ends_with_the_summary_and_status_130() {
    use std::io::{BufRead, BufReader};
    let server = Server::start([Reply::events([Step::Send("data: a\n\n"), Step::Hold])]);
    let mut child = sse(&["--json", &server.url("/")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("\"event\"") {
        line.clear();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "sse ended early");
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    if killed.is_err() {
        let _ = child.kill();
        let _ = child.wait();
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "`kill` is missing"
        );
        println!("skipped: no `kill` command to send SIGINT with");
        return;
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(status(&output), 130);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(rest.contains(r#""reason":"interrupted""#), "{rest}");
    assert!(
        stderr(&output).contains("1 event, 1 data byte, 0 reconnects"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_cut_with_no_reconnect_is_1() {
    let cut = || Reply::events([Step::Send("id: 1\ndata: a\n\n"), Step::Cut]);
    let server = Server::start([cut(), cut()]);
    let output = run(&mut sse(&["--json", "--no-reconnect", &server.url("/")]));
    assert_eq!(status(&output), 1, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(kinds(&lines), ["open", "event", "error", "closed"]);
    assert_eq!(lines[2]["retrying"], false);
    let output = run(&mut sse(&[
        "--raw",
        "-q",
        "--no-reconnect",
        &server.url("/"),
    ]));
    assert_eq!(
        (status(&output), stdout(&output)),
        (1, "id: 1\ndata: a\n\n".to_owned())
    );
}
