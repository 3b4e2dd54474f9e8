//! Ids in a hub: duplicates and ids that cannot come back as a header are refused, and ids of
//! one channel never place a client in another.

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::{FutureExt as _, StreamExt};
use sse_codec::{Decoder, Event, FieldError, Frame};
use sse_server::{Hub, HubConfig, IdError, IdScheme, MAX_EVENT_ID_LEN, PublishError, Subscription};

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

fn data(events: &[Event]) -> Vec<&str> {
    events.iter().map(Event::data).collect()
}

#[test]
fn a_duplicate_id_in_the_ring_is_refused_and_resume_stays_exact() {
    let hub = Hub::new();
    hub.publish(Event::new("first").with_id("a")).unwrap();
    hub.publish(Event::new("second").with_id("b")).unwrap();
    assert_eq!(
        hub.publish(Event::new("again").with_id("a")),
        Err(PublishError::DuplicateId { id: "a".into() })
    );
    // A client that saw the first "a" resumes after it, not after the refused one.
    let mut resumed = hub.subscribe(Some("a"));
    assert_eq!(data(&ready(&mut resumed)), ["second"]);
    assert_eq!(hub.stats().published, 2);
}

#[test]
fn an_id_dropped_from_the_ring_may_be_used_again() {
    let hub = Hub::with_config(HubConfig::new().replay_events(2)).unwrap();
    hub.publish(Event::new("1").with_id("a")).unwrap();
    hub.publish(Event::new("2").with_id("b")).unwrap();
    hub.publish(Event::new("3").with_id("c")).unwrap();
    assert_eq!(hub.publish(Event::new("4").with_id("a")), Ok("a".into()));
}

#[test]
fn header_unsafe_ids_are_refused_with_the_reason() {
    let hub = Hub::new();
    let long = "x".repeat(MAX_EVENT_ID_LEN + 1);
    let cases = [
        ("", IdError::Empty),
        (" 7", IdError::SurroundingSpace),
        ("7 ", IdError::SurroundingSpace),
        ("7\t8", IdError::ControlCharacter { position: 1 }),
        ("\x1b[31m", IdError::ControlCharacter { position: 0 }),
        (
            long.as_str(),
            IdError::TooLong {
                len: MAX_EVENT_ID_LEN + 1,
                max: MAX_EVENT_ID_LEN,
            },
        ),
    ];
    let mut subscriber = hub.subscribe(None);
    for (id, error) in cases {
        let refused = hub.publish(Event::new("x").with_id(id));
        assert_eq!(
            refused,
            Err(PublishError::InvalidId {
                id: id.into(),
                error
            })
        );
        let message = refused.unwrap_err().to_string();
        assert!(message.contains("refused"), "{message}");
    }
    assert!(
        ready(&mut subscriber).is_empty(),
        "nothing refused was sent"
    );
    assert_eq!(hub.stats().published, 0);
}

#[test]
fn a_custom_scheme_that_makes_a_bad_or_repeated_id_fails_the_publish_visibly() {
    let bad = IdScheme::Custom(Arc::new(|n| {
        if n == 2 {
            "two\n".into()
        } else {
            n.to_string().into()
        }
    }));
    let hub = Hub::with_config(HubConfig::new().ids(bad)).unwrap();
    assert_eq!(hub.publish(Event::new("one")), Ok("1".into()));
    assert_eq!(
        hub.publish(Event::new("two")),
        Err(PublishError::InvalidId {
            id: "two\n".into(),
            error: IdError::Field(FieldError::LineBreakInId { position: 3 }),
        })
    );

    let constant = IdScheme::Custom(Arc::new(|_| "same".into()));
    let hub = Hub::with_config(HubConfig::new().ids(constant)).unwrap();
    assert_eq!(hub.publish(Event::new("a")), Ok("same".into()));
    assert_eq!(
        hub.publish(Event::new("b")),
        Err(PublishError::DuplicateId { id: "same".into() })
    );
}

#[test]
fn every_published_event_carries_the_id_publish_returned() {
    let hub = Hub::new();
    let mut subscriber = hub.subscribe(None);
    let given = hub.publish(Event::new("a")).unwrap();
    let own = hub.publish(Event::new("b").with_id("mine")).unwrap();
    let ids: Vec<_> = ready(&mut subscriber)
        .iter()
        .map(|event| event.id().unwrap().to_owned())
        .collect();
    assert_eq!(ids, [given.to_string(), own.to_string()]);
}

#[test]
fn start_time_ids_of_another_channel_or_hub_give_a_resync_never_a_position() {
    // Made in the same millisecond, as servers started together would be.
    let hubs = [Hub::new(), Hub::new()];
    let channels = [
        hubs[0].channel("a").unwrap(),
        hubs[0].channel("b").unwrap(),
        hubs[1].channel("a").unwrap(),
    ];
    let mut ids = Vec::new();
    for channel in &channels {
        for n in 0..3 {
            ids.push(channel.publish(Event::new(n.to_string())).unwrap());
        }
    }
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "{ids:?}");
    // The first event of channel "a" of the first hub, offered to the two others.
    for other in &channels[1..] {
        let mut resumed = other.subscribe(Some(&*ids[0]));
        let events = ready(&mut resumed);
        assert_eq!(events.len(), 1, "{:?}", data(&events));
        assert_eq!(events[0].event_type(), "resync");
    }
}
