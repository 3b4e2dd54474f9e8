//! Publishing never makes a subscriber wait: ids are made and events encoded outside the lock
//! subscribers read under.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{FutureExt as _, StreamExt};
use sse_codec::Event;
use sse_server::{Hub, HubConfig, IdScheme};

#[test]
fn subscribers_read_and_subscribe_while_a_publish_is_busy() {
    // A custom id scheme that blocks inside publish until told to go on: the publisher is then
    // stuck exactly where ids are made and the event encoded.
    let (entered_tx, entered) = mpsc::channel::<()>();
    let (release, released) = mpsc::channel::<()>();
    let gate = Arc::new(Mutex::new((entered_tx, released)));
    let scheme = IdScheme::Custom(Arc::new(move |n| {
        if n == 2 {
            let gate = gate.lock().unwrap();
            gate.0.send(()).unwrap();
            gate.1.recv().unwrap();
        }
        n.to_string().into()
    }));
    let hub = Hub::with_config(HubConfig::new().ids(scheme)).unwrap();
    let mut reader = hub.subscribe(None);
    hub.publish(Event::new("one")).unwrap();

    let publisher = {
        let hub = hub.clone();
        std::thread::spawn(move || hub.publish(Event::new("x".repeat(4 << 20))).unwrap())
    };
    entered.recv().unwrap();
    // The publish is in progress: reading, waiting and subscribing all go on without it.
    let started = Instant::now();
    let first = reader.next().now_or_never().flatten().expect("ready");
    assert!(first.ends_with(b"data: one\n\n"));
    assert!(reader.next().now_or_never().is_none(), "waits for the next");
    let mut late = hub.subscribe(Some("1"));
    assert!(late.next().now_or_never().is_none());
    assert!(started.elapsed() < Duration::from_secs(1));

    release.send(()).unwrap();
    assert_eq!(publisher.join().unwrap(), "2");
    let big = reader
        .next()
        .now_or_never()
        .flatten()
        .expect("woken and ready");
    assert_eq!(big.len(), "id: 2\ndata: \n\n".len() + (4 << 20));
    assert!(late.next().now_or_never().flatten().is_some());
}
