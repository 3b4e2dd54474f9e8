//! Publishing one event to many subscribers: the hub of `sse-server`, served through
//! `sse-axum`, against axum's own `Sse` fed by a `tokio::sync::broadcast` channel, the usual
//! hand-rolled fan-out.
//!
//! Both sides end in the same place: every subscriber's axum response body yields the encoded
//! frame, polled once per publish. The hub encodes the event once and hands every body the same
//! `Bytes`; the broadcast channel clones the payload to every receiver, and each receiver's
//! `Sse` body builds and encodes an `Event` of its own.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::IntoResponse;
use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::task::noop_waker_ref;
use http_body::Body as _;
use sse_codec::Event;
use sse_server::{Hub, KeepAlive};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;

/// The event every publish sends: a small JSON price update.
const PAYLOAD: &str = r#"{"symbol":"ABC","price":101.25,"volume":1200}"#;

/// A fan-out under test, with its subscribers' response bodies.
pub struct FanOut {
    publisher: Publisher,
    bodies: Vec<Body>,
    published: u64,
}

enum Publisher {
    Hub(Hub),
    Broadcast(broadcast::Sender<String>),
}

impl FanOut {
    /// The hub, with `subscribers` `sse_axum::Sse` bodies (keep-alive off, as axum's default).
    pub fn hub(subscribers: usize) -> Self {
        let hub = Hub::new();
        let bodies = (0..subscribers)
            .map(|_| {
                let subscription = hub.subscribe(None);
                sse_axum::Sse::new(subscription)
                    .keep_alive(KeepAlive::disabled())
                    .into_response()
                    .into_body()
            })
            .collect();
        FanOut {
            publisher: Publisher::Hub(hub),
            bodies,
            published: 0,
        }
    }

    /// A broadcast channel, with `subscribers` `axum::response::Sse` bodies, each turning the
    /// payload it receives into an `axum::response::sse::Event`.
    pub fn broadcast(subscribers: usize) -> Self {
        let (sender, _) = broadcast::channel::<String>(16);
        let bodies = (0..subscribers)
            .map(|_| {
                let events =
                    BroadcastStream::new(sender.subscribe()).filter_map(|received| async move {
                        let payload = received.ok()?;
                        let event = axum::response::sse::Event::default()
                            .event("price")
                            .data(payload);
                        Some(Ok::<_, Infallible>(event))
                    });
                axum::response::Sse::new(events).into_response().into_body()
            })
            .collect();
        FanOut {
            publisher: Publisher::Broadcast(sender),
            bodies,
            published: 0,
        }
    }

    /// Publishes one event and polls every subscriber's body for it; returns the bytes the
    /// bodies yielded, summed.
    ///
    /// # Panics
    ///
    /// If a body does not yield the frame at once.
    pub fn publish_and_deliver(&mut self) -> usize {
        self.published += 1;
        match &self.publisher {
            Publisher::Hub(hub) => {
                hub.publish(Event::new(PAYLOAD).with_event_type("price"))
                    .expect("open hub");
            }
            Publisher::Broadcast(sender) => {
                sender.send(PAYLOAD.to_owned()).expect("subscribers");
            }
        }
        let mut context = Context::from_waker(noop_waker_ref());
        let mut delivered = 0;
        for body in &mut self.bodies {
            match Pin::new(body).poll_frame(&mut context) {
                Poll::Ready(Some(Ok(frame))) => {
                    let data: &Bytes = frame.data_ref().expect("a data frame");
                    delivered += std::hint::black_box(data).len();
                }
                other => panic!("the frame was not delivered at once: {other:?}"),
            }
        }
        delivered
    }
}
