//! The output for people, from the binary: colours and the status line when terminal output
//! is forced (CLICOLOR_FORCE=1), plain text into a pipe, pretty JSON unless `--no-pretty`.
//! Snapshots with the times and the server's port masked.

mod support;

use support::{Reply, Server, Step, run, sse, status, stdout};

const BODY: &str = "id: 41\nevent: price\ndata: {\"symbol\":\"ACME\",\"price\":101.5,\"tags\":[\"a\",\"b\"]}\n\n: keep-alive\n\ndata: not json\n\n";

/// `+1.234s` becomes `+[t]`: times differ from run to run.
fn mask_times(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('+') {
        out.push_str(&rest[..at]);
        let candidate = &rest[at + 1..];
        let digits = candidate
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(candidate.len());
        let tail = &candidate[digits..];
        let is_time = digits > 0
            && tail.len() >= 5
            && tail.as_bytes()[0] == b'.'
            && tail[1..4].bytes().all(|b| b.is_ascii_digit())
            && tail.as_bytes()[4] == b's';
        if is_time {
            out.push_str("+[t]");
            rest = &tail[5..];
        } else {
            out.push('+');
            rest = candidate;
        }
    }
    out.push_str(rest);
    out
}

fn watch(env: &[(&str, &str)], extra: &[&str]) -> String {
    let server = Server::start([Reply::events([Step::Send(BODY)])]);
    let url = server.url("/prices");
    let mut args = vec!["--no-reconnect", "--comments", "-q"];
    args.extend_from_slice(extra);
    args.push(&url);
    let mut command = sse(&args);
    command.envs(env.iter().copied());
    let output = run(&mut command);
    assert_eq!(status(&output), 0);
    mask_times(&stdout(&output)).replace(&server.addr.to_string(), "[server]")
}

#[test]
fn on_a_terminal_colours_pretty_json_and_a_status_line() {
    let text = watch(&[("CLICOLOR_FORCE", "1")], &[]);
    // Escape codes and carriage returns shown as text, so that the snapshot can be read.
    insta::assert_snapshot!(text.replace('\x1b', "␛").replace('\r', "␍"));
}

#[test]
fn into_a_pipe_plain_text_with_pretty_json() {
    let text = watch(&[], &[]);
    assert!(!text.contains('\x1b') && !text.contains('\r'), "{text:?}");
    insta::assert_snapshot!(text);
}

#[test]
fn no_color_keeps_the_status_line_without_colours() {
    // NO_COLOR is about colour only; CLICOLOR_FORCE stands for a terminal here.
    let text = watch(
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        &["--no-pretty"],
    );
    assert!(text.contains("● open · http://[server]/prices"), "{text:?}");
    assert!(
        !text.contains("\x1b[1m") && !text.contains("\x1b[3"),
        "{text:?}"
    );
    assert!(
        text.contains(r#"{"symbol":"ACME","price":101.5,"tags":["a","b"]}"#),
        "{text:?}"
    );
}

#[test]
fn times_are_masked() {
    assert_eq!(
        mask_times("+0.250s a +12.000s b +1 +x.123s"),
        "+[t] a +[t] b +1 +x.123s"
    );
}

/// In a real pseudo-terminal (util-linux `script`), with no variable forcing anything: the
/// status line and colours come from the terminal alone.
#[test]
fn in_a_pseudo_terminal() {
    let found = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "`script` (util-linux) is missing"
        );
        println!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let server = Server::start([Reply::events([Step::Send(BODY)])]);
    let command = format!(
        "{} -q -n 1 --no-reconnect {}",
        env!("CARGO_BIN_EXE_sse"),
        server.url("/")
    );
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert_eq!(status(&output), 0);
    let text = stdout(&output);
    assert!(text.contains("connecting to http://"), "{text:?}");
    assert!(text.contains("\r\x1b[2K"), "{text:?}");
    assert!(text.contains("\x1b[1m\x1b[36mprice\x1b[0m"), "{text:?}");
    assert!(text.contains("  \"symbol\": \"ACME\","), "{text:?}");
}
