//! How a hub keeps history, names events and treats subscribers that fall behind.

use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use bytestring::ByteString;

/// Settings of a [`Hub`](crate::Hub), shared by all its channels.
///
/// # Examples
///
/// ```
/// use sse_server::{Hub, HubConfig, LagPolicy};
///
/// let hub = Hub::with_config(
///     HubConfig::new()
///         .replay(500, 1024 * 1024)
///         .max_lag(100)
///         .lag_policy(LagPolicy::Disconnect),
/// );
/// # drop(hub);
/// ```
#[derive(Clone, Debug)]
pub struct HubConfig {
    pub(crate) replay_events: usize,
    pub(crate) replay_bytes: usize,
    pub(crate) max_lag: usize,
    pub(crate) lag_policy: LagPolicy,
    pub(crate) ids: IdScheme,
    pub(crate) resync_event_type: ByteString,
}

/// What happens to a subscriber that falls further behind than [`HubConfig::max_lag`] events
/// (or behind the oldest event the replay ring still holds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LagPolicy {
    /// Send the subscriber a resync event (see [`HubConfig::resync_event_type`]) and continue
    /// from the newest event: the page learns it missed events and can reload its state.
    #[default]
    Resync,
    /// End the subscriber's stream. A browser's `EventSource` reconnects by itself and sends its
    /// `Last-Event-ID`, so it resumes from the replay ring if the events it missed are still
    /// there, and gets a resync event otherwise.
    Disconnect,
}

/// How the hub names events published without an id, so that clients can resume.
#[derive(Clone, Default)]
pub enum IdScheme {
    /// `<start>-<n>`: the hub's start time in milliseconds since the Unix epoch, then a sequence
    /// number from 1. Ids from before a server restart are then unknown to the new hub, so a
    /// client resuming across a restart is told to resync instead of being matched to an
    /// unrelated event.
    #[default]
    StartTimeSequence,
    /// `1`, `2`, `3`, ...: shortest, but the numbers start again after a restart.
    Sequence,
    /// Your own ids, made from the sequence number (from 1). They must be unique within the
    /// replay ring and must not contain CR, LF or NUL (such an id is left off the event).
    Custom(Arc<dyn Fn(u64) -> ByteString + Send + Sync>),
}

impl fmt::Debug for IdScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdScheme::StartTimeSequence => f.write_str("StartTimeSequence"),
            IdScheme::Sequence => f.write_str("Sequence"),
            IdScheme::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

impl HubConfig {
    /// Default replay ring size, in events.
    pub const DEFAULT_REPLAY_EVENTS: usize = 1024;
    /// Default replay ring size, in encoded bytes.
    pub const DEFAULT_REPLAY_BYTES: usize = 4 * 1024 * 1024;
    /// Default event type of the resync signal.
    pub const DEFAULT_RESYNC_EVENT_TYPE: &'static str = "resync";

    /// The defaults: a replay ring of 1024 events or 4 MiB, subscribers resynced when they fall
    /// behind the ring, start-time ids, resync events of type `resync`.
    pub fn new() -> Self {
        HubConfig {
            replay_events: Self::DEFAULT_REPLAY_EVENTS,
            replay_bytes: Self::DEFAULT_REPLAY_BYTES,
            max_lag: Self::DEFAULT_REPLAY_EVENTS,
            lag_policy: LagPolicy::default(),
            ids: IdScheme::default(),
            resync_event_type: ByteString::from_static(Self::DEFAULT_RESYNC_EVENT_TYPE),
        }
    }

    /// Bounds each channel's replay ring by count and by encoded size; the newest event is
    /// always kept. Also lowers [`max_lag`](Self::max_lag) to `events` if it was larger: a
    /// subscriber reads from the ring, so it cannot be further behind than the ring is long.
    #[must_use]
    pub fn replay(mut self, events: usize, bytes: usize) -> Self {
        self.replay_events = events.max(1);
        self.replay_bytes = bytes;
        self.max_lag = self.max_lag.min(self.replay_events);
        self
    }

    /// How many events a subscriber may have waiting before [`LagPolicy`] applies (at most the
    /// replay ring's length).
    #[must_use]
    pub fn max_lag(mut self, events: usize) -> Self {
        self.max_lag = events.clamp(1, self.replay_events);
        self
    }

    /// What to do with a subscriber that falls behind.
    #[must_use]
    pub fn lag_policy(mut self, policy: LagPolicy) -> Self {
        self.lag_policy = policy;
        self
    }

    /// How events published without an id are named.
    #[must_use]
    pub fn ids(mut self, scheme: IdScheme) -> Self {
        self.ids = scheme;
        self
    }

    /// The event type of the resync signal, sent to a subscriber that missed events it can no
    /// longer get: it fell behind, or resumed from an id the ring no longer (or never) held.
    /// Its data is JSON, `{"reason":"lagged","missed":N}` or `{"reason":"unknown-last-event-id"}`.
    ///
    /// # Panics
    ///
    /// Panics if `event_type` contains CR or LF.
    #[must_use]
    #[track_caller]
    pub fn resync_event_type(mut self, event_type: impl Into<ByteString>) -> Self {
        let event_type = event_type.into();
        assert!(
            !event_type.contains(['\r', '\n']),
            "the resync event type {event_type:?} contains a line break"
        );
        self.resync_event_type = event_type;
        self
    }
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig::new()
    }
}

/// Makes the ids of one channel.
#[derive(Debug, Clone)]
pub(crate) struct IdMaker {
    scheme: IdScheme,
    start_millis: u128,
}

impl IdMaker {
    pub(crate) fn new(scheme: IdScheme) -> Self {
        let start_millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis());
        IdMaker {
            scheme,
            start_millis,
        }
    }

    pub(crate) fn id(&self, sequence: u64) -> ByteString {
        match &self.scheme {
            IdScheme::StartTimeSequence => format!("{}-{sequence}", self.start_millis).into(),
            IdScheme::Sequence => sequence.to_string().into(),
            IdScheme::Custom(make) => make(sequence),
        }
    }
}
