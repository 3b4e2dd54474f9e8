//! One subscriber's stream of a channel's frames, and the rule for when it has fallen behind.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use bytes::Bytes;
use bytestring::ByteString;
use futures_core::Stream;
use sse_codec::Event;

use super::channel::{ChannelShared, Lifecycle};
use super::config::{HubConfig, LagPolicy};
use super::history::{Replay, ReplayReceiver, ReplayState, poll_pending};
use super::ring::Read;
use super::stats::Counters;

/// The encoded frames of one channel, for one client: a `Stream` of [`Bytes`], which every
/// adapter's `Sse` response (and [`FrameStream`](crate::FrameStream)) takes as it is.
///
/// See [`Channel::subscribe`](crate::Channel::subscribe) for what it yields. It ends when the
/// hub or channel is closed (after the events published before the close and the closing
/// frame, if any), or when it falls behind under [`LagPolicy::Disconnect`]. Dropping it
/// unsubscribes. Waiting for an event allocates nothing.
pub struct Subscription {
    channel: Arc<ChannelShared>,
    /// This subscription's place among the channel's waiters.
    slot: usize,
    /// The sequence number of the next frame to read.
    cursor: u64,
    /// A resync event to send before anything else.
    resync: Option<ResyncReason>,
    /// Set when the subscription was found more than `max_lag` events behind: the head of the
    /// ring at that moment, which it must reach before it is judged again.
    catch_up_to: Option<u64>,
    /// Whether any frame was handed out: one that has none is never disconnected.
    received_any: bool,
    phase: Phase,
    /// The hub's history, asked for the events after an id the ring does not hold.
    pending_replay: Option<ReplayReceiver>,
    /// Replayed events not handed out yet, oldest first.
    replayed: VecDeque<(ByteString, Bytes)>,
    /// Ids of the replayed events, which the ring may hold too at the handover from history
    /// to live: skipped there. Emptied at the first ring event that is not one of them.
    replayed_ids: HashSet<ByteString>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Streaming,
    /// The closing frame was handed out: the next poll ends the stream.
    ClosingSent,
    Ended,
}

/// Why a subscriber is told to resync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResyncReason {
    UnknownLastEventId,
    Lagged { missed: u64 },
}

/// What one look at the channel gives.
enum Next {
    /// A frame, with its id when it came from the ring.
    Frame(Option<ByteString>, Bytes),
    Lagged {
        missed: u64,
    },
    Wait,
    End,
}

impl Subscription {
    pub(crate) fn new(
        channel: Arc<ChannelShared>,
        slot: usize,
        cursor: u64,
        mut resync: Option<ResyncReason>,
        replay: Option<Replay>,
    ) -> Self {
        channel.counters.subscribers.fetch_add(1, Ordering::Relaxed);
        let (mut pending_replay, mut replayed) = (None, VecDeque::new());
        match replay.map(|replay| replay.state) {
            None => {}
            Some(ReplayState::Unknown) => resync = Some(ResyncReason::UnknownLastEventId),
            Some(ReplayState::Ready(events)) => replayed = events.into(),
            Some(ReplayState::Pending(receiver)) => pending_replay = Some(receiver),
        }
        let replayed_ids = replayed.iter().map(|(id, _)| id.clone()).collect();
        Subscription {
            pending_replay,
            replayed,
            replayed_ids,
            channel,
            slot,
            cursor,
            resync,
            catch_up_to: None,
            received_any: false,
            phase: Phase::Streaming,
        }
    }

    fn next(&mut self, cx: &mut Context<'_>) -> Next {
        let channel = Arc::clone(&self.channel);
        let mut state = channel.lock();
        if let Some(missed) = self.behind_too_long(state.ring.next_sequence()) {
            self.cursor = state.ring.next_sequence();
            return Next::Lagged { missed };
        }
        match state.ring.read(&mut self.cursor) {
            Read::Frame(id, frame) => Next::Frame(Some(id), frame),
            Read::Evicted { missed } => {
                self.catch_up_to = None;
                Next::Lagged { missed }
            }
            // Nothing is published after a close, so what was published before it has been
            // delivered: then comes the closing frame, then the end.
            Read::Empty => match &state.lifecycle {
                Lifecycle::Open => {
                    // Registered under the lock a publish pushes under: no event is missed
                    // between this look and the wait.
                    state.waiters.wait(self.slot, cx.waker());
                    Next::Wait
                }
                Lifecycle::Closed { last_frame } => match (self.phase, last_frame) {
                    (Phase::Streaming, Some(frame)) => {
                        self.phase = Phase::ClosingSent;
                        Next::Frame(None, frame.clone())
                    }
                    _ => Next::End,
                },
            },
        }
    }

