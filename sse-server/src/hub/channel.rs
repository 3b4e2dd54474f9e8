//! A named channel of a hub: publish to it, subscribe to it.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use bytestring::ByteString;
use sse_codec::Event;
use tokio::sync::Notify;

use super::config::{HubConfig, IdMaker};
use super::ring::Ring;
use super::stats::Counters;
use super::subscription::{ResyncReason, Subscription};

/// One topic of a [`Hub`](crate::Hub): every subscriber gets every event published to it.
///
/// Cheap to clone; all clones are the same channel.
///
/// # Examples
///
/// ```
/// use futures_util::StreamExt;
/// use sse_codec::Event;
/// use sse_server::Hub;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), sse_server::HubClosed> {
/// let hub = Hub::new();
/// let prices = hub.channel("prices");
/// let mut subscriber = prices.subscribe(None);
/// let id = prices.publish(Event::new("101.5").with_event_type("price"))?;
/// let frame = subscriber.next().await.unwrap();
/// assert_eq!(frame, format!("event: price\nid: {id}\ndata: 101.5\n\n"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Channel {
    pub(crate) shared: Arc<ChannelShared>,
}

pub(crate) struct ChannelShared {
    name: ByteString,
    pub(crate) config: Arc<HubConfig>,
    ids: IdMaker,
    state: Mutex<ChannelState>,
    pub(crate) notify: Arc<Notify>,
    pub(crate) counters: Arc<Counters>,
}

pub(crate) struct ChannelState {
    pub(crate) ring: Ring,
    /// `Some` once closed, with the frame to send last, if any.
    pub(crate) closed: Option<Option<Bytes>>,
}

/// Publishing to a hub, or a channel of it, that was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HubClosed;

impl fmt::Display for HubClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the hub is closed")
    }
}

impl std::error::Error for HubClosed {}

impl Channel {
    pub(crate) fn new(name: ByteString, config: Arc<HubConfig>, counters: Arc<Counters>) -> Self {
        let ids = IdMaker::new(config.ids.clone());
        Channel {
            shared: Arc::new(ChannelShared {
                name,
                config,
                ids,
                state: Mutex::new(ChannelState {
                    ring: Ring::new(),
                    closed: None,
                }),
                notify: Arc::new(Notify::new()),
                counters,
            }),
        }
    }

    /// The channel's name.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// Sends `event` to every subscriber, and keeps it for replay. Returns the event's id: its
    /// own, or the one the hub gave it ([`IdScheme`](crate::IdScheme)).
    ///
    /// The event is encoded once, whatever the number of subscribers, and publishing never
    /// waits for a subscriber.
    ///
    /// # Errors
    ///
    /// [`HubClosed`] if the hub or the channel was closed; the event is not sent.
    pub fn publish(&self, event: Event) -> Result<ByteString, HubClosed> {
        let mut state = self.shared.lock();
        if state.closed.is_some() {
            return Err(HubClosed);
        }
        // The id comes from the sequence number, so it is made under the lock: ids and ring
        // order then agree even with several publishers.
        let event = match event.id() {
            Some(_) => event,
            None => {
                let id = self.shared.ids.id(state.ring.next_sequence());
                // Only a custom scheme could make an id that cannot go on the wire; such an
                // event goes out without one rather than not at all.
                if id.contains(['\r', '\n', '\0']) {
                    event
                } else {
                    event.with_id(id)
                }
            }
        };
        let id = event.id().map(ByteString::from);
        let frame = event.to_bytes();
        let config = &self.shared.config;
        state
            .ring
            .push(id.clone(), frame, config.replay_events, config.replay_bytes);
        drop(state);
        Counters::add(&self.shared.counters.published, 1);
        self.shared.notify.notify_waiters();
        Ok(id.unwrap_or_default())
    }

    /// A stream of this channel's encoded frames, from now on; or, given the `Last-Event-ID` of
    /// a reconnecting client, from the event after that one.
    ///
    /// Resuming delivers every later event still in the replay ring, then live events, with no
    /// gap and no duplicate. If the ring does not hold that id (it is too old, or unknown), the
    /// stream starts with a resync event and continues with live events. An empty id is no id.
    pub fn subscribe(&self, last_event_id: Option<&str>) -> Subscription {
        let state = self.shared.lock();
        let live = state.ring.next_sequence();
        let (cursor, resync) = match last_event_id.filter(|id| !id.is_empty()) {
            None => (live, None),
            Some(id) => match state.ring.cursor_after(id) {
                Some(cursor) => (cursor, None),
                None => (live, Some(ResyncReason::UnknownLastEventId)),
            },
        };
        drop(state);
        Subscription::new(Arc::clone(&self.shared), cursor, resync)
    }

    /// How many events the replay ring holds now, and their encoded size in bytes: the memory
    /// the channel holds, however many subscribers it has and however slow they are.
    pub fn replay_size(&self) -> (usize, usize) {
        self.shared.lock().ring.len()
    }

    /// Ends every subscription of this channel, each after the events already published and
    /// then `last_frame`, if given; later publishes fail with [`HubClosed`].
    pub fn close(&self, last_frame: Option<Bytes>) {
        let mut state = self.shared.lock();
        if state.closed.is_none() {
            state.closed = Some(last_frame);
        }
        drop(state);
        self.shared.notify.notify_waiters();
    }
}

impl ChannelShared {
    /// The state, even if a thread panicked while holding it: every change to it is complete
    /// before anything that could panic, so it is never left half-updated.
    pub(crate) fn lock(&self) -> MutexGuard<'_, ChannelState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("name", &self.shared.name)
            .finish_non_exhaustive()
    }
}
