//! The README's comparison, shown: this client, reqwest-eventsource 0.6 and LaunchDarkly's
//! eventsource-client 0.16 read the same scripted server on 127.0.0.1, and each test asserts
//! what each of them does. A test here that starts failing after a peer's upgrade means the
//! README's table must change with it.

mod support;

use std::time::Duration;

use eventsource_client::{self as es, Client as _};
use futures_util::{Stream, StreamExt};
use sse_client::{EventSource, Item, RetryPolicy};
use support::{Reply, Step, TestServer, items_until, quick, send};

const MS: Duration = Duration::from_millis(1);

/// What a client did, in words that fit every client: `open`, `event DATA ID`, `error`.
type Log = Vec<String>;

/// Reads `stream` until `enough` says so, or until `patience` has passed without it.
async fn read<S, T>(
    stream: S,
    patience: Duration,
    describe: impl Fn(T) -> String,
    enough: impl Fn(&Log) -> bool,
) -> Log
where
    S: Stream<Item = T>,
{
    let mut stream = std::pin::pin!(stream);
    let mut log = Log::new();
    let deadline = tokio::time::Instant::now() + patience;
    while !enough(&log) {
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(item)) => log.push(describe(item)),
            Ok(None) => {
                log.push("end".to_owned());
                break;
            }
            Err(_) => break,
        }
    }
    log
}

fn has(entry: &'static str) -> impl Fn(&Log) -> bool {
    move |log| log.iter().any(|line| line == entry)
}

/// reqwest-eventsource, reconnecting after 20 ms.
fn reqwest_eventsource(url: &str, max_retries: Option<usize>) -> reqwest_eventsource::EventSource {
    let mut source =
        reqwest_eventsource::EventSource::new(reqwest::Client::new().get(url)).unwrap();
    source.set_retry_policy(Box::new(reqwest_eventsource::retry::Constant::new(
        20 * MS,
        max_retries,
    )));
    source
}

fn describe_reqwest_eventsource(
    item: Result<reqwest_eventsource::Event, reqwest_eventsource::Error>,
) -> String {
    match item {
        Ok(reqwest_eventsource::Event::Open) => "open".to_owned(),
        Ok(reqwest_eventsource::Event::Message(message)) => {
            format!("event {} {}", message.data, message.id)
        }
        Err(_) => "error".to_owned(),
    }
}

/// eventsource-client, reconnecting after 20 ms.
fn eventsource_client(url: &str) -> impl es::Client {
    es::ClientBuilder::for_url(url)
        .unwrap()
        .reconnect(
            es::ReconnectOptions::reconnect(true)
                .retry_initial(true)
                .delay(20 * MS)
                .backoff_factor(1)
                .delay_max(20 * MS)
                .build(),
        )
        .build_http()
}

fn describe_eventsource_client(item: Result<es::SSE, es::Error>) -> String {
    match item {
        Ok(es::SSE::Connected(_)) => "open".to_owned(),
        Ok(es::SSE::Event(event)) => {
            format!("event {} {}", event.data, event.id.unwrap_or_default())
        }
        Ok(es::SSE::Comment(_)) => "comment".to_owned(),
        Err(_) => "error".to_owned(),
    }
}

/// The `Last-Event-ID` of each request, `-` for none.
fn sent_ids(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|request| request.header("last-event-id").unwrap_or("-").to_owned())
        .collect()
}

fn two_cuts_without_ids() -> [Reply; 3] {
    [
        Reply::events([send("id: 7\ndata: a\n\n"), Step::Cut]),
        Reply::events([send("data: b\n\n"), Step::Cut]),
        Reply::events([send("data: c\n\n"), Step::Hold]),
    ]
}

#[tokio::test]
async fn the_last_event_id_across_two_cuts_and_events_without_ids() {
    let ours = TestServer::start(two_cuts_without_ids()).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(ours.url("/")))
        .reconnection_time(20 * MS)
        .backoff(quick())
        .build()
        .unwrap();
    items_until(
        &mut source,
        |item| matches!(item, Item::Event(e) if e.data() == "c"),
    )
    .await;
    assert_eq!(sent_ids(&ours), ["-", "7", "7"]);

    let theirs = TestServer::start(two_cuts_without_ids()).await;
    let log = read(
        reqwest_eventsource(&theirs.url("/"), None),
        Duration::from_secs(3),
        describe_reqwest_eventsource,
        has("event c 7"),
    )
    .await;
    // reqwest-eventsource: event `b` comes without the id, which is then forgotten; the
    // next request carries an empty header.
    assert!(has("event b ")(&log), "{log:?}");
    assert_eq!(sent_ids(&theirs), ["-", "7", ""]);

    let launchdarkly = TestServer::start(two_cuts_without_ids()).await;
    let log = read(
        eventsource_client(&launchdarkly.url("/")).stream(),
        Duration::from_secs(3),
        describe_eventsource_client,
        has("event c "),
    )
    .await;
    // A fresh parser on each connection: event `b` has no id, and the id is lost.
    assert!(has("event b ")(&log), "{log:?}");
    assert_eq!(sent_ids(&launchdarkly), ["-", "7", "-"]);
}

