//! `Last-Event-ID` is the client's word: the examples people copy take any value without
//! panicking, overflowing or serving a stream that never ends, and start over on a value they
//! never sent.

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use sse_axum::{LastEventId, ResumeFrom, Shutdown};

#[path = "../../sse-warp/examples/countdown.rs"]
#[allow(dead_code)]
mod countdown;
#[path = "../../sse-actix/examples/custom_events/app.rs"]
mod custom_events_app;
#[path = "../../sse-actix/examples/progress.rs"]
#[allow(dead_code)]
mod progress;
#[path = "../../sse-axum/examples/ticker.rs"]
#[allow(dead_code)]
mod ticker;

const HOSTILE: [&str; 4] = [
    "18446744073709551615",
    "4294967295",
    "99999999999999999999",
    "-1",
];

async fn first_ids<S: Stream<Item = sse_axum::Event> + Unpin>(events: S, n: usize) -> Vec<String> {
    tokio::time::timeout(Duration::from_secs(10), events.take(n).collect::<Vec<_>>())
        .await
        .expect("events within 10 s")
        .iter()
        .map(|event| event.id().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_ticker_goes_on_or_starts_over_but_never_overflows() {
    let shutdown = Shutdown::new();
    let app = axum::Router::new().route(
        "/events",
        axum::routing::get(move |last: LastEventId| ticker::prices(last, shutdown.clone())),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    for (header, expected) in [
        ("41", "42"),
        ("18446744073709551614", "18446744073709551615"),
        ("18446744073709551615", "0"),
        ("not a number", "0"),
    ] {
        let response = client
            .get(format!("http://{addr}/events"))
            .header("Last-Event-ID", header)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{header}");
        let mut response = response;
        let mut seen = String::new();
        while !seen.contains("id: ") || !seen.ends_with("\n\n") {
            let chunk = tokio::time::timeout(Duration::from_secs(5), response.chunk())
                .await
                .expect("a frame within 5 s")
                .unwrap()
                .expect("the stream goes on");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert!(
            seen.contains(&format!("id: {expected}\n")),
            "{header}: {seen}"
        );
    }
}

#[tokio::test]
async fn the_progress_bar_starts_over_on_a_percent_it_never_sent() {
    for hostile in HOSTILE {
        let ids = first_ids(
            Box::pin(progress::progress_after(&ResumeFrom::from_id(hostile))),
            1,
        )
        .await;
        assert_eq!(ids, ["1"], "{hostile}");
    }
    let ids = first_ids(
        Box::pin(progress::progress_after(&ResumeFrom::from_id("98"))),
        3,
    )
    .await;
    assert_eq!(ids, ["99", "100", ""], "then `done`");
}

#[tokio::test]
async fn the_countdown_counts_from_its_start_on_a_number_it_never_sent() {
    for hostile in HOSTILE {
        let ids = first_ids(
            Box::pin(countdown::countdown(ResumeFrom::from_id(hostile))),
            1,
        )
        .await;
        assert_eq!(ids, ["10"], "{hostile}");
    }
    let ids = first_ids(Box::pin(countdown::countdown(ResumeFrom::from_id("2"))), 2).await;
    assert_eq!(ids, ["1", "0"], "then liftoff");
}

#[actix_web::test]
async fn custom_events_go_on_or_start_over_but_never_overflow() {
    use actix_web::body::MessageBody;

    let app = actix_web::test::init_service(
        actix_web::App::new().configure(custom_events_app::routes(Duration::from_millis(1))),
    )
    .await;
    for (header, expected) in [("41", "42"), ("18446744073709551615", "1"), ("x", "1")] {
        let request = actix_web::test::TestRequest::get()
            .uri("/stream")
            .insert_header(("Last-Event-ID", header))
            .to_request();
        let response = actix_web::test::call_service(&app, request).await;
        let mut body = std::pin::pin!(response.into_body());
        let mut seen = String::new();
        while !seen.contains("id: ") || !seen.ends_with("\n\n") {
            let chunk = tokio::time::timeout(
                Duration::from_secs(5),
                std::future::poll_fn(|cx| body.as_mut().poll_next(cx)),
            )
            .await
            .expect("a frame within 5 s")
            .expect("the stream goes on")
            .unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert!(
            seen.contains(&format!("id: {expected}\n")),
            "{header}: {seen}"
        );
    }
}
