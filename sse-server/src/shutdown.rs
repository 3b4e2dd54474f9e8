//! Shutdown: one handle that ends every stream created with it, so that a server's graceful
//! shutdown is not held open by clients that would otherwise listen forever.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

use crate::frame::IntoFrame;

/// A handle that ends every stream it was given to.
///
/// Clone it freely: all clones trigger and observe the same shutdown. Once triggered, each
/// stream sends the optional last frame and then ends, after the frame it is sending (never in
/// the middle of one); a stream created after the trigger ends at once. An HTTP server waiting
/// for its connections to finish (a graceful shutdown) can then complete.
///
/// # Examples
///
/// ```
/// use sse_codec::Event;
/// use sse_server::Shutdown;
///
/// let shutdown = Shutdown::new();
/// let for_the_server = shutdown.triggered(); // e.g. a graceful-shutdown signal
/// assert!(!shutdown.is_triggered());
/// shutdown.trigger_with(Event::new("restarting").with_event_type("bye"));
/// assert!(shutdown.is_triggered());
/// # drop(for_the_server);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Shutdown {
    token: CancellationToken,
    last_frame: Arc<OnceLock<Bytes>>,
}

impl Shutdown {
    /// A handle that has not been triggered.
    pub fn new() -> Self {
        Shutdown::default()
    }

    /// Ends every stream created with this handle.
    pub fn trigger(&self) {
        self.token.cancel();
    }

    /// Ends every stream created with this handle, each after sending `last_frame` (for
    /// example an event telling the page to reconnect later).
    ///
    /// Only the first trigger counts: a last frame given after the handle was triggered is not
    /// sent.
    pub fn trigger_with(&self, last_frame: impl IntoFrame) {
        if !self.token.is_cancelled() {
            // Set before cancelling, so that every stream that sees the trigger sees the frame.
            let _ = self.last_frame.set(last_frame.into_frame());
        }
        self.token.cancel();
    }

    /// Whether the handle was triggered.
    pub fn is_triggered(&self) -> bool {
        self.token.is_cancelled()
    }

    /// A future that completes when the handle is triggered; `'static`, so it can be handed to
    /// a server as its graceful-shutdown signal.
    pub fn triggered(&self) -> impl Future<Output = ()> + Send + 'static {
        self.cancelled_owned()
    }

    /// The trigger as a future the connection-level watchers own.
    pub(crate) fn cancelled_owned(&self) -> WaitForCancellationFutureOwned {
        self.token.clone().cancelled_owned()
    }

    pub(crate) fn watch(&self) -> ShutdownWatch {
        ShutdownWatch {
            triggered: Box::pin(self.cancelled_owned()),
            last_frame: Arc::clone(&self.last_frame),
        }
    }
}

/// One stream's view of a [`Shutdown`].
#[derive(Debug)]
pub(crate) struct ShutdownWatch {
    triggered: Pin<Box<WaitForCancellationFutureOwned>>,
    last_frame: Arc<OnceLock<Bytes>>,
}

impl ShutdownWatch {
    /// Ready once triggered, with the last frame to send, if any.
    pub(crate) fn poll_triggered(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        self.triggered
            .as_mut()
            .poll(cx)
            .map(|()| self.last_frame.get().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sse_codec::Frame;

    #[tokio::test]
    async fn triggered_future_completes_on_trigger_from_any_clone() {
        let shutdown = Shutdown::new();
        let signal = tokio::spawn(shutdown.triggered());
        tokio::task::yield_now().await;
        assert!(!signal.is_finished());
        shutdown.clone().trigger();
        signal.await.unwrap();
        assert!(shutdown.is_triggered());
    }

    #[tokio::test]
    async fn watch_sees_the_last_frame_of_the_first_trigger_only() {
        let shutdown = Shutdown::new();
        let mut watch = shutdown.watch();
        shutdown.trigger_with(Frame::comment("first"));
        shutdown.trigger_with(Frame::comment("second"));
        let last = std::future::poll_fn(|cx| watch.poll_triggered(cx)).await;
        assert_eq!(last.as_deref(), Some(&b":first\n"[..]));
    }

    #[tokio::test]
    async fn a_later_last_frame_is_ignored_after_a_plain_trigger() {
        let shutdown = Shutdown::new();
        shutdown.trigger();
        shutdown.trigger_with(Frame::comment("late"));
        let last = std::future::poll_fn(|cx| shutdown.watch().poll_triggered(cx)).await;
        assert_eq!(last, None);
    }
}
