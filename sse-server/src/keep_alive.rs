//! Keep-alive: a comment frame after an idle interval, so that proxies and load balancers do not
//! close a quiet connection and the server notices a client that went away.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use sse_codec::{ByteString, Frame};
use tokio::time::{Instant, Sleep};

/// The keep-alive interval used unless configured otherwise.
pub const DEFAULT_KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(15);

/// How a stream keeps an idle connection alive.
///
/// After `interval` without any frame, the stream sends a comment (`:text`), which every
/// receiver ignores. Any frame restarts the interval, so a busy stream carries no keep-alives.
/// The default is an empty comment (`:` and a line end, two bytes) every 15 seconds.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sse_server::KeepAlive;
///
/// let custom = KeepAlive::new().interval(Duration::from_secs(30)).text("ping");
/// assert_eq!(custom.get_interval(), Some(Duration::from_secs(30)));
/// assert_eq!(KeepAlive::disabled().get_interval(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeepAlive {
    /// `None` when disabled.
    interval: Option<Duration>,
    comment: Bytes,
}

impl KeepAlive {
    /// An empty comment every [`DEFAULT_KEEP_ALIVE_INTERVAL`] (15 seconds).
    pub fn new() -> Self {
        KeepAlive {
            interval: Some(DEFAULT_KEEP_ALIVE_INTERVAL),
            comment: Frame::comment("").to_bytes(),
        }
    }

    /// No keep-alive frames at all.
    pub fn disabled() -> Self {
        KeepAlive {
            interval: None,
            ..KeepAlive::new()
        }
    }

    /// Sets how long the stream may stay silent before a keep-alive is sent (and enables
    /// keep-alive if it was disabled).
    ///
    /// # Panics
    ///
    /// Panics if `interval` is zero, which would send keep-alives in a busy loop.
    #[must_use]
    #[track_caller]
    pub fn interval(mut self, interval: Duration) -> Self {
        assert!(!interval.is_zero(), "keep-alive interval must be non-zero");
        self.interval = Some(interval);
        self
    }

    /// Sets the comment text. Line breaks in it are written as several comment lines, so it
    /// cannot inject a field.
    #[must_use]
    pub fn text(mut self, text: impl Into<ByteString>) -> Self {
        self.comment = Frame::comment(text).to_bytes();
        self
    }

    /// The interval, or `None` if keep-alive is disabled.
    pub fn get_interval(&self) -> Option<Duration> {
        self.interval
    }

    /// The encoded keep-alive frame.
    pub fn frame(&self) -> &Bytes {
        &self.comment
    }

    pub(crate) fn timer(&self) -> Option<KeepAliveTimer> {
        self.interval.map(|interval| KeepAliveTimer {
            interval,
            comment: self.comment.clone(),
            sleep: None,
        })
    }
}

impl Default for KeepAlive {
    fn default() -> Self {
        KeepAlive::new()
    }
}

/// The running timer of one stream.
#[derive(Debug)]
pub(crate) struct KeepAliveTimer {
    interval: Duration,
    comment: Bytes,
    /// Created on the first poll rather than with the stream: a timer needs the tokio runtime,
    /// and the idle interval should count from when the response starts, not from when the
    /// handler built it.
    sleep: Option<Pin<Box<Sleep>>>,
}

impl KeepAliveTimer {
    /// Restarts the idle interval: a frame was just sent.
    pub(crate) fn reset(&mut self) {
        let deadline = Instant::now() + self.interval;
        match &mut self.sleep {
            Some(sleep) => sleep.as_mut().reset(deadline),
            None => self.sleep = Some(Box::pin(tokio::time::sleep_until(deadline))),
        }
    }

    /// The keep-alive frame once the stream has been idle for the interval.
    pub(crate) fn poll_due(&mut self, cx: &mut Context<'_>) -> Poll<Bytes> {
        let interval = self.interval;
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(interval)));
        if sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        self.reset();
        Poll::Ready(self.comment.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_an_empty_comment_every_15_seconds() {
        let keep_alive = KeepAlive::default();
        assert_eq!(keep_alive.get_interval(), Some(Duration::from_secs(15)));
        assert_eq!(&keep_alive.frame()[..], b":\n");
    }

    #[test]
    fn text_with_line_breaks_stays_comments() {
        let keep_alive = KeepAlive::new().text("a\ndata: forged");
        assert_eq!(&keep_alive.frame()[..], b":a\n:data: forged\n");
    }

    #[test]
    fn setting_an_interval_enables_a_disabled_keep_alive() {
        let keep_alive = KeepAlive::disabled().interval(Duration::from_secs(1));
        assert_eq!(keep_alive.get_interval(), Some(Duration::from_secs(1)));
    }

    #[test]
    #[should_panic(expected = "non-zero")]
    fn zero_interval_is_refused() {
        let _ = KeepAlive::new().interval(Duration::ZERO);
    }
}