fn empty_id_then_cut() -> [Reply; 2] {
    [
        Reply::events([send("id: 5\ndata: a\n\nid:\ndata: b\n\n"), Step::Cut]),
        Reply::events([send("data: c\n\n"), Step::Hold]),
    ]
}

#[tokio::test]
async fn an_empty_id_then_a_cut() {
    let ours = TestServer::start(empty_id_then_cut()).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(ours.url("/")))
        .reconnection_time(20 * MS)
        .backoff(quick())
        .build()
        .unwrap();
    items_until(
        &mut source,
        |item| matches!(item, Item::Event(e) if e.data() == "c"),
    )
    .await;
    assert_eq!(sent_ids(&ours), ["-", "-"]);

    let theirs = TestServer::start(empty_id_then_cut()).await;
    read(
        reqwest_eventsource(&theirs.url("/"), None),
        Duration::from_secs(3),
        describe_reqwest_eventsource,
        has("event c "),
    )
    .await;
    assert_eq!(sent_ids(&theirs), ["-", ""], "an empty header, not none");

    let launchdarkly = TestServer::start(empty_id_then_cut()).await;
    read(
        eventsource_client(&launchdarkly.url("/")).stream(),
        Duration::from_secs(3),
        describe_eventsource_client,
        has("event c "),
    )
    .await;
    assert_eq!(sent_ids(&launchdarkly), ["-", "-"]);
}

fn priming_block() -> [Reply; 2] {
    [
        Reply::events([send("id: 42\nretry: 300\n\n"), Step::Cut]),
        Reply::events([send("data: first\n\n"), Step::Hold]),
    ]
}

#[tokio::test]
async fn a_priming_block_with_id_and_retry_and_no_data() {
    let ours = TestServer::start(priming_block()).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(ours.url("/")))
        .reconnection_time(20 * MS)
        .backoff(quick())
        .build()
        .unwrap();
    items_until(
        &mut source,
        |item| matches!(item, Item::Event(e) if e.data() == "first"),
    )
    .await;
    let requests = ours.requests();
    assert_eq!(sent_ids(&ours), ["-", "42"]);
    assert!(
        requests[1].at - requests[0].at >= 300 * MS,
        "retry: 300 is followed"
    );

    let theirs = TestServer::start(priming_block()).await;
    read(
        reqwest_eventsource(&theirs.url("/"), None),
        Duration::from_secs(3),
        describe_reqwest_eventsource,
        has("event first "),
    )
    .await;
    let requests = theirs.requests();
    assert_eq!(sent_ids(&theirs), ["-", ""], "the id is dropped");
    assert!(
        requests[1].at - requests[0].at < 300 * MS,
        "the retry is dropped"
    );

    let launchdarkly = TestServer::start(priming_block()).await;
    read(
        eventsource_client(&launchdarkly.url("/")).stream(),
        Duration::from_secs(3),
        describe_eventsource_client,
        has("event first "),
    )
    .await;
    let requests = launchdarkly.requests();
    assert_eq!(sent_ids(&launchdarkly), ["-", "-"], "the id is dropped");
    assert!(
        requests[1].at - requests[0].at < 300 * MS,
        "the retry is dropped"
    );
}

#[tokio::test]
async fn no_content_and_a_wrong_content_type() {
    // Our client: 204 and text/plain fail the connection, one request each.
    for reply in [
        Reply::status(204),
        Reply::events([send("data: x\n\n")]).header("content-type", "text/plain"),
    ] {
        let ours = TestServer::start([reply.clone(), reply.clone()]).await;
        let mut source = EventSource::builder(reqwest::Client::new().get(ours.url("/")))
            .reconnection_time(20 * MS)
            .backoff(quick())
            .build()
            .unwrap();
        support::all_items(&mut source).await;
        tokio::time::sleep(100 * MS).await;
        assert_eq!(ours.requests().len(), 1);

        let theirs = TestServer::start([reply.clone(), reply]).await;
        let log = read(
            reqwest_eventsource(&theirs.url("/"), None),
            Duration::from_millis(300),
            describe_reqwest_eventsource,
            has("end"),
        )
        .await;
        assert_eq!(log, ["error", "end"]);
    }

    // eventsource-client: 204 is a success; its empty body ends; it reconnects, for ever.
    let launchdarkly = TestServer::start([]).await;
    let log = read(
        eventsource_client(&launchdarkly.url("/")).stream(),
        Duration::from_millis(500),
        describe_eventsource_client,
        |_| false,
    )
    .await;
    assert!(
        log.iter().filter(|line| *line == "open").count() >= 5,
        "{log:?}"
    );
    assert!(launchdarkly.requests().len() >= 5);

    // eventsource-client: any content type is read as an event stream.
    let launchdarkly = TestServer::start([
        Reply::events([send("data: x\n\n"), Step::Hold]).header("content-type", "text/plain")
    ])
    .await;
    let log = read(
        eventsource_client(&launchdarkly.url("/")).stream(),
        Duration::from_secs(3),
        describe_eventsource_client,
        has("event x "),
    )
    .await;
    assert_eq!(log, ["open", "event x "]);
}

