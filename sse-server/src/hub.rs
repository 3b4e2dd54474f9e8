//! The broadcast hub: encode each event once, fan it out, replay what a client missed.
//!
//! Storage (the replay ring, `ring.rs`) and delivery (waking waiting subscribers,
//! `waiters.rs`) are kept apart from the channel's public API (`channel.rs`), the resume and
//! lag rules (`subscription.rs`) and the registry of names (this file).

mod channel;
mod config;
mod error;
mod history;
mod ids;
mod ring;
mod stats;
mod subscription;
mod waiters;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Instant;

use bytes::Bytes;
use bytestring::ByteString;
use sse_codec::Event;

pub use self::channel::Channel;
use self::channel::{ChannelShared, Lifecycle};
pub use self::config::{HubConfig, HubConfigError, LagPolicy};
pub use self::error::{PublishError, TooManyChannels};
pub use self::history::{History, Replay, ReplaySender, RingOnly};
pub use self::ids::{IdError, IdScheme, MAX_EVENT_ID_LEN};
use self::stats::Counters;
pub use self::stats::HubStats;
pub use self::subscription::Subscription;
use crate::frame::IntoFrame;
use crate::last_event_id::ResumeFrom;

/// A set of broadcast channels: encode each event once, fan it out to every subscriber, replay
/// what a reconnecting client missed.
///
/// A [`Hub`] holds named [`Channel`]s. Publishing to a channel encodes the event once into a
/// `Bytes` frame and appends it to the channel's replay ring; each [`Subscription`] is a cursor
/// into that ring, so fan-out is a reference count per subscriber, never a copy, and a slow
/// subscriber never slows a fast one or the publisher. Memory is bounded by the ring
/// ([`HubConfig::replay_events`], [`HubConfig::replay_bytes`]) and the number of channels
/// ([`HubConfig::max_channels`]) whatever the subscribers do.
///
/// Every event gets an id (its own, or one from the hub), so a client that reconnects with
/// `Last-Event-ID` gets exactly the events it missed, then live ones. When that is impossible
/// (it fell too far behind, or its id is unknown) it is told so with a resync event
/// ([`HubConfig::resync_event_type`]), never left with a silent gap.
///
/// Cheap to clone: all clones are the same hub. [`publish`](Self::publish) and
/// [`subscribe`](Self::subscribe) use the default channel (named `""`, which always exists),
/// for apps with one stream; [`channel`](Self::channel) gives any other.
///
/// # Examples
///
/// ```
/// use futures_util::StreamExt;
/// use sse_codec::Event;
/// use sse_server::Hub;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), sse_server::PublishError> {
/// let hub = Hub::new();
/// let first = hub.publish(Event::new("one"))?;
/// hub.publish(Event::new("two"))?;
///
/// // A client that saw "one" reconnects with its id: it gets "two", then live events.
/// let mut resumed = hub.subscribe(Some(&*first));
/// let frame = resumed.next().await.unwrap();
/// assert!(frame.ends_with(b"data: two\n\n"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Hub {
    inner: Arc<HubInner>,
}

pub(crate) struct HubInner {
    config: Arc<HubConfig>,
    counters: Arc<Counters>,
    registry: Mutex<Registry>,
}

struct Registry {
    /// Every channel with a name, the default one (`""`) included while the hub is open.
    by_name: HashMap<ByteString, Arc<ChannelShared>>,
    lifecycle: Lifecycle,
    last_sweep: Instant,
}

impl Hub {
    /// A hub with the default [`HubConfig`].
    pub fn new() -> Self {
        Hub::build(Arc::new(HubConfig::new()))
    }

    /// A hub with the given settings.
    ///
    /// # Errors
    ///
    /// [`HubConfigError`] when the settings cannot work together (see its variants).
    pub fn with_config(config: HubConfig) -> Result<Self, HubConfigError> {
        config.check()?;
        Ok(Hub::build(Arc::new(config)))
    }

    fn build(config: Arc<HubConfig>) -> Self {
        let inner = Arc::new_cyclic(|hub: &Weak<HubInner>| {
            let counters = Arc::new(Counters::default());
            let default = Arc::new(ChannelShared::new(
                ByteString::new(),
                Arc::clone(&config),
                Arc::clone(&counters),
                hub.clone(),
                Lifecycle::Open,
            ));
            HubInner {
                config,
                counters,
                registry: Mutex::new(Registry {
                    by_name: HashMap::from([(ByteString::new(), default)]),
                    lifecycle: Lifecycle::Open,
                    last_sweep: Instant::now(),
                }),
            }
        });
        Hub { inner }
    }

    /// The channel named `name`, made on first use.
    ///
    /// A channel lives while something uses it (a [`Channel`] handle or a [`Subscription`]),
    /// and after that as long as [`HubConfig`] says ("Channels"). After the hub is closed, every
    /// name gives a closed channel whose subscriptions get the closing frame and end.
    ///
    /// # Errors
    ///
    /// [`TooManyChannels`] when `name` is new and [`HubConfig::max_channels`] channels are in
    /// use. A server that takes channel names from requests can answer it with
    /// `503 Service Unavailable`.
    pub fn channel(&self, name: &str) -> Result<Channel, TooManyChannels> {
        let inner = &self.inner;
        let mut registry = inner.lock();
        if let Some(shared) = registry.by_name.get(name) {
            return Ok(Channel::handle(shared));
        }
        if let Lifecycle::Closed { .. } = registry.lifecycle {
            return Ok(Channel::handle(&Arc::new(ChannelShared::new(
                ByteString::from(name),
                Arc::clone(&inner.config),
                Arc::clone(&inner.counters),
                Weak::new(),
                registry.lifecycle.clone(),
            ))));
        }
        let now = Instant::now();
        if now.duration_since(registry.last_sweep) >= inner.config.idle_channel_timeout / 2 {
            inner.sweep(&mut registry, now);
        }
        if registry.named_channels() >= inner.config.max_channels {
            inner.sweep(&mut registry, now);
            if registry.named_channels() >= inner.config.max_channels {
                return Err(TooManyChannels {
                    max_channels: inner.config.max_channels,
                });
            }
        }
        let name = ByteString::from(name);
        let shared = Arc::new(ChannelShared::new(
            name.clone(),
            Arc::clone(&inner.config),
            Arc::clone(&inner.counters),
            Arc::downgrade(inner),
            Lifecycle::Open,
        ));
        let channel = Channel::handle(&shared);
        registry.by_name.insert(name, shared);
        Ok(channel)
    }

