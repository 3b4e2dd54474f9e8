//! How a hub keeps history, names events, bounds its channels and treats subscribers that fall
//! behind.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytestring::ByteString;
use sse_codec::FieldError;

use super::history::{History, RingOnly};
use super::ids::IdScheme;

/// Settings of a [`Hub`](crate::Hub), shared by all its channels.
///
/// Setters only record values; [`Hub::with_config`](crate::Hub::with_config) checks them all
/// together, so the order of the calls never matters, and a combination that cannot work is a
/// [`HubConfigError`] rather than a value quietly changed.
///
/// # The rules
///
/// - **Replay ring** ([`replay_events`](Self::replay_events), [`replay_bytes`](Self::replay_bytes)):
///   each channel keeps its most recent events, at most this many and at most this many encoded
///   bytes (the newest event is always kept, however large). The ring is the **resume window**: a
///   client that reconnects with the id of any event still in the ring gets every later event,
///   in order, exactly once, however far back that id is. An id the ring does not hold (too
///   old, from another server, or never sent) gets a resync event, then live events.
/// - **Falling behind** ([`lag_policy`](Self::lag_policy), [`max_lag`](Self::max_lag)): the
///   policy applies to a subscriber that does not keep up while it is being served, in exactly
///   two cases:
///   1. the ring dropped an event the subscriber had not read yet (it is further behind than
///      the ring is long);
///   2. only when `max_lag` is set: the subscriber was more than `max_lag` events behind, was
///      given the time to read every event that was waiting at that moment, and after reading
///      them is still more than `max_lag` events behind (events arrive faster than it reads).
///      A subscriber that drops back to `max_lag` events or fewer at any read starts afresh.
///
///   Both are judged when the subscriber reads (a subscriber that stops reading costs only its
///   cursor, and learns at its next read what it lost). A subscriber resuming far back in the
///   ring is therefore never cut or resynced for the distance alone: it is judged by whether it catches up. And a subscriber that has not
///   received a single frame yet is never disconnected: under [`LagPolicy::Disconnect`] it is
///   sent the resync event instead, so a browser cannot be caught in a loop of reconnecting
///   with the same `Last-Event-ID` and being cut at once.
/// - **Channels** ([`max_channels`](Self::max_channels),
///   [`idle_channel_timeout`](Self::idle_channel_timeout)): a channel nobody uses (no
///   [`Channel`](crate::Channel) handle and no subscription) is forgotten at once if its ring is
///   empty, and after `idle_channel_timeout` otherwise, so that clients naming channels in a
///   URL cannot grow the server's memory. At most `max_channels` channels exist at once (the
///   default channel `""` is not counted); [`Hub::channel`](crate::Hub::channel) refuses more.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sse_server::{Hub, HubConfig, HubConfigError, LagPolicy};
///
/// let hub = Hub::with_config(
///     HubConfig::new()
///         .replay_events(500)
///         .replay_bytes(1024 * 1024)
///         .max_lag(100)
///         .lag_policy(LagPolicy::Disconnect)
///         .max_channels(1000)
///         .idle_channel_timeout(Duration::from_secs(60)),
/// )?;
///
/// // A subscriber cannot be allowed further behind than the ring is long.
/// let impossible = Hub::with_config(HubConfig::new().replay_events(10).max_lag(20));
/// assert_eq!(
///     impossible.unwrap_err(),
///     HubConfigError::MaxLagBeyondReplay { max_lag: 20, replay_events: 10 }
/// );
/// # drop(hub);
/// # Ok::<(), HubConfigError>(())
/// ```
#[derive(Clone, Debug)]
pub struct HubConfig {
    pub(crate) replay_events: usize,
    pub(crate) replay_bytes: usize,
    pub(crate) max_lag: Option<usize>,
    pub(crate) lag_policy: LagPolicy,
    pub(crate) ids: IdScheme,
    pub(crate) resync_event_type: ByteString,
    pub(crate) max_channels: usize,
    pub(crate) idle_channel_timeout: Duration,
    pub(crate) history: Arc<dyn History>,
}

/// What happens to a subscriber that does not keep up: see "Falling behind" on [`HubConfig`]
/// for exactly when it applies.
///
/// Both policies count the events the subscriber will never get in
/// [`HubStats::frames_dropped_for_lag`](crate::HubStats::frames_dropped_for_lag).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LagPolicy {
    /// Send the subscriber a resync event (see [`HubConfig::resync_event_type`]) saying how many
    /// events it missed, and continue with the events published after it: the page learns that
    /// it missed events and can reload its state.
    #[default]
    Resync,
    /// End the subscriber's stream. A browser's `EventSource` reconnects by itself with its
    /// `Last-Event-ID`, and resumes from the replay ring if the events it missed are still
    /// there (a resync event otherwise). A subscriber that has not received any frame yet is
    /// sent the resync event instead of being cut, so a reconnect always makes progress.
    Disconnect,
}