#[tokio::test]
async fn a_limit_on_retries() {
    // Our client: two reconnects, then the connection fails.
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", listener.local_addr().unwrap())
    };
    let mut source = EventSource::builder(reqwest::Client::new().get(&refused))
        .reconnection_time(20 * MS)
        .backoff(quick().max_attempts(2))
        .build()
        .unwrap();
    assert_eq!(support::all_items(&mut source).await.len(), 3);

    // reqwest-eventsource with `max_retries: Some(2)` keeps retrying.
    let log = read(
        reqwest_eventsource(&refused, Some(2)),
        Duration::from_millis(500),
        describe_reqwest_eventsource,
        |log| log.len() >= 10,
    )
    .await;
    assert_eq!(log.len(), 10, "{log:?}");
    assert!(log.iter().all(|line| line == "error"));
}

#[tokio::test]
async fn server_errors_and_redirects() {
    // A 503 before a working stream. Our client fails by default and retries under the opt-in
    // policy (tests/retry.rs); reqwest-eventsource always fails; eventsource-client retries.
    let script = || {
        [
            Reply::status(503),
            Reply::events([send("data: up\n\n"), Step::Hold]),
        ]
    };
    let ours = TestServer::start(script()).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(ours.url("/")))
        .retry_policy(RetryPolicy::RetryServerErrors)
        .reconnection_time(20 * MS)
        .backoff(quick())
        .build()
        .unwrap();
    items_until(
        &mut source,
        |item| matches!(item, Item::Event(e) if e.data() == "up"),
    )
    .await;

    let theirs = TestServer::start(script()).await;
    let log = read(
        reqwest_eventsource(&theirs.url("/"), None),
        Duration::from_millis(300),
        describe_reqwest_eventsource,
        has("end"),
    )
    .await;
    assert_eq!(log, ["error", "end"]);

    let launchdarkly = TestServer::start(script()).await;
    let log = read(
        eventsource_client(&launchdarkly.url("/")).stream(),
        Duration::from_secs(3),
        describe_eventsource_client,
        has("event up "),
    )
    .await;
    assert_eq!(log, ["error", "open", "event up "]);

    // Redirects: ours and reqwest-eventsource follow all four (reqwest's policy);
    // eventsource-client follows 301 and 307 only.
    for (status, launchdarkly_follows) in [(301, true), (302, false), (307, true), (308, false)] {
        let script = || {
            [
                Reply::status(status).header("location", "{base}/moved"),
                Reply::events([send("data: here\n\n"), Step::Hold]),
            ]
        };
        let ours = TestServer::start(script()).await;
        let mut source = EventSource::builder(reqwest::Client::new().get(ours.url("/")))
            .backoff(quick())
            .build()
            .unwrap();
        items_until(
            &mut source,
            |item| matches!(item, Item::Event(e) if e.data() == "here"),
        )
        .await;
        assert_eq!(ours.requests()[1].path, "/moved");

        let theirs = TestServer::start(script()).await;
        let log = read(
            reqwest_eventsource(&theirs.url("/"), None),
            Duration::from_secs(3),
            describe_reqwest_eventsource,
            has("event here "),
        )
        .await;
        assert_eq!(log, ["open", "event here "], "{status}");
        assert_eq!(theirs.requests()[1].path, "/moved");

        let launchdarkly = TestServer::start(script()).await;
        let log = read(
            eventsource_client(&launchdarkly.url("/")).stream(),
            Duration::from_millis(500),
            describe_eventsource_client,
            has("event here "),
        )
        .await;
        let second = &launchdarkly.requests()[1];
        if launchdarkly_follows {
            assert_eq!(log, ["open", "event here "], "{status}");
            assert_eq!(second.path, "/moved", "{status}");
        } else {
            // An error, then a retry of the original URL, which the script answers next.
            assert_eq!(log, ["error", "open", "event here "], "{status}");
            assert_eq!(second.path, "/", "{status}");
        }
    }
}
