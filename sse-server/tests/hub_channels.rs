//! Channels come and go: unused ones are forgotten, their number is bounded, and a closed
//! name starts afresh.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::{FutureExt as _, StreamExt};
use sse_codec::{Decoder, Event, Frame};
use sse_server::{Hub, HubConfig, PublishError, Subscription, TooManyChannels};

fn decode(frame: &Bytes) -> Event {
    let mut buf = BytesMut::from(&frame[..]);
    match Decoder::new().decode(&mut buf) {
        Ok(Some(Frame::Event(event))) => event,
        other => panic!("not one event: {other:?} from {frame:?}"),
    }
}

fn ready(subscription: &mut Subscription) -> Vec<Event> {
    let mut events = Vec::new();
    while let Some(Some(frame)) = subscription.next().now_or_never() {
        events.push(decode(&frame));
    }
    events
}

#[test]
fn a_channel_nobody_uses_with_nothing_to_replay_is_forgotten_at_once() {
    let hub = Hub::new();
    let subscription = hub.channel("room/1").unwrap().subscribe(None);
    assert_eq!(hub.stats().channels, 1, "kept while subscribed");
    drop(subscription);
    assert_eq!(hub.stats().channels, 0);
    let handle = hub.channel("room/2").unwrap();
    let clone = handle.clone();
    drop(handle);
    assert_eq!(hub.stats().channels, 1, "kept while a handle is alive");
    drop(clone);
    assert_eq!(hub.stats().channels, 0);
}

#[test]
fn a_channel_with_history_is_kept_for_the_idle_timeout_then_forgotten() {
    let hub = Hub::with_config(HubConfig::new().idle_channel_timeout(Duration::from_millis(100)))
        .unwrap();
    let room = hub.channel("room").unwrap();
    let id = room.publish(Event::new("hello")).unwrap();
    drop(room);
    assert_eq!(hub.stats().channels, 1);
    // A client coming back within the timeout resumes.
    let mut back = hub.channel("room").unwrap().subscribe(Some(&*id));
    assert!(ready(&mut back).is_empty(), "nothing missed, no resync");
    drop(back);
    std::thread::sleep(Duration::from_millis(150));
    // Any later channel lookup sweeps what has expired.
    drop(hub.channel("other").unwrap());
    assert_eq!(hub.stats().channels, 0);
    let mut late = hub.channel("room").unwrap().subscribe(Some(&*id));
    assert_eq!(ready(&mut late)[0].event_type(), "resync");
}

#[test]
fn the_number_of_channels_is_bounded_with_a_typed_error() {
    let hub = Hub::with_config(HubConfig::new().max_channels(3)).unwrap();
    let held: Vec<_> = (0..3)
        .map(|n| hub.channel(&n.to_string()).unwrap())
        .collect();
    assert_eq!(
        hub.channel("one too many").unwrap_err(),
        TooManyChannels { max_channels: 3 }
    );
    assert_eq!(
        hub.channel("0").unwrap().name(),
        "0",
        "existing names still work"
    );
    // The default channel is not counted.
    hub.publish(Event::new("default")).unwrap();
    drop(held);
    assert!(hub.channel("one too many").is_ok());
}

#[test]
fn closing_a_channel_frees_its_name_for_a_fresh_one() {
    let hub = Hub::new();
    let job = hub.channel("job").unwrap();
    let mut watcher = job.subscribe(None);
    job.publish(Event::new("50%")).unwrap();
    job.close_with(Event::new("done").with_event_type("done"));
    let seen: Vec<_> = ready(&mut watcher)
        .iter()
        .map(|e| e.data().to_owned())
        .collect();
    assert_eq!(seen, ["50%", "done"]);
    assert_eq!(watcher.next().now_or_never(), Some(None), "then the end");
    assert_eq!(job.publish(Event::new("late")), Err(PublishError::Closed));

    // A browser reconnecting gets an open channel and live events, not an ended stream.
    let mut reconnected = hub.channel("job").unwrap().subscribe(None);
    assert_eq!(
        reconnected.next().now_or_never(),
        None,
        "waiting, not ended"
    );
    hub.channel("job")
        .unwrap()
        .publish(Event::new("next run"))
        .unwrap();
    assert_eq!(ready(&mut reconnected)[0].data(), "next run");
}

#[test]
fn closing_the_default_channel_leaves_the_hub_usable() {
    let hub = Hub::new();
    let mut old = hub.subscribe(None);
    hub.channel("").unwrap().close();
    assert_eq!(old.next().now_or_never(), Some(None));
    let mut fresh = hub.subscribe(None);
    hub.publish(Event::new("again")).unwrap();
    assert_eq!(ready(&mut fresh)[0].data(), "again");
}

#[test]
fn a_closed_hub_answers_every_name_with_its_closing_frame() {
    let hub = Hub::with_config(HubConfig::new().max_channels(1)).unwrap();
    hub.close_with(Event::new("bye").with_event_type("bye"));
    for name in ["a", "b", "c"] {
        let mut late = hub.channel(name).unwrap().subscribe(None);
        assert_eq!(ready(&mut late)[0].event_type(), "bye");
        assert_eq!(late.next().now_or_never(), Some(None));
    }
    assert_eq!(hub.stats().channels, 0);
}

#[test]
fn a_subscription_debugs_as_its_channel_and_position() {
    let hub = Hub::new();
    let channel = hub.channel("room/7").unwrap();
    channel.publish(Event::new("one")).unwrap();
    let subscription = channel.subscribe(None);
    let debug = format!("{subscription:?}");
    assert!(debug.starts_with("Subscription {"), "{debug}");
    assert!(debug.contains("channel: \"room/7\""), "{debug}");
    // Sequence numbers start at 1: after one event, a live subscriber waits for the second.
    assert!(debug.contains("cursor: 2"), "{debug}");
    assert!(debug.contains("phase: Streaming"), "{debug}");
}

#[test]
fn the_default_channel_outlives_its_last_subscriber() {
    let hub = Hub::new();
    drop(hub.subscribe(None));
    let mut subscription = hub.subscribe(None);
    hub.publish(Event::new("after")).unwrap();
    let data: Vec<_> = ready(&mut subscription)
        .iter()
        .map(|e| e.data().to_owned())
        .collect();
    assert_eq!(data, ["after"]);
}

#[test]
fn a_closed_channels_last_user_leaving_does_not_forget_the_new_one_of_that_name() {
    let hub = Hub::new();
    let old = hub.channel("room/9").unwrap();
    let old_subscription = old.subscribe(None);
    old.close();
    let mut subscription = hub.channel("room/9").unwrap().subscribe(None);
    // Closing the old channel again, and its last user leaving, leave the new one alone.
    old.close();
    drop(old_subscription);
    drop(old);
    hub.channel("room/9")
        .unwrap()
        .publish(Event::new("new room"))
        .unwrap();
    let data: Vec<_> = ready(&mut subscription)
        .iter()
        .map(|e| e.data().to_owned())
        .collect();
    assert_eq!(
        data,
        ["new room"],
        "the new channel was forgotten while in use"
    );
}

#[test]
fn a_hub_debugs_as_its_settings_and_counters() {
    let hub = Hub::new();
    let _subscription = hub.subscribe(None);
    let debug = format!("{hub:?}");
    assert!(debug.starts_with("Hub {"), "{debug}");
    assert!(debug.contains("config: HubConfig"), "{debug}");
    assert!(debug.contains("stats: HubStats"), "{debug}");
    assert!(debug.contains("subscribers: 1"), "{debug}");
}
