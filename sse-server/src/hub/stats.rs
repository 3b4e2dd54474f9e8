//! Counters a hub keeps, for metrics and dashboards.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A snapshot of a [`Hub`](crate::Hub)'s counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HubStats {
    /// Subscriptions alive now, over all channels.
    pub subscribers: usize,
    /// Channels the hub holds now, the default one not counted (see
    /// [`HubConfig::max_channels`](crate::HubConfig::max_channels)).
    pub channels: usize,
    /// Events published since the hub was made.
    pub published: u64,
    /// Frames that subscribers never got because they fell behind.
    pub frames_dropped_for_lag: u64,
    /// Resync signals sent (to laggards and to resumes from an unknown id).
    pub resyncs_sent: u64,
    /// Subscriptions ended because they fell behind ([`LagPolicy::Disconnect`](crate::LagPolicy::Disconnect)).
    pub subscribers_cut_for_lag: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) subscribers: AtomicUsize,
    pub(crate) published: AtomicU64,
    pub(crate) frames_dropped_for_lag: AtomicU64,
    pub(crate) resyncs_sent: AtomicU64,
    pub(crate) subscribers_cut_for_lag: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self, channels: usize) -> HubStats {
        HubStats {
            channels,
            subscribers: self.subscribers.load(Ordering::Relaxed),
            published: self.published.load(Ordering::Relaxed),
            frames_dropped_for_lag: self.frames_dropped_for_lag.load(Ordering::Relaxed),
            resyncs_sent: self.resyncs_sent.load(Ordering::Relaxed),
            subscribers_cut_for_lag: self.subscribers_cut_for_lag.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn add(counter: &AtomicU64, amount: u64) {
        counter.fetch_add(amount, Ordering::Relaxed);
    }
}
