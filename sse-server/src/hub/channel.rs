//! A named channel of a hub: publish to it, subscribe to it.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::Waker;
use std::time::Instant;

use bytes::Bytes;
use bytestring::ByteString;
use sse_codec::Event;

use super::HubInner;
use super::config::HubConfig;
use super::error::PublishError;
use super::ids::{IdError, IdMaker, check_publishable_id};
use super::ring::Ring;
use super::stats::Counters;
use super::subscription::{ResyncReason, Subscription};
use super::waiters::Waiters;
use crate::frame::IntoFrame;
use crate::last_event_id::ResumeFrom;

/// One topic of a [`Hub`](crate::Hub): every subscriber gets every event published to it.
///
/// Cheap to clone; all clones are the same channel. A channel that no handle and no
/// subscription uses any more is forgotten by its hub: at once if it has nothing to replay,
/// after the idle timeout otherwise (see "Channels" on [`HubConfig`](crate::HubConfig)). Hold
/// a handle to a channel to keep it and its history.
///
/// # Examples
///
/// ```
/// use futures_util::StreamExt;
/// use sse_codec::Event;
/// use sse_server::Hub;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let hub = Hub::new();
/// let prices = hub.channel("prices")?;
/// let mut subscriber = prices.subscribe(None);
/// let id = prices.publish(Event::new("101.5").with_event_type("price"))?;
/// let frame = subscriber.next().await.unwrap();
/// assert_eq!(frame, format!("event: price\nid: {id}\ndata: 101.5\n\n"));
/// # Ok(())
/// # }
/// ```
pub struct Channel {
    pub(crate) shared: Arc<ChannelShared>,
}

pub(crate) struct ChannelShared {
    pub(crate) name: ByteString,
    pub(crate) config: Arc<HubConfig>,
    pub(crate) counters: Arc<Counters>,
    /// The hub whose registry names this channel; empty for a channel made after the hub
    /// closed.
    hub: Weak<HubInner>,
    /// Handles and subscriptions alive: at zero the hub may forget the channel.
    pub(crate) users: AtomicUsize,
    /// Held by a publisher from choosing the id to waking the subscribers, so that ids and ring
    /// order agree with several publishers; subscribers never take it.
    publishing: Mutex<Publishing>,
    /// What subscribers read: held only to push a frame or read one, never while encoding.
    state: Mutex<ChannelState>,
}

struct Publishing {
    ids: IdMaker,
    /// The wakers of the subscribers a publish wakes, reused from one publish to the next.
    woken: Vec<Waker>,
}

pub(crate) struct ChannelState {
    pub(crate) ring: Ring,
    pub(crate) lifecycle: Lifecycle,
    pub(crate) waiters: Waiters,
    /// When the last handle or subscription went away, while nobody uses the channel.
    pub(crate) unused_since: Option<Instant>,
}

/// Whether a channel takes events.
#[derive(Debug, Clone)]
pub(crate) enum Lifecycle {
    Open,
    /// Subscribers get what was published before, then `last_frame` if any, then the end.
    Closed {
        last_frame: Option<Bytes>,
    },
}

impl Channel {
    /// A handle on `shared`, counted as one of its users.
    pub(crate) fn handle(shared: &Arc<ChannelShared>) -> Self {
        shared.users.fetch_add(1, Ordering::AcqRel);
        Channel {
            shared: Arc::clone(shared),
        }
    }

    /// The channel's name.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// Sends `event` to every subscriber, and keeps it for replay. Returns the event's id: its
    /// own, or the one the hub gave it ([`IdScheme`](crate::IdScheme)). Every event a hub sends
    /// has an id, so every event can be resumed from.
    ///
    /// The event is encoded once, whatever the number of subscribers, and outside the lock
    /// subscribers read under: a large event never makes a subscriber wait. Publishing never
    /// waits for a subscriber; concurrent publishers to one channel take turns.
    ///
    /// # Errors
    ///
    /// The event is not sent, and not kept, when:
    /// - [`PublishError::Closed`]: the hub or the channel was closed;
    /// - [`PublishError::InvalidId`]: its id could not come back as a `Last-Event-ID` header
    ///   ([`IdError`] says why);
    /// - [`PublishError::DuplicateId`]: an event with the same id is still in the replay ring.
    pub fn publish(&self, event: Event) -> Result<ByteString, PublishError> {
        let shared = &*self.shared;
        match event.id() {
            Some(id) => {
                check_publishable_id(id).map_err(|error| PublishError::InvalidId {
                    id: id.into(),
                    error,
                })?;
                let id = ByteString::from(id);
                let frame = event.to_bytes();
                let mut publishing = shared.publishing();
                shared.push(&mut publishing, id, frame)
            }
            None => {
                let mut publishing = shared.publishing();
                // Only publishers move the sequence, and they hold `publishing`.
                let sequence = shared.lock().ring.next_sequence();
                let id = publishing.ids.id(sequence);
                check_publishable_id(&id).map_err(|error| PublishError::InvalidId {
                    id: id.clone(),
                    error,
                })?;
                let frame = event
                    .try_with_id(id.clone())
                    .map_err(|error| PublishError::InvalidId {
                        id: id.clone(),
                        error: IdError::Field(error),
                    })?
                    .to_bytes();
                shared.push(&mut publishing, id, frame)
            }
        }
    }

