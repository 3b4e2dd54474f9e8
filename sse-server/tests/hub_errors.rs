//! What the hub's errors and settings say of themselves: messages, sources, documented
//! defaults, debug output.

use std::error::Error as _;
use std::time::Duration;

use sse_codec::Event;
use sse_server::{Hub, HubConfig, HubConfigError, IdError, PublishError, TooManyChannels};

#[test]
fn the_documented_defaults() {
    assert_eq!(HubConfig::DEFAULT_REPLAY_EVENTS, 1024);
    assert_eq!(HubConfig::DEFAULT_REPLAY_BYTES, 4 << 20, "4 MiB");
    assert_eq!(HubConfig::DEFAULT_MAX_CHANNELS, 10_000);
    assert_eq!(
        HubConfig::DEFAULT_IDLE_CHANNEL_TIMEOUT,
        Duration::from_secs(300),
        "5 minutes"
    );
    assert_eq!(HubConfig::DEFAULT_RESYNC_EVENT_TYPE, "resync");
}

#[test]
fn every_config_error_says_what_to_change() {
    let cases = [
        (
            HubConfigError::ZeroReplayEvents,
            "the replay ring must hold at least one event",
        ),
        (
            HubConfigError::ZeroReplayBytes,
            "the replay ring must allow at least one byte",
        ),
        (HubConfigError::ZeroMaxLag, "max_lag must be at least 1"),
        (
            HubConfigError::MaxLagBeyondReplay {
                max_lag: 9,
                replay_events: 4,
            },
            "max_lag (9) is larger than the replay ring (4 events)",
        ),
        (
            HubConfigError::ZeroMaxChannels,
            "max_channels must be at least 1",
        ),
        (
            HubConfigError::EmptyResyncEventType,
            "the resync event type is empty",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
    }
    let refused = Hub::with_config(HubConfig::new().replay_events(0)).unwrap_err();
    assert_eq!(refused, HubConfigError::ZeroReplayEvents);
}

#[test]
fn a_refused_id_is_the_source_of_the_publish_error() {
    let hub = Hub::new();
    let error = hub.publish(Event::new("x").with_id(" padded")).unwrap_err();
    assert!(matches!(error, PublishError::InvalidId { .. }), "{error:?}");
    let source = error.source().expect("the id's error as the source");
    assert_eq!(
        source.downcast_ref::<IdError>(),
        Some(&IdError::SurroundingSpace)
    );
    hub.close();
    let closed = hub.publish(Event::new("late")).unwrap_err();
    assert!(closed.source().is_none());
}

#[test]
fn too_many_channels_names_the_bound() {
    let hub = Hub::with_config(HubConfig::new().max_channels(1)).unwrap();
    let _kept = hub.channel("one").unwrap().subscribe(None);
    let error = hub.channel("two").unwrap_err();
    assert_eq!(error, TooManyChannels { max_channels: 1 });
    assert_eq!(error.to_string(), "the hub has its maximum of 1 channels");
}

#[test]
fn a_channel_reports_its_replay_size_and_debugs_as_its_name() {
    let hub = Hub::new();
    let channel = hub.channel("prices").unwrap();
    assert_eq!(channel.replay_size(), (0, 0));
    let first = channel.publish(Event::new("1")).unwrap();
    let second = channel.publish(Event::new("22")).unwrap();
    // Each frame is `id: <id>\ndata: <data>\n\n`.
    let frames = (first.len() + 14) + (second.len() + 15);
    assert_eq!(channel.replay_size(), (2, frames));
    let debug = format!("{channel:?}");
    assert!(debug.starts_with("Channel {"), "{debug}");
    assert!(debug.contains("name: \"prices\""), "{debug}");
}
