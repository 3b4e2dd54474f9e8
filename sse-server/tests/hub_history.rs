//! The hub's history seam: an id the ring does not hold is looked up in a `History`, whose
//! events come first, then the ring's, none twice.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use bytestring::ByteString;
use futures_util::StreamExt;
use sse_codec::Event;
use sse_server::{History, Hub, HubConfig, Replay, ReplaySender, ResumeFrom};

/// A history whose answers the test gives by hand.
#[derive(Debug, Default, Clone)]
struct ByHand {
    asked: Arc<Mutex<Vec<(String, String, ReplaySender)>>>,
}

impl History for ByHand {
    fn replay_after(&self, channel: &str, last_event_id: &str) -> Replay {
        let (replay, sender) = Replay::pending();
        self.asked
            .lock()
            .unwrap()
            .push((channel.to_owned(), last_event_id.to_owned(), sender));
        replay
    }
}

fn entry(id: &str) -> (ByteString, Bytes) {
    (
        ByteString::from(id),
        Event::new(format!("data {id}")).with_id(id).to_bytes(),
    )
}

#[tokio::test]
async fn replayed_events_come_first_then_the_ring_without_the_overlap() {
    let history = ByHand::default();
    let hub = Hub::with_config(HubConfig::new().history(history.clone())).unwrap();
    let room = hub.channel("room").unwrap();
    let mut resumed = room.subscribe(ResumeFrom::After("elsewhere-1".into()));
    // Events that reach the ring while the history is being read: 3 is in both.
    room.publish(Event::new("data 3").with_id("3")).unwrap();
    room.publish(Event::new("data 4").with_id("4")).unwrap();
    let (channel, id, sender) = history.asked.lock().unwrap().pop().expect("asked");
    assert_eq!((channel.as_str(), id.as_str()), ("room", "elsewhere-1"));
    sender.events(vec![entry("2"), entry("3")]);
    for expected in ["2", "3", "4"] {
        let frame = resumed.next().await.unwrap();
        assert!(
            frame.ends_with(format!("data {expected}\n\n").as_bytes()),
            "{frame:?}"
        );
    }
    room.publish(Event::new("data 5").with_id("5")).unwrap();
    assert!(resumed.next().await.unwrap().ends_with(b"data 5\n\n"));
}

#[tokio::test]
async fn an_id_the_history_cannot_place_gets_a_resync() {
    let history = ByHand::default();
    let hub = Hub::with_config(HubConfig::new().history(history.clone())).unwrap();
    let mut resumed = hub.subscribe(Some("unknown"));
    let (_, _, sender) = history.asked.lock().unwrap().pop().expect("asked");
    sender.unknown();
    assert!(
        resumed
            .next()
            .await
            .unwrap()
            .starts_with(b"event: resync\n")
    );
    let mut dropped_answer = hub.subscribe(Some("unknown too"));
    drop(history.asked.lock().unwrap().pop());
    assert!(
        dropped_answer
            .next()
            .await
            .unwrap()
            .starts_with(b"event: resync\n")
    );
}

#[tokio::test]
async fn forgetting_the_history_resyncs_subscribers_then_goes_on() {
    let hub = Hub::new();
    let room = hub.channel("room").unwrap();
    let first = room.publish(Event::new("before")).unwrap();
    let mut live = room.subscribe(None);
    room.forget_history();
    room.publish(Event::new("after")).unwrap();
    assert!(live.next().await.unwrap().starts_with(b"event: resync\n"));
    assert!(live.next().await.unwrap().ends_with(b"data: after\n\n"));
    let mut resumed = room.subscribe(Some(&*first));
    assert!(
        resumed
            .next()
            .await
            .unwrap()
            .starts_with(b"event: resync\n")
    );
}