    /// The default channel; a closed one once the hub is closed.
    fn default_channel(&self) -> Channel {
        let registry = self.inner.lock();
        match registry.by_name.get("") {
            Some(shared) => Channel::handle(shared),
            None => Channel::handle(&Arc::new(ChannelShared::new(
                ByteString::new(),
                Arc::clone(&self.inner.config),
                Arc::clone(&self.inner.counters),
                Weak::new(),
                registry.lifecycle.clone(),
            ))),
        }
    }

    /// Closes the channel named `name`, if it exists, as [`Channel::close`] does: its
    /// subscriptions end, and the name starts afresh. For channels that come and go (a chat
    /// room, a job's progress).
    pub fn remove_channel(&self, name: &str) {
        let found = self.inner.lock().by_name.get(name).map(Channel::handle);
        if let Some(channel) = found {
            channel.close();
        }
    }

    /// Publishes to the default channel: see [`Channel::publish`].
    ///
    /// # Errors
    ///
    /// As [`Channel::publish`].
    pub fn publish(&self, event: Event) -> Result<ByteString, PublishError> {
        self.default_channel().publish(event)
    }

    /// Subscribes to the default channel: see [`Channel::subscribe`].
    pub fn subscribe(&self, from: impl Into<ResumeFrom>) -> Subscription {
        self.default_channel().subscribe(from)
    }

    /// Ends every subscription of every channel; later publishes fail with
    /// [`PublishError::Closed`].
    pub fn close(&self) {
        self.close_channels(None);
    }

    /// Ends every subscription of every channel, each after `last_frame` (for example an event
    /// telling pages to reconnect later).
    pub fn close_with(&self, last_frame: impl IntoFrame) {
        self.close_channels(Some(last_frame.into_frame()));
    }

    fn close_channels(&self, last_frame: Option<Bytes>) {
        let channels = {
            let mut registry = self.inner.lock();
            if let Lifecycle::Closed { .. } = registry.lifecycle {
                return;
            }
            registry.lifecycle = Lifecycle::Closed {
                last_frame: last_frame.clone(),
            };
            std::mem::take(&mut registry.by_name)
        };
        for channel in channels.values() {
            channel.close(last_frame.clone());
        }
    }

    /// The hub's counters, now.
    pub fn stats(&self) -> HubStats {
        let channels = self.inner.lock().named_channels();
        self.inner.counters.snapshot(channels)
    }
}

impl HubInner {
    fn lock(&self) -> MutexGuard<'_, Registry> {
        // Every change to the registry is complete before anything that could panic.
        self.registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Nobody uses `channel` any more: forget it now if it has nothing to replay, or mark the
    /// time for [`sweep`](Self::sweep).
    pub(crate) fn unused(&self, channel: &Arc<ChannelShared>) {
        let mut registry = self.lock();
        // A new user may have come through the registry since the count reached zero.
        if channel.users.load(std::sync::atomic::Ordering::Acquire) != 0
            || channel.name.is_empty()
            || !registry.holds(channel)
        {
            return;
        }
        let mut state = channel.lock();
        if state.ring.is_empty() || self.config.idle_channel_timeout.is_zero() {
            drop(state);
            registry.by_name.remove(&channel.name);
        } else {
            state.unused_since = Some(Instant::now());
        }
    }

    /// `channel` was closed: a later use of its name gets a fresh channel.
    pub(crate) fn forget(self: &Arc<Self>, channel: &Arc<ChannelShared>) {
        let mut registry = self.lock();
        if !registry.holds(channel) {
            return;
        }
        registry.by_name.remove(&channel.name);
        if channel.name.is_empty() {
            let fresh = Arc::new(ChannelShared::new(
                ByteString::new(),
                Arc::clone(&self.config),
                Arc::clone(&self.counters),
                Arc::downgrade(self),
                Lifecycle::Open,
            ));
            registry.by_name.insert(ByteString::new(), fresh);
        }
    }

    /// Forgets every channel nobody uses whose replay history is older than the idle timeout.
    fn sweep(&self, registry: &mut Registry, now: Instant) {
        let timeout = self.config.idle_channel_timeout;
        registry.by_name.retain(|name, channel| {
            if name.is_empty() || channel.users.load(std::sync::atomic::Ordering::Acquire) != 0 {
                return true;
            }
            let state = channel.lock();
            let expired = state
                .unused_since
                .is_some_and(|since| now.duration_since(since) >= timeout);
            !(expired || state.ring.is_empty())
        });
        registry.last_sweep = now;
    }
}

impl Registry {
    fn holds(&self, channel: &Arc<ChannelShared>) -> bool {
        self.by_name
            .get(&channel.name)
            .is_some_and(|held| Arc::ptr_eq(held, channel))
    }

    /// Channels counted against [`HubConfig::max_channels`]: all but the default one.
    fn named_channels(&self) -> usize {
        self.by_name.len() - usize::from(self.by_name.contains_key(""))
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
