//! Publishing one event to many subscribers that are really waiting: the hub of `sse-server`,
//! served through `sse-axum`, against axum's own `Sse` fed by a `tokio::sync::broadcast`
//! channel of `Bytes`, the usual hand-rolled fan-out.
//!
//! Every subscriber is a task on a two-worker tokio runtime, awaiting its axum response body
//! as a server would; a publish is timed from the call until every task has received the
//! frame. The hub encodes the event once and wakes each waiting task, which takes the shared
//! `Bytes`; each broadcast receiver gets the `Bytes`, and its `Sse` body builds and encodes an
//! `Event` of its own from them.

use std::convert::Infallible;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::IntoResponse;
use bytes::Bytes;
use futures_util::StreamExt as _;
use http_body::Body as _;
use sse_codec::Event;
use sse_server::{Hub, HubConfig, KeepAlive};
use tokio::runtime::Runtime;
use tokio::sync::{Semaphore, broadcast};
use tokio_stream::wrappers::BroadcastStream;

/// The event every publish sends: a small JSON price update.
const PAYLOAD: &str = r#"{"symbol":"ABC","price":101.25,"volume":1200}"#;

/// Frames from this size on are counted apart, so that a large publish waits for its own
/// deliveries while small events flow.
const LARGE_FRAME: usize = 1024 * 1024;

/// A fan-out under test: its subscribers are tasks awaiting their response bodies.
pub struct FanOut {
    runtime: Runtime,
    publisher: Publisher,
    subscribers: usize,
    /// One permit per small frame a subscriber received.
    delivered: Arc<Semaphore>,
    /// One permit per large frame (from [`LARGE_FRAME`] bytes) a subscriber received.
    delivered_large: Arc<Semaphore>,
    /// How long each poll of a response body took: polls counted by the power of two of their
    /// nanoseconds.
    polls: Arc<PollTimes>,
}

#[derive(Clone)]
enum Publisher {
    Hub(Hub),
    Broadcast(broadcast::Sender<Bytes>),
}

impl FanOut {
    /// The hub, with `subscribers` `sse_axum::Sse` bodies (keep-alive off, as axum's default).
    pub fn hub(subscribers: usize) -> Self {
        let hub = Hub::with_config(HubConfig::new().replay_bytes(64 * 1024 * 1024))
            .expect("a valid config");
        let bodies = (0..subscribers).map(|_| {
            sse_axum::Sse::new(hub.subscribe(None))
                .keep_alive(KeepAlive::disabled())
                .into_response()
                .into_body()
        });
        FanOut::start(Publisher::Hub(hub.clone()), bodies.collect())
    }

    /// A broadcast channel of encoded payloads, with `subscribers` `axum::response::Sse` bodies,
    /// each turning the `Bytes` it receives into an `axum::response::sse::Event`.
    pub fn broadcast(subscribers: usize) -> Self {
        let (sender, _) = broadcast::channel::<Bytes>(16);
        let bodies = (0..subscribers).map(|_| {
            let events =
                BroadcastStream::new(sender.subscribe()).filter_map(|received| async move {
                    let payload = received.ok()?;
                    let text = std::str::from_utf8(&payload).ok()?;
                    let event = axum::response::sse::Event::default()
                        .event("price")
                        .data(text);
                    Some(Ok::<_, Infallible>(event))
                });
            axum::response::Sse::new(events).into_response().into_body()
        });
        FanOut::start(Publisher::Broadcast(sender.clone()), bodies.collect())
    }

