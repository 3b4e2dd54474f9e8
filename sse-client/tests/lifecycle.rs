//! The WHATWG connection lifecycle against a scripted server on 127.0.0.1: which responses
//! open, fail or stop the stream, what each request carries, and what survives a reconnect.

mod support;

use std::time::Duration;

use sse_client::{Error, EventSource, Item, Outcome, ReadyState, RetryPolicy};
use support::{
    Reply, Step, TestServer, all_items, event_data, is_reestablish, items_until, kinds, next_item,
    quick, send,
};

/// A client of `url` that reconnects after 20 ms.
fn client(url: &str) -> sse_client::Builder {
    EventSource::builder(reqwest::Client::new().get(url))
        .reconnection_time(Duration::from_millis(20))
        .backoff(quick())
}

fn is_event(data: &'static str) -> impl Fn(&Item) -> bool {
    move |item| matches!(item, Item::Event(event) if event.data() == data)
}

#[tokio::test]
async fn a_cut_in_the_middle_of_an_event_discards_it_and_resumes_from_the_last_complete_id() {
    let server = TestServer::start([
        Reply::events([
            send("id: 1\ndata: one\n\n"),
            // A complete line of an event whose blank line never comes.
            send("id: 2\ndata: partial\n"),
            Step::Cut,
        ]),
        Reply::events([send("data: after\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/events")).build().unwrap();
    let items = items_until(&mut source, is_event("after")).await;

    let Item::Event(after) = items.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(after.data(), "after", "nothing of the cut event leaks in");
    assert_eq!(after.id(), Some("1"));
    assert_eq!(event_data(&items), ["one", "after"]);
    assert!(items.iter().any(|item| matches!(
        item,
        Item::Error {
            error: Error::Transport(_),
            outcome: Outcome::Reestablish { .. }
        }
    )));
    let requests = server.wait_for_requests(2).await;
    assert_eq!(requests[0].header("last-event-id"), None);
    assert_eq!(requests[1].header("last-event-id"), Some("1"));
    assert_eq!(source.last_event_id(), Some("1"));
    assert_eq!(source.reconnect_count(), 1);
    assert_eq!(source.ready_state(), ReadyState::Open);
}

#[tokio::test]
async fn two_cuts_with_events_without_ids_keep_the_same_id() {
    let server = TestServer::start([
        Reply::events([send("id: 7\ndata: a\n\n"), Step::Cut]),
        Reply::events([send("data: b\n\n"), Step::Cut]),
        Reply::events([send("data: c\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("c")).await;

    let ids: Vec<_> = items
        .iter()
        .filter_map(|item| match item {
            Item::Event(event) => Some(event.id().map(str::to_owned)),
            _ => None,
        })
        .collect();
    assert_eq!(ids, [Some("7".into()), Some("7".into()), Some("7".into())]);
    let requests = server.wait_for_requests(3).await;
    assert_eq!(requests[1].header("last-event-id"), Some("7"));
    assert_eq!(requests[2].header("last-event-id"), Some("7"));
    assert_eq!(source.reconnect_count(), 2);
}

#[tokio::test]
async fn an_empty_id_then_a_cut_sends_no_header() {
    let server = TestServer::start([
        Reply::events([send("id: 5\ndata: a\n\nid:\ndata: b\n\n"), Step::Cut]),
        Reply::events([send("data: c\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("c")).await;

    assert_eq!(event_data(&items), ["a", "b", "c"]);
    let requests = server.wait_for_requests(2).await;
    assert_eq!(requests[1].header("last-event-id"), None);
    assert_eq!(source.last_event_id(), None);
}

#[tokio::test]
async fn a_seeded_last_event_id_goes_on_the_first_request() {
    let server = TestServer::start([Reply::events([send("data: x\n\n"), Step::Hold])]).await;
    let mut source = client(&server.url("/"))
        .last_event_id("41")
        .build()
        .unwrap();
    let Item::Event(event) = items_until(&mut source, is_event("x")).await.pop().unwrap() else {
        unreachable!()
    };
    assert_eq!(event.id(), Some("41"));
    assert_eq!(server.requests()[0].header("last-event-id"), Some("41"));
}

#[tokio::test]
async fn every_request_carries_the_event_stream_headers() {
    let server = TestServer::start([
        Reply::events([Step::Cut]),
        Reply::events([send("data: x\n\n"), Step::Hold]),
    ])
    .await;
    let request = reqwest::Client::new()
        .get(server.url("/"))
        // The algorithm's own values win over the caller's.
        .header("accept", "application/json")
        .header("cache-control", "max-age=60");
    let mut source = EventSource::builder(request)
        .reconnection_time(Duration::from_millis(20))
        .backoff(quick())
        .build()
        .unwrap();
    items_until(&mut source, is_event("x")).await;
    for request in server.wait_for_requests(2).await {
        assert_eq!(request.header("accept"), Some("text/event-stream"));
        assert_eq!(request.header("cache-control"), Some("no-cache"));
        assert_eq!(request.headers.get_all("accept").iter().count(), 1);
    }
}

#[tokio::test]
async fn no_content_stops_for_good() {
    let server = TestServer::start([Reply::status(204)]).await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = all_items(&mut source).await;
    assert_eq!(kinds(&items), ["error NoContent Fail"]);
    assert_eq!(source.ready_state(), ReadyState::Closed);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), 1, "no reconnect after 204");
}

#[tokio::test]
async fn a_server_error_fails_for_good_by_default() {
    let server = TestServer::start([Reply::status(500), Reply::events([Step::Hold])]).await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = all_items(&mut source).await;
    assert_eq!(items.len(), 1);
    let Item::Error { error, outcome } = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(
        error.status(),
        Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(*outcome, Outcome::Fail);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_wrong_content_type_fails_for_good_by_default() {
    let server = TestServer::start([
        Reply::events([send("data: x\n\n")]).header("content-type", "text/plain"),
        Reply::events([Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = all_items(&mut source).await;
    let [
        Item::Error {
            error: Error::ContentType { content_type },
            outcome: Outcome::Fail,
        },
    ] = &items[..]
    else {
        panic!("{items:?}")
    };
    assert_eq!(content_type.as_ref().unwrap(), "text/plain");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_content_type_with_parameters_opens() {
    let server = TestServer::start([Reply::events([send("data: x\n\n"), Step::Hold])
        .header("content-type", "text/event-stream; charset=utf-8")])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("x")).await;
    assert_eq!(kinds(&items), ["open 200", "event x"]);
}

#[tokio::test]
async fn redirects_are_followed() {
    for status in [301, 302, 307, 308] {
        let server = TestServer::start([
            Reply::status(status).header("location", "/moved"),
            Reply::events([send("data: here\n\n"), Step::Hold]),
        ])
        .await;
        let mut source = client(&server.url("/events")).build().unwrap();
        let items = items_until(&mut source, is_event("here")).await;
        assert_eq!(kinds(&items), ["open 200", "event here"], "{status}");
        let requests = server.wait_for_requests(2).await;
        assert_eq!(requests[1].path, "/moved", "{status}");
        assert_eq!(requests[1].header("accept"), Some("text/event-stream"));
    }
}

#[tokio::test]
async fn a_clean_end_reconnects() {
    let server = TestServer::start([
        Reply::events([send("data: one\n\n")]),
        Reply::events([send("data: two\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("two")).await;
    assert_eq!(
        kinds(&items),
        [
            "open 200",
            "event one",
            "error BodyEnded Reestablish { delay: 20ms }",
            "open 200",
            "event two"
        ]
    );
}

#[tokio::test]
async fn one_shot_mode_ends_with_the_body() {
    let server = TestServer::start([
        Reply::events([send("data: one\n\ndata: two\n\n")]),
        Reply::events([send("data: again\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/"))
        .retry_policy(RetryPolicy::OneShot)
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    assert_eq!(kinds(&items), ["open 200", "event one", "event two"]);
    assert_eq!(source.ready_state(), ReadyState::Closed);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn one_shot_mode_fails_on_a_cut() {
    let server = TestServer::start([Reply::events([send("data: one\n\n"), Step::Cut])]).await;
    let mut source = client(&server.url("/"))
        .retry_policy(RetryPolicy::OneShot)
        .build()
        .unwrap();
    let items = all_items(&mut source).await;
    assert!(matches!(
        items.last(),
        Some(Item::Error {
            error: Error::Transport(_),
            outcome: Outcome::Fail
        })
    ));
}

#[tokio::test]
async fn a_priming_block_sets_the_id_and_the_reconnection_time() {
    let server = TestServer::start([
        Reply::events([
            send("id: 42\nretry: 150\n\n"),
            Step::Wait(Duration::from_millis(50)),
            Step::Cut,
        ]),
        Reply::events([send("data: first\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("first")).await;

    assert_eq!(kinds(&items)[0], "open 200");
    assert!(is_reestablish(&items[1]), "{items:?}");
    assert_eq!(
        event_data(&items),
        ["first"],
        "a block without data dispatches nothing"
    );
    let reestablish = items.iter().find(|item| is_reestablish(item)).unwrap();
    assert!(matches!(
        reestablish,
        Item::Error { outcome: Outcome::Reestablish { delay }, .. } if *delay == Duration::from_millis(150)
    ));
    let Item::Event(first) = items.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(first.id(), Some("42"));
    assert_eq!(source.reconnection_time(), Duration::from_millis(150));
    let requests = server.wait_for_requests(2).await;
    assert_eq!(requests[1].header("last-event-id"), Some("42"));
    assert!(requests[1].at - requests[0].at >= Duration::from_millis(150 + 50));
}

#[tokio::test]
async fn a_ten_mebibyte_event_arrives_whole() {
    const SIZE: usize = 10 * 1024 * 1024;
    let server = TestServer::start([Reply::events([
        send(format!("data: {}\n\n", "x".repeat(SIZE))),
        send("data: next\n\n"),
        Step::Hold,
    ])])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("next")).await;
    let sizes: Vec<_> = items
        .iter()
        .filter_map(|item| match item {
            Item::Event(event) => Some(event.data().len()),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, [SIZE, 4]);
}

#[tokio::test]
async fn an_event_over_the_configured_limit_is_reported_and_skipped() {
    let server = TestServer::start([Reply::events([
        send(format!("data: {}\n\n", "x".repeat(2000))),
        send("data: next\n\n"),
        Step::Hold,
    ])])
    .await;
    let mut source = client(&server.url("/"))
        .limits(sse_client::Limits::default().max_line_len(1024))
        .build()
        .unwrap();
    let items = items_until(&mut source, is_event("next")).await;
    assert_eq!(
        kinds(&items),
        [
            "open 200",
            "error Limit(LineTooLong { limit: 1024 }) Continue",
            "event next"
        ]
    );
}

#[tokio::test]
async fn a_post_with_a_json_body_is_sent_again_identically() {
    let server = TestServer::start([
        Reply::events([send("id: 1\ndata: a\n\n"), Step::Cut]),
        Reply::events([send("data: b\n\n"), Step::Hold]),
    ])
    .await;
    let body = serde_json::json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    let request = reqwest::Client::new()
        .post(server.url("/v1/chat"))
        .json(&body)
        .header("x-request-tag", "t-1");
    let mut source = EventSource::builder(request)
        .reconnection_time(Duration::from_millis(20))
        .backoff(quick())
        .build()
        .unwrap();
    items_until(&mut source, is_event("b")).await;
    let requests = server.wait_for_requests(2).await;
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.path, "/v1/chat");
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.header("x-request-tag"), Some("t-1"));
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
            body
        );
    }
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(requests[1].header("last-event-id"), Some("1"));
}

#[tokio::test]
async fn custom_headers_are_sent_on_every_request() {
    let server = TestServer::start([
        Reply::events([Step::Cut]),
        Reply::status(503),
        Reply::events([send("data: x\n\n"), Step::Hold]),
    ])
    .await;
    let request = reqwest::Client::new()
        .get(server.url("/"))
        .bearer_auth("secret")
        .header("x-tenant", "blue");
    let mut source = EventSource::builder(request)
        .retry_policy(RetryPolicy::RetryServerErrors)
        .reconnection_time(Duration::from_millis(20))
        .backoff(quick())
        .build()
        .unwrap();
    items_until(&mut source, is_event("x")).await;
    let requests = server.wait_for_requests(3).await;
    for request in &requests {
        assert_eq!(request.header("authorization"), Some("Bearer secret"));
        assert_eq!(request.header("x-tenant"), Some("blue"));
    }
}

#[tokio::test]
async fn dropping_the_stream_closes_the_servers_stream() {
    let server = TestServer::start([Reply::events([send("data: a\n\n"), Step::Hold])]).await;
    let mut source = client(&server.url("/")).build().unwrap();
    items_until(&mut source, is_event("a")).await;
    assert_eq!(server.bodies_dropped(), 0);
    drop(source);
    let started = std::time::Instant::now();
    while server.bodies_dropped() == 0 {
        assert!(
            started.elapsed() < support::PATIENCE,
            "the server never saw the disconnect"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn close_ends_the_stream_and_the_connection() {
    let server = TestServer::start([Reply::events([send("data: a\n\n"), Step::Hold])]).await;
    let mut source = client(&server.url("/")).build().unwrap();
    items_until(&mut source, is_event("a")).await;
    source.close();
    assert_eq!(source.ready_state(), ReadyState::Closed);
    assert!(futures_util::StreamExt::next(&mut source).await.is_none());
    let started = std::time::Instant::now();
    while server.bodies_dropped() == 0 {
        assert!(started.elapsed() < support::PATIENCE);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn restart_reconnects_at_once_with_the_last_event_id() {
    let server = TestServer::start([
        Reply::events([send("id: 3\ndata: a\n\n"), Step::Hold]),
        Reply::events([send("data: b\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    items_until(&mut source, is_event("a")).await;
    source.restart();
    assert_eq!(source.ready_state(), ReadyState::Connecting);
    let items = items_until(&mut source, is_event("b")).await;
    assert_eq!(kinds(&items), ["open 200", "event b"]);
    assert_eq!(server.requests()[1].header("last-event-id"), Some("3"));
    assert_eq!(source.reconnect_count(), 1);
}

#[tokio::test]
async fn comments_are_yielded_when_asked_for() {
    let server =
        TestServer::start([Reply::events([send(":hello\ndata: x\n\n"), Step::Hold])]).await;
    let mut source = client(&server.url("/")).comments(true).build().unwrap();
    let items = items_until(&mut source, is_event("x")).await;
    assert_eq!(kinds(&items), ["open 200", "comment hello", "event x"]);
}

#[tokio::test]
async fn a_refused_connection_is_reestablished() {
    // A port that nothing listens on: bind, note the port, let go.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let mut source = client(&url).build().unwrap();
    let item = next_item(&mut source).await;
    assert!(
        matches!(&item, Item::Error { error: Error::Transport(e), outcome: Outcome::Reestablish { .. } } if e.is_connect()),
        "{item:?}"
    );
    assert_eq!(source.ready_state(), ReadyState::Connecting);
}

#[test]
fn a_streaming_body_cannot_be_built() {
    let body = reqwest::Body::wrap_stream(futures_util::stream::empty::<
        Result<Vec<u8>, std::io::Error>,
    >());
    let request = reqwest::Client::new()
        .post("http://127.0.0.1:1/")
        .body(body);
    assert!(matches!(
        EventSource::builder(request).build(),
        Err(sse_client::BuildError::BodyNotReplayable)
    ));
}

#[tokio::test]
async fn an_id_no_header_can_carry_is_reported_and_left_out() {
    let server = TestServer::start([
        Reply::events([send("id: a\u{1}b\ndata: x\n\n"), Step::Cut]),
        Reply::events([send("data: y\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    let items = items_until(&mut source, is_event("y")).await;
    assert!(items.iter().any(|item| matches!(
        item,
        Item::Error {
            error: Error::LastEventIdNotSendable,
            outcome: Outcome::Continue
        }
    )));
    let requests = server.wait_for_requests(2).await;
    assert_eq!(requests[1].header("last-event-id"), None);
    let Item::Event(y) = items.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(y.id(), Some("a\u{1}b"), "the id itself is kept");
}

#[tokio::test]
async fn a_utf8_id_is_sent_as_utf8() {
    let server = TestServer::start([
        Reply::events([send("id: café-☕\ndata: x\n\n"), Step::Cut]),
        Reply::events([send("data: y\n\n"), Step::Hold]),
    ])
    .await;
    let mut source = client(&server.url("/")).build().unwrap();
    items_until(&mut source, is_event("y")).await;
    let requests = server.wait_for_requests(2).await;
    assert_eq!(
        requests[1].headers.get("last-event-id").unwrap().as_bytes(),
        "café-☕".as_bytes()
    );
}

#[tokio::test]
async fn the_stream_is_terminated_only_once_closed_and_drained() {
    use futures_util::stream::FusedStream;

    let server = TestServer::start([Reply::status(204)]).await;
    let mut source = client(&server.url("/")).build().unwrap();
    assert!(!source.is_terminated(), "a new source has work to do");
    let item = next_item(&mut source).await;
    assert!(
        matches!(
            item,
            Item::Error {
                error: Error::NoContent,
                ..
            }
        ),
        "{item:?}"
    );
    assert!(source.is_terminated(), "closed, nothing queued");
    assert!(futures_util::StreamExt::next(&mut source).await.is_none());
}

#[test]
fn debug_names_the_request_and_the_state() {
    let source = EventSource::builder(reqwest::Client::new().post("http://127.0.0.1:9/feed"))
        .last_event_id("41")
        .build()
        .unwrap();
    let debug = format!("{source:?}");
    for part in [
        "EventSource",
        "method: POST",
        "url: \"http://127.0.0.1:9/feed\"",
        "ready_state: Connecting",
        "last_event_id: Some(\"41\")",
        "reconnection_time: 3s",
        "reconnect_count: 0",
    ] {
        assert!(debug.contains(part), "{part} in {debug}");
    }
}
