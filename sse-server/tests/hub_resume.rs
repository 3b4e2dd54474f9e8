//! Resuming from anywhere in the replay ring, and the exact points where the lag policy
//! applies.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use sse_codec::{Decoder, Event, Frame};
use sse_server::{Hub, HubConfig, HubConfigError, IdScheme, LagPolicy, ResumeFrom, Subscription};

fn decode(frame: &Bytes) -> Event {
    let mut buf = BytesMut::from(&frame[..]);
    match Decoder::new().decode(&mut buf) {
        Ok(Some(Frame::Event(event))) => event,
        other => panic!("not one event: {other:?} from {frame:?}"),
    }
}

/// The next event, or `None` if the stream ended.
async fn next(subscription: &mut Subscription) -> Option<Event> {
    tokio::time::timeout(Duration::from_secs(5), subscription.next())
        .await
        .expect("a frame or the end within 5 s")
        .map(|frame| decode(&frame))
}

/// The frames ready now, without waiting for more.
fn ready(subscription: &mut Subscription) -> Vec<Event> {
    let mut events = Vec::new();
    while let Some(Some(frame)) = subscription.next().now_or_never() {
        events.push(decode(&frame));
    }
    events
}

use futures_util::FutureExt as _;

fn hub(config: HubConfig) -> Hub {
    Hub::with_config(config.ids(IdScheme::Sequence)).unwrap()
}

fn publish_numbered(hub: &Hub, range: std::ops::RangeInclusive<u64>) {
    for n in range {
        assert_eq!(
            hub.publish(Event::new(n.to_string())).unwrap(),
            n.to_string()
        );
    }
}

