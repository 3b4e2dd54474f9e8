//! Where a channel's history lives beyond this process's replay ring: the hub's seam for a
//! shared backend (several server processes on one log), with the ring alone as the default.

use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use bytestring::ByteString;
use tokio::sync::oneshot;

/// Replayed events, oldest first: each id with its encoded frame.
pub(crate) type Replayed = Vec<(ByteString, Bytes)>;

/// Where a pending replay's answer arrives; `None` is "unknown id".
pub(crate) type ReplayReceiver = oneshot::Receiver<Option<Replayed>>;

/// A channel's history behind the node's replay ring.
///
/// Every hub keeps its own ring per channel: it is the node's fan-out (each event encoded once
/// for the local subscribers) and its first resume window. A `Last-Event-ID` the ring does not
/// hold is then asked of the hub's `History`. Two implementations exist: [`RingOnly`], the
/// default, for which the ring is the whole history (an unknown id gets a resync event), and a
/// shared log such as the Redis stream of the `sse-redis` crate, where an event published on
/// another node, or before this node started, can still be replayed.
///
/// A subscription resuming through a `History` gets the replayed events first, then the ring's
/// events from the moment it subscribed, less those the replay already gave (matched by id), so
/// the handover from history to live has no gap and no duplicate as long as the history is
/// looked up after the subscription was registered, which [`Channel::subscribe`](crate::Channel::subscribe) guarantees.
pub trait History: fmt::Debug + Send + Sync + 'static {
    /// The events of `channel` after the one with id `last_event_id`, oldest first, as encoded
    /// frames with their ids; or [`Replay::unknown`] when that id cannot be placed (never a
    /// guess at a position). Called without any lock held; may answer later through
    /// [`Replay::pending`].
    fn replay_after(&self, channel: &str, last_event_id: &str) -> Replay;
}

/// The default [`History`]: the replay ring is all there is.
#[derive(Clone, Copy, Debug, Default)]
pub struct RingOnly;

impl History for RingOnly {
    fn replay_after(&self, _channel: &str, _last_event_id: &str) -> Replay {
        Replay::unknown()
    }
}

/// What a [`History`] answers for a resume: the events now, later, or "unknown id".
#[derive(Debug)]
pub struct Replay {
    pub(crate) state: ReplayState,
}

#[derive(Debug)]
pub(crate) enum ReplayState {
    Unknown,
    Ready(Vec<(ByteString, Bytes)>),
    Pending(ReplayReceiver),
}

impl Replay {
    /// The id cannot be placed: the subscriber gets a resync event, then live events.
    pub fn unknown() -> Self {
        Replay {
            state: ReplayState::Unknown,
        }
    }

    /// These events (id and encoded frame, oldest first) follow the id.
    pub fn events(events: Vec<(ByteString, Bytes)>) -> Self {
        Replay {
            state: ReplayState::Ready(events),
        }
    }

    /// An answer to come: the subscription waits for the [`ReplaySender`] (a sender dropped
    /// without answering counts as [`Replay::unknown`]).
    pub fn pending() -> (Self, ReplaySender) {
        let (sender, receiver) = oneshot::channel();
        (
            Replay {
                state: ReplayState::Pending(receiver),
            },
            ReplaySender { sender },
        )
    }
}

/// The later answer of a [`Replay::pending`].
#[derive(Debug)]
pub struct ReplaySender {
    sender: oneshot::Sender<Option<Replayed>>,
}

impl ReplaySender {
    /// These events (id and encoded frame, oldest first) follow the id.
    pub fn events(self, events: Vec<(ByteString, Bytes)>) {
        // A subscription gone meanwhile needs no answer.
        let _ = self.sender.send(Some(events));
    }

    /// The id cannot be placed: resync.
    pub fn unknown(self) {
        let _ = self.sender.send(None);
    }
}

/// Polls a pending replay: `None` while it is not there yet, `Some(None)` for unknown.
pub(crate) fn poll_pending(
    receiver: &mut ReplayReceiver,
    cx: &mut Context<'_>,
) -> Option<Option<Replayed>> {
    match Pin::new(receiver).poll(cx) {
        Poll::Pending => None,
        Poll::Ready(answer) => Some(answer.ok().flatten()),
    }
}