/// Why [`Hub::with_config`](crate::Hub::with_config) refused a [`HubConfig`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HubConfigError {
    /// `replay_events(0)`: subscribers read from the ring, so it must hold at least the newest
    /// event.
    ZeroReplayEvents,
    /// `replay_bytes(0)`: use a small size to keep only the newest event.
    ZeroReplayBytes,
    /// `max_lag(0)`: every subscriber would be behind as soon as an event is published.
    ZeroMaxLag,
    /// `max_lag` is larger than the ring: a subscriber cannot be further behind than the ring
    /// holds, so the setting would never apply.
    MaxLagBeyondReplay {
        /// The `max_lag` set.
        max_lag: usize,
        /// The `replay_events` set.
        replay_events: usize,
    },
    /// `max_channels(0)`: no channel but the default one could be made.
    ZeroMaxChannels,
    /// The resync event type is empty: the resync would arrive as a plain `message` event,
    /// mixed with the app's own.
    EmptyResyncEventType,
    /// The resync event type cannot go on the wire.
    ResyncEventType(FieldError),
}

impl fmt::Display for HubConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HubConfigError::ZeroReplayEvents => {
                f.write_str("the replay ring must hold at least one event")
            }
            HubConfigError::ZeroReplayBytes => {
                f.write_str("the replay ring must allow at least one byte")
            }
            HubConfigError::ZeroMaxLag => f.write_str("max_lag must be at least 1"),
            HubConfigError::MaxLagBeyondReplay {
                max_lag,
                replay_events,
            } => write!(
                f,
                "max_lag ({max_lag}) is larger than the replay ring ({replay_events} events)"
            ),
            HubConfigError::ZeroMaxChannels => f.write_str("max_channels must be at least 1"),
            HubConfigError::EmptyResyncEventType => f.write_str("the resync event type is empty"),
            HubConfigError::ResyncEventType(error) => write!(f, "the resync event type: {error}"),
        }
    }
}

impl std::error::Error for HubConfigError {}

impl HubConfig {
    /// Default replay ring size, in events.
    pub const DEFAULT_REPLAY_EVENTS: usize = 1024;
    /// Default replay ring size, in encoded bytes.
    pub const DEFAULT_REPLAY_BYTES: usize = 4 * 1024 * 1024;
    /// Default event type of the resync signal.
    pub const DEFAULT_RESYNC_EVENT_TYPE: &'static str = "resync";
    /// Default bound on the number of channels.
    pub const DEFAULT_MAX_CHANNELS: usize = 10_000;
    /// Default time an unused channel with events to replay is kept: long enough for every
    /// `EventSource` of a page that lost its connection to come back (they retry within
    /// seconds), short enough that abandoned channels do not pile up.
    pub const DEFAULT_IDLE_CHANNEL_TIMEOUT: Duration = Duration::from_secs(5 * 60);

    /// The defaults: a replay ring of 1024 events or 4 MiB, no `max_lag` (only the ring bounds
    /// lag), subscribers resynced when they fall behind, start-time ids, resync events of type
    /// `resync`, at most 10 000 channels, unused channels kept 5 minutes.
    pub fn new() -> Self {
        HubConfig {
            replay_events: Self::DEFAULT_REPLAY_EVENTS,
            replay_bytes: Self::DEFAULT_REPLAY_BYTES,
            max_lag: None,
            lag_policy: LagPolicy::default(),
            ids: IdScheme::default(),
            resync_event_type: ByteString::from_static(Self::DEFAULT_RESYNC_EVENT_TYPE),
            max_channels: Self::DEFAULT_MAX_CHANNELS,
            idle_channel_timeout: Self::DEFAULT_IDLE_CHANNEL_TIMEOUT,
            history: Arc::new(RingOnly),
        }
    }

    /// How many events each channel's replay ring keeps at most (at least 1): the resume
    /// window, and every subscriber's queue.
    #[must_use]
    pub fn replay_events(mut self, events: usize) -> Self {
        self.replay_events = events;
        self
    }