    /// A stream of this channel's encoded frames, from now on; or, resuming, from the event
    /// after the one the client received last.
    ///
    /// `from` is a [`ResumeFrom`] (what every adapter's `Last-Event-ID` extractor gives), or
    /// an `Option<&str>` id for convenience (`None` and `Some("")` are no id).
    ///
    /// # The rules
    ///
    /// - **No id** ([`ResumeFrom::Live`]): every event published from now on.
    /// - **An id in the replay ring** ([`ResumeFrom::After`]): every event after that one, in
    ///   order, exactly once, then live events; however far back in the ring the id is.
    /// - **An id the ring does not hold** is asked of the hub's
    ///   [`History`](crate::History) ([`HubConfig::history`](crate::HubConfig::history)): a
    ///   shared log may replay the events after it, which come first, then the ring's from
    ///   the moment of subscribing, none twice. With the default [`RingOnly`](crate::RingOnly),
    ///   or when the history cannot place the id either, it is treated as the next rule says.
    /// - **An id nothing holds** (dropped from the ring, from an earlier server or
    ///   another channel, never sent), or a `Last-Event-ID` no client could have received
    ///   ([`ResumeFrom::Invalid`]): a resync event first
    ///   (`{"reason":"unknown-last-event-id"}`, see
    ///   [`HubConfig::resync_event_type`](crate::HubConfig::resync_event_type)), then live
    ///   events. Never a guess at a position.
    /// - **Falling behind** while being served: the [`LagPolicy`](crate::LagPolicy) applies, at
    ///   the exact points "Falling behind" on [`HubConfig`](crate::HubConfig) names. A
    ///   subscription is never disconnected before it has received a frame.
    /// - **Closing**: after the channel or hub closes, the subscription gets the events
    ///   published before the close, the closing frame if one was given, then ends.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures_util::StreamExt;
    /// use sse_codec::Event;
    /// use sse_server::{Hub, ResumeFrom};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let room = Hub::new().channel("room")?;
    /// let first = room.publish(Event::new("hello"))?;
    /// room.publish(Event::new("again"))?;
    /// let mut resumed = room.subscribe(&ResumeFrom::After(first));
    /// assert!(resumed.next().await.unwrap().ends_with(b"data: again\n\n"));
    /// let mut unreadable = room.subscribe(&ResumeFrom::Invalid);
    /// assert!(unreadable.next().await.unwrap().starts_with(b"event: resync\n"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self, from: impl Into<ResumeFrom>) -> Subscription {
        let from = from.into();
        let mut state = self.shared.lock();
        let live = state.ring.next_sequence();
        let (cursor, resync, ask_history) = match &from {
            ResumeFrom::Live => (live, None, None),
            ResumeFrom::After(id) => match state.ring.cursor_after(id) {
                Some(cursor) => (cursor, None, None),
                None => (live, None, Some(id)),
            },
            ResumeFrom::Invalid => (live, Some(ResyncReason::UnknownLastEventId), None),
        };
        let slot = state.waiters.add();
        state.unused_since = None;
        drop(state);
        self.shared.users.fetch_add(1, Ordering::AcqRel);
        // Asked once the subscription's place in the ring is taken, and outside the lock: what
        // the history answers then reaches at least every event before that place.
        let replay = ask_history.map(|id| {
            self.shared
                .config
                .history
                .replay_after(&self.shared.name, id)
        });
        Subscription::new(Arc::clone(&self.shared), slot, cursor, resync, replay)
    }

    /// How many events the replay ring holds now, and their encoded size in bytes: the memory
    /// the channel holds, however many subscribers it has and however slow they are.
    pub fn replay_size(&self) -> (usize, usize) {
        self.shared.lock().ring.len()
    }

    /// Forgets the replay ring, for a [`History`](crate::History) backend that learns it lost
    /// events this node never saw (a gap in its delivery, a flushed log): every subscription
    /// that has not read past the last event gets a resync event at its next read, and ids of
    /// the forgotten events no longer resume from this node's ring.
    pub fn forget_history(&self) {
        let mut state = self.shared.lock();
        state.ring.clear();
        let mut woken = Vec::new();
        state.waiters.take_all(&mut woken);
        drop(state);
        woken.into_iter().for_each(Waker::wake);
    }

    /// Closes the channel: its subscriptions end after the events already published, and
    /// later publishes through this handle fail with [`PublishError::Closed`].
    ///
    /// The hub forgets the name at once, so a later [`Hub::channel`](crate::Hub::channel) or
    /// subscribe with that name gets a fresh, open channel: a browser whose stream ended
    /// reconnects to live events, not to a stream that ends again.
    pub fn close(&self) {
        self.close_and_forget(None);
    }

    /// Like [`close`](Self::close), with `last_frame` sent to every subscription before it ends
    /// (for example an event telling the page that the job is done).
    pub fn close_with(&self, last_frame: impl IntoFrame) {
        self.close_and_forget(Some(last_frame.into_frame()));
    }

    fn close_and_forget(&self, last_frame: Option<Bytes>) {
        self.shared.close(last_frame);
        if let Some(hub) = self.shared.hub.upgrade() {
            hub.forget(&self.shared);
        }
    }
}

