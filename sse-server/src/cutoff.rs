//! The end of a graceful shutdown's patience: a connection still open some time after a
//! [`Shutdown`] was triggered is dropped.
//!
//! The write timeout releases a client whose socket stopped taking bytes, but over HTTP/2 a
//! client can stall one stream without stalling the socket: it stops granting that stream
//! flow-control credit (`WINDOW_UPDATE`) while the connection's other streams flow. The
//! server's send loop then waits for credit without polling the stream's body, so the stream
//! never sees the shutdown and the server's graceful shutdown, which waits for every stream,
//! would never end. The connection's own reads are still polled, so that is where the deadline
//! sits: once it has passed, every read and write on the connection fails and the server drops
//! the connection with all its streams.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Sleep;
use tokio_util::sync::WaitForCancellationFutureOwned;

use crate::Shutdown;

/// One connection's view of a shutdown deadline: ready once `grace` has passed since the
/// [`Shutdown`] was triggered (as this connection first saw it).
#[derive(Debug)]
pub(crate) struct Cutoff {
    triggered: Pin<Box<WaitForCancellationFutureOwned>>,
    grace: Duration,
    /// Armed when the trigger is seen.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl Cutoff {
    pub(crate) fn new(shutdown: &Shutdown, grace: Duration) -> Self {
        Cutoff {
            triggered: Box::pin(shutdown.cancelled_owned()),
            grace,
            deadline: None,
        }
    }

    /// `Ready` once the deadline has passed; otherwise `Pending`, with `cx` woken when it
    /// passes.
    pub(crate) fn poll_passed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.deadline.is_none() {
            std::task::ready!(self.triggered.as_mut().poll(cx));
            self.deadline = Some(Box::pin(tokio::time::sleep(self.grace)));
        }
        self.deadline
            .as_mut()
            .map_or(Poll::Pending, |d| d.as_mut().poll(cx))
    }

    pub(crate) fn grace(&self) -> Duration {
        self.grace
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn passes_grace_after_the_trigger_and_not_before() {
        let shutdown = Shutdown::new();
        let mut cutoff = Cutoff::new(&shutdown, Duration::from_secs(3));
        let waiting = tokio::time::timeout(
            Duration::from_secs(60),
            poll_fn(|cx| cutoff.poll_passed(cx)),
        );
        let trigger = async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            shutdown.trigger();
            Instant::now()
        };
        let (passed, triggered_at) = tokio::join!(waiting, trigger);
        passed.expect("the deadline passed");
        assert_eq!(triggered_at.elapsed(), Duration::from_secs(3));
    }
}
