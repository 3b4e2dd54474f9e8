//! Retry policy and backoff against a scripted server on 127.0.0.1: the opt-in retry of 5xx,
//! 429 and a wrong content type, the floor under `retry: 0`, growth with jitter and its reset,
//! the limits on attempts and time, and the idle timeout.

mod support;

use std::time::Duration;

use sse_client::{Backoff, Error, EventSource, Item, Outcome, RetryPolicy};
use support::{Reply, Step, TestServer, all_items, event_data, items_until, kinds, quick, send};

const MS: Duration = Duration::from_millis(1);

fn is_event(data: &'static str) -> impl Fn(&Item) -> bool {
    move |item| matches!(item, Item::Event(event) if event.data() == data)
}

/// The delays of the reconnects among `items`.
fn delays(items: &[Item]) -> Vec<Duration> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Error {
                outcome: Outcome::Reestablish { delay },
                ..
            } => Some(*delay),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_opt_in_policy_retries_server_errors_429_and_a_wrong_content_type() {
    let server = TestServer::start([
        Reply::status(500),
        Reply::status(429).header("retry-after", "1"),
        Reply::events([send("<html>")]).header("content-type", "text/html"),
        Reply::status(503),
        Reply::events([send("data: up\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .retry_policy(RetryPolicy::RetryServerErrors)
        .reconnection_time(20 * MS)
        .backoff(quick())
        .build()
        .unwrap();
    let items = items_until(&mut source, is_event("up")).await;

    let statuses: Vec<_> = items
        .iter()
        .filter_map(|item| match item {
            Item::Error { error, .. } => Some(error.status().map(|s| s.as_u16())),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [Some(500), Some(429), None, Some(503)]);
    assert!(matches!(
        &items[1],
        Item::Error { error: Error::Status { retry_after: Some(after), .. }, .. } if *after == Duration::from_secs(1)
    ));
    assert!(matches!(
        &items[2],
        Item::Error {
            error: Error::ContentType { .. },
            ..
        }
    ));
    assert_eq!(delays(&items), [20 * MS, 1000 * MS, 20 * MS, 20 * MS]);
    let requests = server.wait_for_requests(5).await;
    assert!(
        requests[2].at - requests[1].at >= Duration::from_secs(1),
        "Retry-After is honoured"
    );
    assert_eq!(source.reconnect_count(), 4);
}

#[tokio::test]
async fn the_opt_in_policy_still_fails_on_a_client_error() {
    let server = TestServer::start([Reply::status(404), Reply::events([Step::Hold])]).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .retry_policy(RetryPolicy::RetryServerErrors)
        .backoff(quick())
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    assert_eq!(items.len(), 1);
    assert!(
        matches!(&items[0], Item::Error { outcome: Outcome::Fail, error } if error.status() == Some(reqwest::StatusCode::NOT_FOUND))
    );
}

#[tokio::test]
async fn retry_zero_reconnects_no_faster_than_the_floor() {
    let floor = 150 * MS;
    let ends_at_once = || Reply::events([send("retry: 0\ndata: x\n\n")]);
    let server = TestServer::start([ends_at_once(), ends_at_once(), ends_at_once()]).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .backoff(Backoff::exponential().min_delay(floor))
        .build()
        .unwrap();
    // The script ends with a 204, which stops the client.
    let items = all_items(&mut source).await;

    assert_eq!(source.reconnection_time(), Duration::ZERO);
    assert_eq!(delays(&items), [floor, floor, floor]);
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for pair in requests.windows(2) {
        assert!(
            pair[1].at - pair[0].at >= floor,
            "{:?}",
            pair[1].at - pair[0].at
        );
    }
}

#[tokio::test]
async fn backoff_grows_with_jitter_and_resets_after_a_healthy_connection() {
    let base = 40 * MS;
    let healthy = 300 * MS;
    let server = TestServer::start([
        Reply::status(500),
        Reply::status(500),
        Reply::status(500),
        Reply::status(500),
        // Open long enough to count as healthy, then ends.
        Reply::events([send("data: healthy\n\n"), Step::Wait(healthy + 50 * MS)]),
        Reply::status(500),
        Reply::events([send("data: last\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .retry_policy(RetryPolicy::RetryServerErrors)
        .reconnection_time(base)
        .backoff(
            Backoff::exponential()
                .min_delay(MS)
                .jitter_percent(50)
                .max_delay(250 * MS)
                .reset_after(healthy),
        )
        .build()
        .unwrap();
    let items = items_until(&mut source, is_event("last")).await;
    let delays = delays(&items);
    assert_eq!(delays.len(), 6, "{:?}", kinds(&items));

    // Without jitter: 40, 80, 160, 250 (the cap), then after the healthy connection 40, 80.
    let unjittered = [40, 80, 160, 250, 40, 80].map(|ms| ms * MS);
    for (delay, floor) in delays.iter().zip(unjittered) {
        assert!(*delay >= floor && *delay < floor * 3 / 2, "{delays:?}");
    }
    assert!(
        delays
            .iter()
            .zip(unjittered)
            .any(|(delay, floor)| *delay > floor),
        "jitter adds to the delays: {delays:?}"
    );
    assert!(delays[4] < delays[3], "the reset: {delays:?}");
    let requests = server.requests();
    for (pair, delay) in requests.windows(2).zip(&delays) {
        assert!(pair[1].at - pair[0].at >= *delay);
    }
}

#[tokio::test]
async fn a_limit_on_attempts_fails_the_connection() {
    let server = TestServer::start((0..10).map(|_| Reply::status(503))).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .retry_policy(RetryPolicy::RetryServerErrors)
        .reconnection_time(10 * MS)
        .backoff(quick().max_attempts(2))
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    let outcomes: Vec<_> = items
        .iter()
        .map(|item| match item {
            Item::Error { outcome, .. } => outcome.will_retry(),
            _ => panic!("{item:?}"),
        })
        .collect();
    assert_eq!(outcomes, [true, true, false]);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_limit_on_time_fails_the_connection() {
    let server = TestServer::start((0..10).map(|_| Reply::status(503))).await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .retry_policy(RetryPolicy::RetryServerErrors)
        .reconnection_time(100 * MS)
        .backoff(quick().max_elapsed(250 * MS))
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    // Reconnects due 100 and 200 ms after the first failure; the next would be past 250 ms.
    assert_eq!(
        items
            .iter()
            .filter(|item| support::is_reestablish(item))
            .count(),
        2,
        "{:?}",
        kinds(&items)
    );
    assert!(matches!(
        items.last(),
        Some(Item::Error {
            outcome: Outcome::Fail,
            ..
        })
    ));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn the_idle_timeout_reconnects_a_connection_that_went_silent() {
    let mut keep_alive = vec![send("data: a\n\n")];
    for _ in 0..5 {
        keep_alive.push(Step::Wait(80 * MS));
        keep_alive.push(send(": keep-alive\n"));
    }
    keep_alive.push(Step::Hold);
    let server = TestServer::start([
        Reply::events(keep_alive),
        Reply::events([send("data: b\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .reconnection_time(10 * MS)
        .backoff(quick())
        .idle_timeout(200 * MS)
        .build()
        .unwrap();
    let items = items_until(&mut source, is_event("b")).await;
    assert_eq!(event_data(&items), ["a", "b"]);
    assert!(items.iter().any(|item| matches!(
        item,
        Item::Error { error: Error::IdleTimeout { after }, outcome: Outcome::Reestablish { .. } } if *after == 200 * MS
    )));
    let requests = server.wait_for_requests(2).await;
    // Keep-alive comments count as traffic: the silence starts after the last one.
    assert!(requests[1].at - requests[0].at >= 400 * MS + 200 * MS);
}

#[tokio::test]
async fn the_idle_timeout_covers_a_response_that_never_comes() {
    // A listener that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let mut sockets = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            sockets.push(socket);
        }
    });
    let mut source = EventSource::builder(reqwest::Client::new().get(url))
        .backoff(quick())
        .idle_timeout(100 * MS)
        .build()
        .unwrap();
    let item = support::next_item(&mut source).await;
    assert!(
        matches!(
            &item,
            Item::Error {
                error: Error::IdleTimeout { .. },
                outcome: Outcome::Reestablish { .. }
            }
        ),
        "{item:?}"
    );
    held.abort();
}

#[tokio::test]
async fn a_retry_past_the_end_of_time_does_not_panic() {
    let server = TestServer::start([Reply::events([send(
        "retry: 18446744073709551615\ndata: x\n\n",
    )])])
    .await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .backoff(Backoff::exponential().max_elapsed(Duration::from_secs(3600)))
        .idle_timeout(Duration::MAX)
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    assert_eq!(source.reconnection_time(), Duration::from_millis(u64::MAX));
    assert!(
        matches!(
            items.last(),
            Some(Item::Error {
                error: Error::BodyEnded,
                outcome: Outcome::Fail
            })
        ),
        "{:?}",
        kinds(&items)
    );

    let server = TestServer::start([Reply::events([send(
        "retry: 18446744073709551615\ndata: x\n\n",
    )])])
    .await;
    let mut source = EventSource::builder(reqwest::Client::new().get(server.url("/")))
        .build()
        .unwrap();
    let items = items_until(&mut source, support::is_reestablish).await;
    assert!(matches!(
        items.last(),
        Some(Item::Error { outcome: Outcome::Reestablish { delay }, .. }) if *delay >= Duration::from_millis(u64::MAX)
    ));
}

#[tokio::test]
async fn a_reconnect_due_exactly_at_the_time_limit_is_made() {
    // Nothing listens on the port: every attempt fails at once.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let mut source = EventSource::builder(reqwest::Client::new().get(url))
        .reconnection_time(100 * MS)
        .backoff(quick().max_elapsed(100 * MS))
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    // The first reconnect is due 100 ms after the failure that starts the run: at the limit,
    // not past it. The second would be past it.
    assert_eq!(delays(&items), [100 * MS], "{:?}", kinds(&items));
    assert!(matches!(
        items.last(),
        Some(Item::Error {
            outcome: Outcome::Fail,
            ..
        })
    ));
}