impl ChannelShared {
    pub(crate) fn new(
        name: ByteString,
        config: Arc<HubConfig>,
        counters: Arc<Counters>,
        hub: Weak<HubInner>,
        lifecycle: Lifecycle,
    ) -> Self {
        ChannelShared {
            publishing: Mutex::new(Publishing {
                ids: IdMaker::new(config.ids.clone()),
                woken: Vec::new(),
            }),
            state: Mutex::new(ChannelState {
                ring: Ring::new(config.replay_events, config.replay_bytes),
                lifecycle,
                waiters: Waiters::default(),
                unused_since: None,
            }),
            name,
            config,
            counters,
            hub,
            users: AtomicUsize::new(0),
        }
    }

    /// Appends a frame whose id was checked, and wakes every waiting subscriber.
    fn push(
        &self,
        publishing: &mut Publishing,
        id: ByteString,
        frame: Bytes,
    ) -> Result<ByteString, PublishError> {
        let mut state = self.lock();
        if matches!(state.lifecycle, Lifecycle::Closed { .. }) {
            return Err(PublishError::Closed);
        }
        if state.ring.contains_id(&id) {
            return Err(PublishError::DuplicateId { id });
        }
        state.ring.push(id.clone(), frame);
        state.waiters.take_all(&mut publishing.woken);
        drop(state);
        Counters::add(&self.counters.published, 1);
        // Woken outside the lock, so the subscribers that run at once find it free.
        for waker in publishing.woken.drain(..) {
            waker.wake();
        }
        Ok(id)
    }

    /// Marks the channel closed and wakes its subscribers; the first close's frame counts.
    pub(crate) fn close(&self, last_frame: Option<Bytes>) {
        let mut state = self.lock();
        if matches!(state.lifecycle, Lifecycle::Closed { .. }) {
            return;
        }
        state.lifecycle = Lifecycle::Closed { last_frame };
        let mut woken = Vec::new();
        state.waiters.take_all(&mut woken);
        drop(state);
        woken.into_iter().for_each(Waker::wake);
    }

    /// A handle or subscription went away.
    pub(crate) fn release(self: &Arc<Self>) {
        if self.users.fetch_sub(1, Ordering::AcqRel) == 1
            && let Some(hub) = self.hub.upgrade()
        {
            hub.unused(self);
        }
    }

    /// The state, even if a thread panicked while holding it: every change to it is complete
    /// before anything that could panic, so it is never left half-updated.
    pub(crate) fn lock(&self) -> MutexGuard<'_, ChannelState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn publishing(&self) -> MutexGuard<'_, Publishing> {
        self.publishing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clone for Channel {
    fn clone(&self) -> Self {
        Channel::handle(&self.shared)
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.shared.release();
    }
}

impl fmt::Debug for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("name", &self.shared.name)
            .finish_non_exhaustive()
    }
}