    fn start(publisher: Publisher, bodies: Vec<Body>) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .expect("a tokio runtime");
        let subscribers = bodies.len();
        let delivered = Arc::new(Semaphore::new(0));
        let delivered_large = Arc::new(Semaphore::new(0));
        let polls = Arc::new(PollTimes::default());
        for body in bodies {
            runtime.spawn(read_body(
                body,
                [Arc::clone(&delivered), Arc::clone(&delivered_large)],
                Arc::clone(&polls),
            ));
        }
        let fan_out = FanOut {
            runtime,
            publisher,
            subscribers,
            delivered,
            delivered_large,
            polls,
        };
        // Every task has polled its body and waits once the first frame reached all of them.
        fan_out.publish_and_deliver();
        fan_out.take_poll_times();
        fan_out
    }

    /// Publishes one small event and waits until every subscriber's task has received it;
    /// returns how long that took.
    ///
    /// # Panics
    ///
    /// If the publisher is closed, or the subscribers do not all receive it within a minute.
    pub fn publish_and_deliver(&self) -> Duration {
        self.publish_frame_and_deliver(PAYLOAD)
    }

    /// Publishes an event with `data` and waits until every subscriber's task has received it.
    ///
    /// # Panics
    ///
    /// As [`publish_and_deliver`](Self::publish_and_deliver).
    pub fn publish_frame_and_deliver(&self, data: &str) -> Duration {
        let started = Instant::now();
        let publisher = self.publisher.clone();
        let event = Event::new(data.to_owned()).with_event_type("price");
        let delivered = Arc::clone(if data.len() >= LARGE_FRAME {
            &self.delivered_large
        } else {
            &self.delivered
        });
        let subscribers = u32::try_from(self.subscribers).expect("fewer than 2^32 subscribers");
        self.runtime.block_on(async move {
            match &publisher {
                Publisher::Hub(hub) => {
                    hub.publish(event).expect("open hub");
                }
                Publisher::Broadcast(sender) => {
                    // What a hand-rolled fan-out sends: the payload, as shared bytes.
                    sender
                        .send(Bytes::copy_from_slice(event.data().as_bytes()))
                        .expect("subscribers");
                }
            }
            let all =
                tokio::time::timeout(Duration::from_secs(60), delivered.acquire_many(subscribers));
            all.await
                .expect("every subscriber within a minute")
                .expect("the semaphore is never closed")
                .forget();
        });
        started.elapsed()
    }

    /// The hub, to publish to from another thread while the subscribers read.
    ///
    /// # Panics
    ///
    /// If this fan-out is not the hub's.
    pub fn hub_handle(&self) -> Hub {
        match &self.publisher {
            Publisher::Hub(hub) => hub.clone(),
            Publisher::Broadcast(_) => panic!("not a hub fan-out"),
        }
    }

    /// How long the subscribers' polls took since the last call, then starts counting afresh.
    pub fn take_poll_times(&self) -> PollSummary {
        let counts: Vec<u64> = self
            .polls
            .by_power_of_two
            .iter()
            .map(|count| count.swap(0, Ordering::SeqCst))
            .collect();
        PollSummary { counts }
    }

    /// Frames the subscribers received beyond those [`publish_and_deliver`] waited for (from
    /// publishes made elsewhere), consumed so that later waits count only their own.
    ///
    /// [`publish_and_deliver`]: Self::publish_and_deliver
    pub fn drain_extra_deliveries(&self) -> usize {
        let available = self.delivered.available_permits();
        let taken = u32::try_from(available).unwrap_or(u32::MAX);
        if taken > 0
            && let Ok(permits) = self.delivered.try_acquire_many(taken)
        {
            permits.forget();
        }
        available
    }

    /// The number of subscribers.
    pub fn subscribers(&self) -> usize {
        self.subscribers
    }
}

impl Drop for FanOut {
    fn drop(&mut self) {
        if let Publisher::Hub(hub) = &self.publisher {
            hub.close();
        }
    }
}

/// A subscriber: reads its body frame by frame, as a server writing it to a socket would,
/// timing every poll.
async fn read_body(
    mut body: Body,
    [delivered, delivered_large]: [Arc<Semaphore>; 2],
    polls: Arc<PollTimes>,
) {
    loop {
        let frame = poll_fn(|cx| {
            let started = Instant::now();
            let polled = Pin::new(&mut body).poll_frame(cx);
            polls.record(started.elapsed());
            polled
        })
        .await;
        match frame {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let counter = if data.len() >= LARGE_FRAME {
                        &delivered_large
                    } else {
                        &delivered
                    };
                    counter.add_permits(std::hint::black_box(1));
                }
            }
            Some(Err(_)) | None => return,
        }
    }
}

/// Poll durations, counted by the power of two of their nanoseconds.
struct PollTimes {
    by_power_of_two: [AtomicU64; 64],
}

impl Default for PollTimes {
    fn default() -> Self {
        PollTimes {
            by_power_of_two: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

impl PollTimes {
    fn record(&self, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX).max(1);
        self.by_power_of_two[nanos.ilog2() as usize].fetch_add(1, Ordering::Relaxed);
    }
}

/// How long the subscribers' polls took over some time.
#[derive(Clone, Debug)]
pub struct PollSummary {
    counts: Vec<u64>,
}

impl PollSummary {
    /// Polls counted.
    pub fn polls(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Polls that took at least `at_least` (rounded down to a power of two of nanoseconds).
    pub fn at_least(&self, at_least: Duration) -> u64 {
        let nanos = u64::try_from(at_least.as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        self.counts[nanos.ilog2() as usize..].iter().sum()
    }

    /// An upper bound of the longest poll: the next power of two of nanoseconds.
    pub fn longest_below(&self) -> Duration {
        let top = self
            .counts
            .iter()
            .rposition(|&count| count > 0)
            .unwrap_or(0);
        Duration::from_nanos(1u64 << (top + 1).min(63))
    }
}