    /// How many encoded bytes each channel's replay ring keeps at most (at least 1); the newest
    /// event is kept even when it alone is larger.
    #[must_use]
    pub fn replay_bytes(mut self, bytes: usize) -> Self {
        self.replay_bytes = bytes;
        self
    }

    /// How far behind a subscriber may stay while it is served (at least 1, at most
    /// [`replay_events`](Self::replay_events)); see "Falling behind" above for the exact rule.
    /// Unset, only the ring bounds it.
    #[must_use]
    pub fn max_lag(mut self, events: usize) -> Self {
        self.max_lag = Some(events);
        self
    }

    /// What happens to a subscriber that falls behind.
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
    /// longer get: it fell behind, or resumed from an id the ring does not hold. Its data is
    /// JSON: `{"reason":"lagged","missed":N}` or `{"reason":"unknown-last-event-id"}`. It has no
    /// id, so the client keeps its own last event ID.
    #[must_use]
    pub fn resync_event_type(mut self, event_type: impl Into<ByteString>) -> Self {
        self.resync_event_type = event_type.into();
        self
    }

    /// How many channels may exist at once (at least 1; the default channel is not counted).
    #[must_use]
    pub fn max_channels(mut self, channels: usize) -> Self {
        self.max_channels = channels;
        self
    }

    /// How long a channel that nobody uses but that has events to replay is kept before it is
    /// forgotten. A channel with nothing to replay is forgotten as soon as nobody uses it.
    #[must_use]
    pub fn idle_channel_timeout(mut self, timeout: Duration) -> Self {
        self.idle_channel_timeout = timeout;
        self
    }

    /// Where a `Last-Event-ID` the replay ring does not hold is looked up: see [`History`].
    /// [`RingOnly`] (the ring is all the history) unless set.
    #[must_use]
    pub fn history(mut self, history: impl History) -> Self {
        self.history = Arc::new(history);
        self
    }

    /// Checks the settings together, whatever order they were set in.
    pub(crate) fn check(&self) -> Result<(), HubConfigError> {
        if self.replay_events == 0 {
            return Err(HubConfigError::ZeroReplayEvents);
        }
        if self.replay_bytes == 0 {
            return Err(HubConfigError::ZeroReplayBytes);
        }
        match self.max_lag {
            Some(0) => return Err(HubConfigError::ZeroMaxLag),
            Some(max_lag) if max_lag > self.replay_events => {
                return Err(HubConfigError::MaxLagBeyondReplay {
                    max_lag,
                    replay_events: self.replay_events,
                });
            }
            _ => {}
        }
        if self.max_channels == 0 {
            return Err(HubConfigError::ZeroMaxChannels);
        }
        if self.resync_event_type.is_empty() {
            return Err(HubConfigError::EmptyResyncEventType);
        }
        sse_codec::check_event_type(&self.resync_event_type)
            .map_err(HubConfigError::ResyncEventType)
    }
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setter_order_does_not_matter() {
        let one = HubConfig::new().replay_events(5000).max_lag(100);
        let other = HubConfig::new().max_lag(100).replay_events(5000);
        assert_eq!(format!("{one:?}"), format!("{other:?}"));
        assert_eq!(one.check(), Ok(()));
        assert_eq!(other.check(), Ok(()));
    }

    #[test]
    fn impossible_combinations_are_errors() {
        let cases = [
            (
                HubConfig::new().replay_events(0),
                HubConfigError::ZeroReplayEvents,
            ),
            (
                HubConfig::new().replay_bytes(0),
                HubConfigError::ZeroReplayBytes,
            ),
            (HubConfig::new().max_lag(0), HubConfigError::ZeroMaxLag),
            (
                HubConfig::new().max_lag(2000),
                HubConfigError::MaxLagBeyondReplay {
                    max_lag: 2000,
                    replay_events: 1024,
                },
            ),
            (
                HubConfig::new().max_channels(0),
                HubConfigError::ZeroMaxChannels,
            ),
            (
                HubConfig::new().resync_event_type(""),
                HubConfigError::EmptyResyncEventType,
            ),
            (
                HubConfig::new().resync_event_type("re\nsync"),
                HubConfigError::ResyncEventType(FieldError::LineBreakInEventType { position: 2 }),
            ),
        ];
        for (config, error) in cases {
            assert_eq!(config.check(), Err(error), "{config:?}");
        }
    }

    #[test]
    fn max_lag_equal_to_the_ring_is_allowed() {
        assert_eq!(HubConfig::new().replay_events(8).max_lag(8).check(), Ok(()));
    }
}
