//! The broadcast hub under concurrency, lag, churn and shutdown.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use sse_codec::{Decoder, Event, Frame};
use sse_server::{Hub, HubConfig, IdScheme, LagPolicy, Subscription};

/// Decodes one frame produced by the hub.
fn decode(frame: &Bytes) -> Event {
    let mut buf = BytesMut::from(&frame[..]);
    match Decoder::new().decode(&mut buf) {
        Ok(Some(Frame::Event(event))) => event,
        other => panic!("not one event: {other:?} from {frame:?}"),
    }
}

async fn next_event(subscription: &mut Subscription) -> Event {
    let frame = tokio::time::timeout(Duration::from_secs(5), subscription.next())
        .await
        .expect("a frame within 5 s")
        .expect("the stream goes on");
    decode(&frame)
}

fn sequence_hub(replay: usize) -> Hub {
    Hub::with_config(
        HubConfig::new()
            .replay_events(replay)
            .replay_bytes(usize::MAX)
            .ids(IdScheme::Sequence),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_subscriber_sees_an_ordered_gapless_suffix_while_publishers_race() {
    const PUBLISHERS: u64 = 4;
    const PER_PUBLISHER: u64 = 500;
    const TOTAL: u64 = PUBLISHERS * PER_PUBLISHER;
    let hub = sequence_hub(TOTAL as usize);
    let channel = hub.channel("ticks").unwrap();

    let mut subscribers = Vec::new();
    // Live from the start.
    for _ in 0..20 {
        let subscription = channel.subscribe(None);
        subscribers.push(tokio::spawn(collect(subscription, 1)));
    }
    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|publisher| {
            let channel = channel.clone();
            tokio::spawn(async move {
                for n in 0..PER_PUBLISHER {
                    channel
                        .publish(Event::new(format!("{publisher}/{n}")))
                        .unwrap();
                    if n % 50 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    // Resuming mid-stream while the publishers run: each must continue right after its id.
    let mut resumed = Vec::new();
    for round in 0..20u64 {
        tokio::task::yield_now().await;
        let published = hub.stats().published;
        let last_seen = (published * round / 20).max(1);
        if last_seen <= published {
            let subscription = channel.subscribe(Some(&*last_seen.to_string()));
            resumed.push(tokio::spawn(collect(subscription, last_seen + 1)));
        }
    }
    for publisher in publishers {
        publisher.await.unwrap();
    }
    hub.close();
    let mut per_publisher_order_checked = false;
    for subscriber in subscribers.into_iter().chain(resumed) {
        let (first, events) = subscriber.await.unwrap();
        let ids: Vec<u64> = events
            .iter()
            .map(|event| event.id().unwrap().parse().unwrap())
            .collect();
        let expected: Vec<u64> = (first..=TOTAL).collect();
        assert!(
            ids == expected,
            "not the gapless, ordered suffix from {first}: {} events, first {:?}, last {:?}",
            ids.len(),
            ids.first(),
            ids.last()
        );
        // Each publisher's own events keep their order within the sequence.
        if first == 1 {
            for publisher in 0..PUBLISHERS {
                let own: Vec<u64> = events
                    .iter()
                    .filter_map(|event| event.data().strip_prefix(&format!("{publisher}/")))
                    .map(|n| n.parse().unwrap())
                    .collect();
                assert_eq!(own, (0..PER_PUBLISHER).collect::<Vec<_>>());
            }
            per_publisher_order_checked = true;
        }
    }
    assert!(per_publisher_order_checked);
    assert_eq!(hub.stats().frames_dropped_for_lag, 0);
}

/// Reads a subscription to its end; returns the first id it expected and the events.
async fn collect(mut subscription: Subscription, first: u64) -> (u64, Vec<Event>) {
    let mut events = Vec::new();
    while let Some(frame) = subscription.next().await {
        events.push(decode(&frame));
    }
    (first, events)
}

#[tokio::test]
async fn a_subscriber_that_never_reads_costs_a_bounded_ring_and_blocks_no_one() {
    let hub = Hub::with_config(HubConfig::new().replay_events(64).replay_bytes(16 * 1024)).unwrap();
    let channel = hub.channel("").unwrap();
    let _never_reads = channel.subscribe(None);
    let mut fast = channel.subscribe(None);
    for n in 0..10_000 {
        channel
            .publish(Event::new(format!("event {n:05} with some payload")))
            .unwrap();
        assert_eq!(
            next_event(&mut fast).await.data(),
            format!("event {n:05} with some payload")
        );
        let (events, bytes) = channel.replay_size();
        assert!(
            events <= 64 && bytes <= 16 * 1024,
            "ring stays bounded: {events} events, {bytes} bytes"
        );
    }
    assert_eq!(hub.stats().subscribers, 2);
}

#[tokio::test]
async fn a_laggard_is_told_what_it_missed_and_continues_live() {
    let hub = sequence_hub(8);
    let mut slow = hub.subscribe(None);
    for n in 1..=20 {
        hub.publish(Event::new(n.to_string())).unwrap();
    }
    let resync = next_event(&mut slow).await;
    assert_eq!(resync.event_type(), "resync");
    assert_eq!(resync.data(), r#"{"reason":"lagged","missed":20}"#);
    hub.publish(Event::new("21")).unwrap();
    assert_eq!(
        next_event(&mut slow).await.data(),
        "21",
        "continues from the live head"
    );
    let stats = hub.stats();
    assert_eq!((stats.frames_dropped_for_lag, stats.resyncs_sent), (20, 1));
}

#[tokio::test]
async fn under_the_disconnect_policy_a_laggard_is_cut() {
    let hub = Hub::with_config(
        HubConfig::new()
            .replay_events(8)
            .lag_policy(LagPolicy::Disconnect),
    )
    .unwrap();
    let mut slow = hub.subscribe(None);
    hub.publish(Event::new("first")).unwrap();
    assert_eq!(next_event(&mut slow).await.data(), "first");
    for n in 0..9 {
        hub.publish(Event::new(n.to_string())).unwrap();
    }
    assert_eq!(slow.next().await, None);
    assert_eq!(hub.stats().subscribers_cut_for_lag, 1);
}

#[tokio::test]
async fn a_subscriber_within_its_lag_bound_is_not_cut() {
    let hub = Hub::with_config(
        HubConfig::new()
            .replay_events(8)
            .max_lag(8)
            .ids(IdScheme::Sequence),
    )
    .unwrap();
    let mut reader = hub.subscribe(None);
    for n in 1..=8 {
        hub.publish(Event::new(n.to_string())).unwrap();
    }
    for n in 1..=8 {
        assert_eq!(next_event(&mut reader).await.data(), n.to_string());
    }
    assert_eq!(hub.stats().resyncs_sent, 0);
}

#[tokio::test]
async fn resuming_from_an_unknown_or_evicted_id_starts_with_a_resync() {
    let hub = sequence_hub(4);
    for n in 1..=10 {
        hub.publish(Event::new(n.to_string())).unwrap();
    }
    for stale in ["1", "no-such-id"] {
        let mut resumed = hub.subscribe(Some(stale));
        let resync = next_event(&mut resumed).await;
        assert_eq!(
            (resync.event_type(), resync.data()),
            ("resync", r#"{"reason":"unknown-last-event-id"}"#)
        );
        hub.publish(Event::new("live")).unwrap();
        assert_eq!(next_event(&mut resumed).await.data(), "live");
    }
    // The newest kept id resumes with nothing missed; the oldest kept one replays the rest.
    let mut up_to_date = hub.subscribe(Some("12"));
    let mut behind = hub.subscribe(Some("9"));
    hub.publish(Event::new("after")).unwrap();
    assert_eq!(next_event(&mut up_to_date).await.data(), "after");
    let replayed: Vec<String> = [next_event(&mut behind).await, next_event(&mut behind).await]
        .iter()
        .map(|event| event.data().to_owned())
        .collect();
    assert_eq!(replayed, ["10", "live"]);
}

#[tokio::test]
async fn ids_are_kept_or_given() {
    let hub = Hub::new();
    let mut subscriber = hub.subscribe(None);
    let given = hub.publish(Event::new("a")).unwrap();
    let kept = hub.publish(Event::new("b").with_id("mine")).unwrap();
    assert_eq!(kept, "mine");
    let parts: Vec<&str> = given.split('-').collect();
    assert_eq!(parts.len(), 3, "<start>-<nonce>-<n>: {given}");
    assert!(parts[0].parse::<u128>().unwrap() > 1_600_000_000_000);
    assert!(u64::from_str_radix(parts[1], 16).is_ok() && parts[1].len() == 12);
    assert_eq!(parts[2], "1");
    assert_eq!(next_event(&mut subscriber).await.id(), Some(&*given));
    assert_eq!(next_event(&mut subscriber).await.id(), Some("mine"));
}

#[tokio::test]
async fn channels_are_separate() {
    let hub = Hub::new();
    let mut prices = hub.channel("prices").unwrap().subscribe(None);
    let mut chat = hub.channel("chat").unwrap().subscribe(None);
    hub.channel("chat")
        .unwrap()
        .publish(Event::new("hello"))
        .unwrap();
    hub.channel("prices")
        .unwrap()
        .publish(Event::new("101"))
        .unwrap();
    assert_eq!(next_event(&mut prices).await.data(), "101");
    assert_eq!(next_event(&mut chat).await.data(), "hello");
}

#[tokio::test]
async fn closing_ends_every_stream_after_the_last_frame() {
    let hub = Hub::new();
    let mut subscribers: Vec<Subscription> = (0..10)
        .map(|n| hub.channel(&n.to_string()).unwrap().subscribe(None))
        .collect();
    hub.close_with(Event::new("bye").with_event_type("shutdown"));
    for subscriber in &mut subscribers {
        assert_eq!(next_event(subscriber).await.event_type(), "shutdown");
        assert_eq!(subscriber.next().await, None);
    }
    assert!(hub.publish(Event::new("late")).is_err());
    let mut late = hub.channel("new after close").unwrap().subscribe(None);
    assert_eq!(next_event(&mut late).await.data(), "bye");
    assert_eq!(late.next().await, None);
}

#[tokio::test]
async fn a_removed_channel_ends_its_streams_and_starts_afresh() {
    let hub = Hub::new();
    let mut old = hub.channel("room").unwrap().subscribe(None);
    hub.channel("room")
        .unwrap()
        .publish(Event::new("x"))
        .unwrap();
    hub.remove_channel("room");
    assert_eq!(next_event(&mut old).await.data(), "x");
    assert_eq!(old.next().await, None);
    assert_eq!(hub.channel("room").unwrap().replay_size(), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_subscribe_drop_cycles_leave_nothing_behind() {
    let hub = Hub::new();
    let channel = hub.channel("churn").unwrap();
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    for n in 0..10_000 {
        let mut subscription = channel.subscribe(None);
        if n % 2 == 0 {
            // Half of them are dropped while waiting for a frame.
            let waiting = tokio::time::timeout(Duration::from_micros(1), subscription.next()).await;
            assert!(waiting.is_err());
        }
        if n % 100 == 0 {
            channel.publish(Event::new(n.to_string())).unwrap();
        }
    }
    assert_eq!(hub.stats().subscribers, 0);
    assert_eq!(
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks(),
        tasks_before
    );
}