fn data(events: &[Event]) -> Vec<u64> {
    events
        .iter()
        .map(|event| event.data().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn resume_depth_is_the_ring_not_a_default_lag_bound() {
    // The defaults keep no lag bound of their own: a 5000-event ring resumes 1990 events back.
    let hub = hub(HubConfig::new()
        .replay_events(5000)
        .replay_bytes(usize::MAX));
    publish_numbered(&hub, 1..=2000);
    let mut resumed = hub.subscribe(Some("10"));
    assert_eq!(data(&ready(&mut resumed)), (11..=2000).collect::<Vec<_>>());
    assert_eq!(hub.stats().resyncs_sent, 0);
}

#[tokio::test]
async fn resume_from_10_1000_and_4999_back_in_a_5000_ring_under_every_policy() {
    let configs = [
        ("resync", HubConfig::new().lag_policy(LagPolicy::Resync)),
        (
            "disconnect",
            HubConfig::new().lag_policy(LagPolicy::Disconnect),
        ),
        (
            "resync, max_lag 100",
            HubConfig::new().max_lag(100).lag_policy(LagPolicy::Resync),
        ),
        (
            "disconnect, max_lag 100",
            HubConfig::new()
                .max_lag(100)
                .lag_policy(LagPolicy::Disconnect),
        ),
    ];
    for (name, config) in configs {
        let hub = hub(config.replay_events(5000).replay_bytes(usize::MAX));
        publish_numbered(&hub, 1..=5000);
        for back in [10, 1000, 4999] {
            let last_seen = 5000 - back;
            let mut resumed = hub.subscribe(Some(&*last_seen.to_string()));
            let events = ready(&mut resumed);
            assert_eq!(
                data(&events),
                ((last_seen + 1)..=5000).collect::<Vec<_>>(),
                "{name}, {back} back"
            );
        }
        assert_eq!(hub.stats().resyncs_sent, 0, "{name}");
        assert_eq!(hub.stats().subscribers_cut_for_lag, 0, "{name}");
    }
}

#[tokio::test]
async fn the_documented_disconnect_config_lets_a_reconnecting_browser_progress() {
    // The loop to avoid: an EventSource that reconnects with the same Last-Event-ID and is cut
    // with zero frames, forever. Each reconnect must bring events and a new id.
    let hub = hub(HubConfig::new()
        .replay_events(500)
        .max_lag(100)
        .lag_policy(LagPolicy::Disconnect));
    publish_numbered(&hub, 1..=400);
    let mut last_seen = "1".to_owned();
    for _ in 0..3 {
        let mut resumed = hub.subscribe(Some(&*last_seen));
        let events = ready(&mut resumed);
        assert!(
            !events.is_empty(),
            "a reconnect from {last_seen} got nothing"
        );
        last_seen = events.last().unwrap().id().unwrap().to_owned();
        if last_seen == "400" {
            break;
        }
    }
    assert_eq!(last_seen, "400");
}

#[tokio::test]
async fn a_subscriber_is_never_disconnected_before_its_first_frame() {
    let hub = hub(HubConfig::new()
        .replay_events(4)
        .lag_policy(LagPolicy::Disconnect));
    publish_numbered(&hub, 1..=4);
    // Resumes from the oldest kept event, then the ring moves past it before the first read.
    let mut resumed = hub.subscribe(Some("1"));
    publish_numbered(&hub, 5..=10);
    let first = next(&mut resumed).await.expect("a resync, not the end");
    assert_eq!(first.event_type(), "resync");
    assert_eq!(first.data(), r#"{"reason":"lagged","missed":9}"#);
    assert_eq!(hub.stats().subscribers_cut_for_lag, 0);
    // Now it has received a frame: the next time it falls behind the ring, it is cut.
    publish_numbered(&hub, 11..=15);
    assert!(next(&mut resumed).await.is_none());
    assert_eq!(hub.stats().subscribers_cut_for_lag, 1);
}

/// A subscription 150 events behind with `max_lag` 100, reading while `during` more events
/// are published, one after each of its first reads.
async fn drain_while_publishing(during: u64, policy: LagPolicy) -> (Vec<Event>, Hub) {
    let hub = hub(HubConfig::new()
        .replay_events(1000)
        .max_lag(100)
        .lag_policy(policy));
    publish_numbered(&hub, 1..=10);
    let mut subscription = hub.subscribe(Some("10"));
    publish_numbered(&hub, 11..=160);
    let mut events = Vec::new();
    let mut published = 160;
    // It reads the 150 that were waiting when it was found behind; meanwhile `during` arrive.
    for _ in 0..150 {
        events.push(next(&mut subscription).await.unwrap());
        if published < 160 + during {
            published += 1;
            hub.publish(Event::new(published.to_string())).unwrap();
        }
    }
    // The judgement comes with the next read.
    while let Some(Some(frame)) = subscription.next().now_or_never() {
        events.push(decode(&frame));
    }
    (events, hub)
}

#[tokio::test]
async fn max_lag_applies_only_to_one_still_behind_after_draining_what_was_waiting() {
    // Boundary: 100 arrive while it drains 150, so it is exactly max_lag behind: fine.
    let (events, hub_ok) = drain_while_publishing(100, LagPolicy::Resync).await;
    assert_eq!(data(&events), (11..=260).collect::<Vec<_>>());
    assert_eq!(hub_ok.stats().resyncs_sent, 0);

    // One more and it is still behind after draining: resync, then continue from the head.
    let (events, hub_lagged) = drain_while_publishing(101, LagPolicy::Resync).await;
    assert_eq!(data(&events[..150]), (11..=160).collect::<Vec<_>>());
    assert_eq!(events[150].event_type(), "resync");
    assert_eq!(events[150].data(), r#"{"reason":"lagged","missed":101}"#);
    assert_eq!(events.len(), 151);
    assert_eq!(hub_lagged.stats().frames_dropped_for_lag, 101);
    hub_lagged.publish(Event::new("262")).unwrap();

    let (events, hub_cut) = drain_while_publishing(101, LagPolicy::Disconnect).await;
    assert_eq!(
        events.len(),
        150,
        "cut right after the events it had waiting"
    );
    assert_eq!(hub_cut.stats().subscribers_cut_for_lag, 1);
}

#[tokio::test]
async fn a_subscriber_that_catches_up_starts_afresh() {
    let hub = hub(HubConfig::new().replay_events(1000).max_lag(5));
    let mut subscription = hub.subscribe(None);
    for round in 0..50u64 {
        // 8 behind (more than 5), then it reads everything: never judged as lagging.
        publish_numbered(&hub, (round * 8 + 1)..=(round * 8 + 8));
        assert_eq!(ready(&mut subscription).len(), 8);
    }
    assert_eq!(hub.stats().resyncs_sent, 0);
}

#[test]
fn replay_and_max_lag_setters_in_either_order_build_the_same_hub() {
    let one = HubConfig::new().replay_events(5000).max_lag(100);
    let other = HubConfig::new().max_lag(100).replay_events(5000);
    assert_eq!(format!("{one:?}"), format!("{other:?}"));
    assert!(Hub::with_config(one).is_ok());
    assert!(Hub::with_config(other).is_ok());
    // The other order used to clamp max_lag silently to the default ring; now it is checked
    // against the ring it is used with.
    let too_deep = HubConfig::new().max_lag(5000).replay_events(100);
    assert_eq!(
        Hub::with_config(too_deep).unwrap_err(),
        HubConfigError::MaxLagBeyondReplay {
            max_lag: 5000,
            replay_events: 100
        }
    );
}

#[tokio::test]
async fn an_invalid_last_event_id_gets_a_resync_not_a_fresh_start() {
    let hub = hub(HubConfig::new());
    publish_numbered(&hub, 1..=3);
    let mut subscription = hub.subscribe(ResumeFrom::from_header(b"\xFF"));
    let first = next(&mut subscription).await.unwrap();
    assert_eq!(
        (first.event_type(), first.data()),
        ("resync", r#"{"reason":"unknown-last-event-id"}"#)
    );
    assert!(
        first.id().is_none(),
        "the client keeps its own last event ID"
    );
}
