//! One subscriber's stream of a channel's frames.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use sse_codec::Event;
use tokio::sync::futures::OwnedNotified;

use super::channel::ChannelShared;
use super::config::LagPolicy;
use super::ring::Read;
use super::stats::Counters;

/// The encoded frames of one channel, for one client: a `Stream` of [`Bytes`], which every
/// adapter's `Sse` response (and [`FrameStream`](crate::FrameStream)) takes as it is.
///
/// It ends when the hub or channel is closed, after the events published before the close and
/// the closing frame, if any; or when it falls behind under [`LagPolicy::Disconnect`]. Dropping
/// it unsubscribes.
pub struct Subscription {
    channel: Arc<ChannelShared>,
    /// The sequence number of the next frame to read.
    cursor: u64,
    /// A resync event to send before anything else.
    resync: Option<ResyncReason>,
    /// Registered interest in the next publish, while waiting.
    waiting: Option<Pin<Box<OwnedNotified>>>,
    /// The channel's closing frame was handed out: the next poll ends the stream.
    closing_sent: bool,
    ended: bool,
}

/// Why a subscriber is told to resync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResyncReason {
    UnknownLastEventId,
    Lagged { missed: u64 },
}

impl Subscription {
    pub(crate) fn new(
        channel: Arc<ChannelShared>,
        cursor: u64,
        resync: Option<ResyncReason>,
    ) -> Self {
        channel.counters.subscribers.fetch_add(1, Ordering::Relaxed);
        Subscription {
            channel,
            cursor,
            resync,
            waiting: None,
            closing_sent: false,
            ended: false,
        }
    }

    /// The next frame if one is ready: `Some(None)` when the stream ends.
    fn next_ready(&mut self) -> Option<Option<Bytes>> {
        if let Some(reason) = self.resync.take() {
            return Some(Some(self.resync_frame(reason)));
        }
        let state = self.channel.lock();
        match state
            .ring
            .read(&mut self.cursor, self.channel.config.max_lag)
        {
            Read::Frame(frame) => Some(Some(frame)),
            // Nothing is published after a close, so what was published before it has been
            // delivered: then comes the closing frame, then the end.
            Read::Empty => match &state.closed {
                None => None,
                Some(_) if self.closing_sent => Some(None),
                Some(last_frame) => {
                    self.closing_sent = true;
                    Some(last_frame.clone())
                }
            },
            Read::Lagged { missed } => {
                drop(state);
                let counters = &self.channel.counters;
                Counters::add(&counters.frames_dropped_for_lag, missed);
                match self.channel.config.lag_policy {
                    LagPolicy::Resync => {
                        Some(Some(self.resync_frame(ResyncReason::Lagged { missed })))
                    }
                    LagPolicy::Disconnect => {
                        Counters::add(&counters.subscribers_cut_for_lag, 1);
                        Some(None)
                    }
                }
            }
        }
    }

    fn resync_frame(&self, reason: ResyncReason) -> Bytes {
        Counters::add(&self.channel.counters.resyncs_sent, 1);
        let data = match reason {
            ResyncReason::UnknownLastEventId => r#"{"reason":"unknown-last-event-id"}"#.to_owned(),
            ResyncReason::Lagged { missed } => {
                format!(r#"{{"reason":"lagged","missed":{missed}}}"#)
            }
        };
        // The event type was checked when it was configured.
        Event::new(data)
            .try_with_event_type(self.channel.config.resync_event_type.clone())
            .map(|event| event.to_bytes())
            .unwrap_or_default()
    }
}

impl Stream for Subscription {
    type Item = Bytes;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        loop {
            if let Some(next) = this.next_ready() {
                this.waiting = None;
                this.ended = next.is_none();
                return Poll::Ready(next);
            }
            match &mut this.waiting {
                Some(notified) => match notified.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(()) => this.waiting = None,
                },
                None => {
                    // Register before looking again, so that a publish between the look above
                    // and the wait below is not missed.
                    let mut notified = Box::pin(Arc::clone(&this.channel.notify).notified_owned());
                    notified.as_mut().enable();
                    this.waiting = Some(notified);
                }
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.channel
            .counters
            .subscribers
            .fetch_sub(1, Ordering::Relaxed);
    }
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("cursor", &self.cursor)
            .field("ended", &self.ended)
            .finish()
    }
}
