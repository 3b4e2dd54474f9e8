//! Several nodes on one real Redis: delivery, resume on any node, resyncs, Redis going away.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use sse_codec::Event;
use sse_redis::{PublishError, RedisHub, RedisHubConfig};
use sse_server::ResumeFrom;

use support::{Reader, RedisServer, publish_when_back};

async fn node(redis: &RedisServer) -> RedisHub {
    node_with(redis, RedisHubConfig::new()).await
}

async fn node_with(redis: &RedisServer, config: RedisHubConfig) -> RedisHub {
    RedisHub::connect(&redis.url(), config.timeout(Duration::from_millis(500)))
        .await
        .expect("connect to Redis")
}

fn resume(id: &str) -> ResumeFrom {
    ResumeFrom::After(id.into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_published_on_either_node_reach_both_once_in_one_order() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (a, b) = (node(&redis).await, node(&redis).await);
    let mut on_a = Reader::new(a.subscribe(None));
    let mut on_b = Reader::new(b.subscribe(None));
    let mut published = Vec::new();
    for n in 0..20 {
        let publisher = if n % 2 == 0 { &a } else { &b };
        let id = publisher
            .publish(Event::new(format!("event {n}")))
            .await
            .unwrap();
        published.push((id.to_string(), format!("event {n}")));
    }
    for reader in [&mut on_a, &mut on_b] {
        for (id, data) in &published {
            let event = reader.next().await;
            assert_eq!(
                (event.id(), event.data()),
                (Some(id.as_str()), data.as_str())
            );
        }
        assert!(
            reader
                .next_within(Duration::from_millis(200))
                .await
                .is_none(),
            "nothing twice"
        );
    }
    let ids: HashSet<_> = published.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), published.len(), "ids are unique");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_cut_off_on_one_node_resumes_on_another_with_exactly_what_it_missed() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (a, b) = (node(&redis).await, node(&redis).await);
    let mut first = Reader::new(a.subscribe(None));
    let mut last_seen = String::new();
    for n in 1..=3 {
        a.publish(Event::new(format!("update {n}"))).await.unwrap();
        last_seen = first.next().await.id().unwrap().to_owned();
    }
    drop(first);
    for n in 4..=6 {
        a.publish(Event::new(format!("update {n}"))).await.unwrap();
    }
    // On a node that saw everything (its ring), and on one that started since (the stream).
    let late = node(&redis).await;
    for resumed_on in [&b, &late] {
        let mut resumed = Reader::new(resumed_on.subscribe(resume(&last_seen)));
        for n in 4..=6 {
            assert_eq!(resumed.next().await.data(), format!("update {n}"));
        }
        let live = b.publish(Event::new("live")).await.unwrap();
        let event = resumed.next().await;
        assert_eq!((event.id(), event.data()), (Some(&*live), "live"));
        assert!(
            resumed
                .next_within(Duration::from_millis(200))
                .await
                .is_none()
        );
        last_seen = live.to_string();
        for n in 4..=6 {
            a.publish(Event::new(format!("update {n}"))).await.unwrap();
        }
    }
    assert_eq!(late.stats().resyncs_sent, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handover_from_the_stream_to_live_events_has_no_gap_and_no_duplicate() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let a = node(&redis).await;
    let first = a.publish(Event::new("0")).await.unwrap();
    let publisher = {
        let a = a.clone();
        tokio::spawn(async move {
            for n in 1..=300 {
                a.publish(Event::new(n.to_string())).await.unwrap();
            }
        })
    };
    // Nodes joining while events flow resume from the stream and go on live.
    let mut readers = Vec::new();
    for _ in 0..5 {
        let late = node(&redis).await;
        readers.push((Reader::new(late.subscribe(resume(&first))), late));
    }
    publisher.await.unwrap();
    for (reader, _node) in &mut readers {
        for n in 1..=300 {
            assert_eq!(reader.next().await.data(), n.to_string());
        }
        assert!(
            reader
                .next_within(Duration::from_millis(200))
                .await
                .is_none()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_trimmed_from_the_stream_or_from_before_a_flush_get_a_resync() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = || RedisHubConfig::new().stream_max_len(10);
    let a = node_with(&redis, config()).await;
    let oldest = a.publish(Event::new("oldest")).await.unwrap();
    for n in 0..500 {
        a.publish(Event::new(n.to_string())).await.unwrap();
    }
    let fresh = node_with(&redis, config()).await;
    let mut trimmed = Reader::new(fresh.subscribe(resume(&oldest)));
    let resync = trimmed.next().await;
    assert_eq!(
        (resync.event_type(), resync.data()),
        ("resync", r#"{"reason":"unknown-last-event-id"}"#)
    );

    let mut watching = Reader::new(a.subscribe(None));
    let before_flush = a.publish(Event::new("before flush")).await.unwrap();
    assert_eq!(watching.next().await.data(), "before flush");
    assert_eq!(redis.command("FLUSHALL").as_deref(), Some("+OK"));
    let after = a.publish(Event::new("after flush")).await.unwrap();
    assert_ne!(
        after.split(':').next(),
        before_flush.split(':').next(),
        "a new epoch"
    );
    assert_eq!(
        watching.next().await.event_type(),
        "resync",
        "the node saw the flush"
    );
    assert_eq!(watching.next().await.data(), "after flush");
    let other = node_with(&redis, config()).await;
    for resumed_on in [&a, &other] {
        let mut resumed = Reader::new(resumed_on.subscribe(resume(&before_flush)));
        assert_eq!(resumed.next().await.event_type(), "resync");
    }
    for hostile in ["nonsense", "x:1-1", &"9".repeat(5000), "a:b:c"] {
        let mut resumed = Reader::new(other.subscribe(resume(hostile)));
        assert_eq!(resumed.next().await.event_type(), "resync", "{hostile:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_and_started_again_publishes_fail_then_nodes_catch_up() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let (a, b) = (node(&redis).await, node(&redis).await);
    let mut on_a = Reader::new(a.subscribe(None));
    let mut on_b = Reader::new(b.subscribe(None));
    let first = a.publish(Event::new("before")).await.unwrap();
    assert_eq!(on_a.next().await.id(), Some(&*first));
    assert_eq!(on_b.next().await.id(), Some(&*first));

    // Kept on disk by hand, so the restarted server has the streams and epochs.
    assert_eq!(redis.command("SAVE").as_deref(), Some("+OK"));
    redis.kill();
    for node in [&a, &b] {
        match node.publish(Event::new("lost")).await {
            Err(PublishError::Redis { .. }) => {}
            other => panic!("expected a Redis error, got {other:?}"),
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    redis.restart();
    // Published as soon as Redis is back, before every node's Pub/Sub is: caught up from
    // the stream.
    let mut published = Vec::new();
    for n in 0..5 {
        let publisher = if n % 2 == 0 { &b } else { &a };
        published.push(publish_when_back(publisher, &format!("after {n}")).await);
    }
    for reader in [&mut on_a, &mut on_b] {
        for id in &published {
            let event = reader.next().await;
            assert_eq!(event.event_type(), "message", "no resync: {}", event.data());
            assert_eq!(event.id(), Some(id.as_str()));
        }
        assert!(
            reader
                .next_within(Duration::from_millis(300))
                .await
                .is_none(),
            "nothing twice"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_cut_from_pubsub_catches_up_from_the_stream() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let (a, b) = (node(&redis).await, node(&redis).await);
    let mut on_a = Reader::new(a.subscribe(None));
    let first = b.publish(Event::new("seen")).await.unwrap();
    assert_eq!(on_a.next().await.id(), Some(&*first));
    let mut published = Vec::new();
    assert!(redis.command("CLIENT KILL TYPE pubsub").is_some());
    for n in 0..10 {
        published.push(b.publish(Event::new(n.to_string())).await.unwrap());
    }
    for id in &published {
        let event = on_a.next().await;
        assert_eq!((event.event_type(), event.id()), ("message", Some(&**id)));
    }
    assert!(on_a.next_within(Duration::from_millis(300)).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarted_empty_resyncs_every_subscriber() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let (a, b) = (node(&redis).await, node(&redis).await);
    let mut on_a = Reader::new(a.subscribe(None));
    let mut on_b = Reader::new(b.subscribe(None));
    let before = a.publish(Event::new("before")).await.unwrap();
    assert_eq!(on_a.next().await.id(), Some(&*before));
    assert_eq!(on_b.next().await.id(), Some(&*before));
    redis.kill();
    tokio::time::sleep(Duration::from_secs(1)).await;
    redis.restart();
    let after = publish_when_back(&b, "after").await;
    for reader in [&mut on_a, &mut on_b] {
        assert_eq!(reader.next().await.event_type(), "resync");
        assert_eq!(reader.next().await.id(), Some(after.as_str()));
        assert!(
            reader
                .next_within(Duration::from_millis(300))
                .await
                .is_none()
        );
    }
    let mut resumed = Reader::new(a.subscribe(resume(&before)));
    assert_eq!(resumed.next().await.event_type(), "resync");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resume_past_the_replay_window_gets_a_resync() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = || RedisHubConfig::new().max_replay_bytes(1000);
    let a = node_with(&redis, config()).await;
    let first = a.publish(Event::new("first")).await.unwrap();
    let big = "x".repeat(400);
    let second = a.publish(Event::new(big.as_str())).await.unwrap();
    a.publish(Event::new(big.as_str())).await.unwrap();
    a.publish(Event::new(big.as_str())).await.unwrap();
    // A node whose ring holds none of them answers from the stream.
    let fresh = node_with(&redis, config()).await;
    let mut too_far = Reader::new(fresh.subscribe(resume(&first)));
    let resync = too_far.next().await;
    assert_eq!(
        (resync.event_type(), resync.data()),
        ("resync", r#"{"reason":"unknown-last-event-id"}"#),
        "1200 bytes follow, more than the 1000 allowed"
    );
    let mut within = Reader::new(fresh.subscribe(resume(&second)));
    assert_eq!(
        within.next().await.data(),
        big,
        "800 bytes follow: replayed"
    );
    assert_eq!(within.next().await.data(), big);
    fresh.publish(Event::new("live")).await.unwrap();
    assert_eq!(within.next().await.data(), "live");
}