    /// The `max_lag` rule of [`HubConfig`]: `Some(missed)` when the subscription, having been
    /// more than `max_lag` events behind, read every event that was waiting then and is still
    /// more than `max_lag` behind.
    fn behind_too_long(&mut self, head: u64) -> Option<u64> {
        let max_lag = self.channel.config.max_lag?;
        let behind = head.saturating_sub(self.cursor);
        if behind <= max_lag as u64 {
            self.catch_up_to = None;
            return None;
        }
        match self.catch_up_to {
            None => {
                self.catch_up_to = Some(head);
                None
            }
            Some(target) if self.cursor >= target => {
                self.catch_up_to = None;
                Some(behind)
            }
            Some(_) => None,
        }
    }

    fn lagged(&mut self, missed: u64) -> Option<Bytes> {
        let counters = &self.channel.counters;
        Counters::add(&counters.frames_dropped_for_lag, missed);
        match self.channel.config.lag_policy {
            LagPolicy::Disconnect if self.received_any => {
                Counters::add(&counters.subscribers_cut_for_lag, 1);
                None
            }
            LagPolicy::Resync | LagPolicy::Disconnect => {
                Some(resync_frame(&self.channel, ResyncReason::Lagged { missed }))
            }
        }
    }
}

/// The resync event; its type was checked when the hub was made.
fn resync_frame(channel: &ChannelShared, reason: ResyncReason) -> Bytes {
    Counters::add(&channel.counters.resyncs_sent, 1);
    let data = match reason {
        ResyncReason::UnknownLastEventId => r#"{"reason":"unknown-last-event-id"}"#.to_owned(),
        ResyncReason::Lagged { missed } => format!(r#"{{"reason":"lagged","missed":{missed}}}"#),
    };
    let event_type = match sse_codec::check_event_type(&channel.config.resync_event_type) {
        Ok(()) => channel.config.resync_event_type.clone(),
        Err(_) => HubConfig::DEFAULT_RESYNC_EVENT_TYPE.into(),
    };
    Event::new(data).with_event_type(event_type).to_bytes()
}

impl Stream for Subscription {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let this = &mut *self;
        if this.phase == Phase::Ended {
            return Poll::Ready(None);
        }
        if let Some(receiver) = &mut this.pending_replay {
            let Some(answer) = poll_pending(receiver, cx) else {
                return Poll::Pending;
            };
            this.pending_replay = None;
            match answer {
                Some(events) => {
                    this.replayed_ids = events.iter().map(|(id, _)| id.clone()).collect();
                    this.replayed = events.into();
                }
                None => this.resync = Some(ResyncReason::UnknownLastEventId),
            }
        }
        if let Some(reason) = this.resync.take() {
            this.received_any = true;
            return Poll::Ready(Some(resync_frame(&this.channel, reason)));
        }
        if let Some((_, frame)) = this.replayed.pop_front() {
            this.received_any = true;
            return Poll::Ready(Some(frame));
        }
        let frame = loop {
            match this.next(cx) {
                Next::Wait => return Poll::Pending,
                Next::Frame(Some(id), frame) if !this.replayed_ids.is_empty() => {
                    if !this.replayed_ids.contains(&id) {
                        this.replayed_ids = HashSet::new();
                        break Some(frame);
                    }
                }
                Next::Frame(_, frame) => break Some(frame),
                Next::Lagged { missed } => break this.lagged(missed),
                Next::End => break None,
            }
        };
        match &frame {
            Some(_) => this.received_any = true,
            None => this.phase = Phase::Ended,
        }
        Poll::Ready(frame)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.channel.lock().waiters.remove(self.slot);
        self.channel
            .counters
            .subscribers
            .fetch_sub(1, Ordering::Relaxed);
        self.channel.release();
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("channel", &self.channel.name)
            .field("cursor", &self.cursor)
            .field("phase", &self.phase)
            .finish()
    }
}
