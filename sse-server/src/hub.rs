//! The broadcast hub: encode each event once, fan it out, replay what a client missed.

mod channel;
mod config;
mod ring;
mod stats;
mod subscription;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytestring::ByteString;
use sse_codec::Event;

pub use self::channel::{Channel, HubClosed};
pub use self::config::{HubConfig, IdScheme, LagPolicy};
use self::stats::Counters;
pub use self::stats::HubStats;
pub use self::subscription::Subscription;
use crate::frame::IntoFrame;

/// A set of broadcast channels: encode each event once, fan it out to every subscriber, replay
/// what a reconnecting client missed.
///
/// A [`Hub`] holds named [`Channel`]s. Publishing to a channel encodes the event once into a
/// `Bytes` frame and appends it to the channel's replay ring; each [`Subscription`] is a cursor
/// into that ring, so fan-out is a reference count per subscriber, never a copy, and a slow
/// subscriber never slows a fast one or the publisher. Memory is bounded by the ring
/// ([`HubConfig::replay`]) whatever the subscribers do.
///
/// Every event gets an id (its own, or one from the hub), so a client that reconnects with
/// `Last-Event-ID` gets exactly the events it missed, then live ones. When that is impossible
/// (it fell too far behind, or its id is unknown) it is told so with a resync event
/// ([`HubConfig::resync_event_type`]), never left with a silent gap.
///
/// Cheap to clone: all clones are the same hub. [`publish`](Self::publish) and
/// [`subscribe`](Self::subscribe) use the default channel (named `""`), for apps with one
/// stream; [`channel`](Self::channel) gives any other.
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
/// let first = hub.publish(Event::new("one"))?;
/// hub.publish(Event::new("two"))?;
///
/// // A client that saw "one" reconnects with its id: it gets "two", then live events.
/// let mut resumed = hub.subscribe(Some(&first));
/// let frame = resumed.next().await.unwrap();
/// assert!(frame.ends_with(b"data: two\n\n"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Hub {
    inner: Arc<HubInner>,
}

struct HubInner {
    config: Arc<HubConfig>,
    channels: Mutex<Channels>,
    counters: Arc<Counters>,
}

#[derive(Default)]
struct Channels {
    by_name: HashMap<ByteString, Channel>,
    /// `Some` once the hub is closed, with the frame each subscriber gets last.
    closed: Option<Option<bytes::Bytes>>,
}

impl Hub {
    /// A hub with the default [`HubConfig`].
    pub fn new() -> Self {
        Hub::with_config(HubConfig::new())
    }

    /// A hub with the given settings.
    pub fn with_config(config: HubConfig) -> Self {
        Hub {
            inner: Arc::new(HubInner {
                config: Arc::new(config),
                channels: Mutex::new(Channels::default()),
                counters: Arc::default(),
            }),
        }
    }

    /// The channel named `name`, made on first use.
    pub fn channel(&self, name: &str) -> Channel {
        let mut channels = self.lock();
        if let Some(channel) = channels.by_name.get(name) {
            return channel.clone();
        }
        let name = ByteString::from(name);
        let channel = Channel::new(
            name.clone(),
            Arc::clone(&self.inner.config),
            Arc::clone(&self.inner.counters),
        );
        if let Some(last_frame) = &channels.closed {
            channel.close(last_frame.clone());
        }
        channels.by_name.insert(name, channel.clone());
        channel
    }

    /// Closes the channel named `name` and forgets it: its subscriptions end, and a later
    /// [`channel`](Self::channel) call with that name makes a new, empty one. For channels that
    /// come and go (a chat room, a job's progress).
    pub fn remove_channel(&self, name: &str) {
        let removed = self.lock().by_name.remove(name);
        if let Some(channel) = removed {
            channel.close(None);
        }
    }

    /// Publishes to the default channel: see [`Channel::publish`].
    ///
    /// # Errors
    ///
    /// [`HubClosed`] once the hub is closed.
    pub fn publish(&self, event: Event) -> Result<ByteString, HubClosed> {
        self.channel("").publish(event)
    }

    /// Subscribes to the default channel: see [`Channel::subscribe`].
    pub fn subscribe(&self, last_event_id: Option<&str>) -> Subscription {
        self.channel("").subscribe(last_event_id)
    }

    /// Ends every subscription of every channel; later publishes fail with [`HubClosed`].
    pub fn close(&self) {
        self.close_channels(None);
    }

    /// Ends every subscription of every channel, each after `last_frame` (for example an event
    /// telling pages to reconnect later).
    pub fn close_with(&self, last_frame: impl IntoFrame) {
        self.close_channels(Some(last_frame.into_frame()));
    }

    fn close_channels(&self, last_frame: Option<bytes::Bytes>) {
        let mut channels = self.lock();
        if channels.closed.is_some() {
            return;
        }
        channels.closed = Some(last_frame.clone());
        for channel in channels.by_name.values() {
            channel.close(last_frame.clone());
        }
    }

    /// The hub's counters, now.
    pub fn stats(&self) -> HubStats {
        self.inner.counters.snapshot()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Channels> {
        // Every change to the map is complete before anything that could panic.
        self.inner
            .channels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("config", &self.inner.config)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}
