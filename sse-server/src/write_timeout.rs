//! A connection whose writes fail once they have been blocked for too long.
//!
//! An HTTP server stops polling a response body while the socket cannot take more bytes, so
//! nothing at the body level (keep-alive, [`Shutdown`](crate::Shutdown), a hub's close) runs
//! again for a client that stopped reading: the connection lives as long as the peer keeps
//! acknowledging zero-window probes, and a graceful shutdown waits for it forever. The one
//! place that still runs is the server's own write to the socket, so that is where the timer
//! sits: when a write, flush or shutdown has been pending for longer than the timeout, it
//! returns [`io::ErrorKind::TimedOut`] and the server drops the connection (and with it the
//! response's stream).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use crate::Shutdown;
use crate::cutoff::Cutoff;

/// The write timeout the adapters' examples use, and a sound default: a healthy client on a
/// slow mobile link drains a socket buffer in well under this, while a client that stopped
/// reading is released quickly enough not to hold a deploy.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// An I/O object whose writes fail with [`io::ErrorKind::TimedOut`] once they have been
/// blocked (returning `Pending`) for longer than a timeout.
///
/// The timer starts when a write, flush or shutdown first returns `Pending` and is cleared by
/// any write that makes progress, so a slow but moving client is never cut, however long its
/// stream lasts. Reads pass through untouched.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sse_server::WriteTimeout;
/// use tokio::io::AsyncWriteExt;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// // A peer that never reads: a duplex pipe with 4 bytes of room.
/// let (near, _far) = tokio::io::duplex(4);
/// let mut conn = WriteTimeout::new(near, Duration::from_millis(50));
/// conn.write_all(b"abcd").await.unwrap();
/// let blocked = conn.write_all(b"efgh").await.unwrap_err();
/// assert_eq!(blocked.kind(), std::io::ErrorKind::TimedOut);
/// # }
/// ```
#[derive(Debug)]
pub struct WriteTimeout<Io> {
    io: Io,
    timeout: Duration,
    /// Armed while a write is blocked; `Box` so that `WriteTimeout` is `Unpin` without `unsafe`.
    blocked_since: Option<Pin<Box<Sleep>>>,
    /// Set by [`drop_after_shutdown`](Self::drop_after_shutdown).
    cutoff: Option<Cutoff>,
}

impl<Io> WriteTimeout<Io> {
    /// Wraps `io`: its writes fail once blocked for longer than `timeout`.
    pub fn new(io: Io, timeout: Duration) -> Self {
        WriteTimeout {
            io,
            timeout,
            blocked_since: None,
            cutoff: None,
        }
    }

    /// Also fails every read and write on this connection once `grace` has passed since
    /// `shutdown` was triggered, so a graceful shutdown ends even when a stream is held by
    /// something the write timeout cannot see.
    ///
    /// Over HTTP/2 a client can stall one stream by granting it no more flow-control credit
    /// while the connection's other streams flow: the socket stays writable, so the write
    /// timeout never fires, and the server's send loop waits for credit without polling the
    /// stream, which never sees the shutdown. The server does keep reading the connection, so
    /// the deadline fires there, and the server drops the connection with all its streams.
    /// Give `grace` the time healthy clients need to take their last frame (the write timeout
    /// is a sound choice).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use sse_server::{Shutdown, WriteTimeout};
    /// use tokio::io::AsyncReadExt;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let shutdown = Shutdown::new();
    /// let (near, _far) = tokio::io::duplex(64);
    /// let mut conn = WriteTimeout::new(near, Duration::from_secs(30))
    ///     .drop_after_shutdown(&shutdown, Duration::from_millis(50));
    /// shutdown.trigger();
    /// // A read that would wait forever for the peer fails once the grace has passed.
    /// let cut = conn.read(&mut [0; 16]).await.unwrap_err();
    /// assert_eq!(cut.kind(), std::io::ErrorKind::ConnectionAborted);
    /// # }
    /// ```
    #[must_use]
    pub fn drop_after_shutdown(mut self, shutdown: &Shutdown, grace: Duration) -> Self {
        self.cutoff = Some(Cutoff::new(shutdown, grace));
        self
    }

    /// The wrapped I/O object.
    pub fn get_ref(&self) -> &Io {
        &self.io
    }

    /// The write timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Passes a write's outcome through; on `Pending`, arms the timer (once) and fails when it
    /// has run out.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        outcome: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if outcome.is_ready() {
            self.blocked_since = None;
            return outcome;
        }
        let timeout = self.timeout;
        let timer = self
            .blocked_since
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(Instant::now() + timeout)));
        ready!(timer.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("write blocked for longer than the write timeout ({timeout:?})"),
        )))
    }
}

impl<Io> WriteTimeout<Io> {
    /// The error every read and write returns once the shutdown deadline has passed, if it has.
    fn poll_cut(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        let cutoff = self.cutoff.as_mut()?;
        cutoff.poll_passed(cx).is_ready().then(|| {
            io::Error::new(
                io::ErrorKind::ConnectionAborted,
                format!(
                    "connection still open {:?} after the shutdown began",
                    cutoff.grace()
                ),
            )
        })
    }
}

impl<Io: AsyncRead + Unpin> AsyncRead for WriteTimeout<Io> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(cut) = self.poll_cut(cx) {
            return Poll::Ready(Err(cut));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<Io: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<Io> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(cut) = self.poll_cut(cx) {
            return Poll::Ready(Err(cut));
        }
        let outcome = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, outcome)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(cut) = self.poll_cut(cx) {
            return Poll::Ready(Err(cut));
        }
        let outcome = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, outcome)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(cut) = self.poll_cut(cx) {
            return Poll::Ready(Err(cut));
        }
        let outcome = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, outcome)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(cut) = self.poll_cut(cx) {
            return Poll::Ready(Err(cut));
        }
        let outcome = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test(start_paused = true)]
    async fn a_blocked_write_fails_after_the_timeout_and_not_before() {
        let (near, _far) = tokio::io::duplex(4);
        let mut conn = WriteTimeout::new(near, Duration::from_secs(5));
        conn.write_all(b"abcd").await.unwrap();
        let started = Instant::now();
        let err = conn.write_all(b"e").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_reader_that_keeps_reading_is_never_cut() {
        let (near, mut far) = tokio::io::duplex(4);
        let mut conn = WriteTimeout::new(near, Duration::from_secs(5));
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            let mut buf = [0; 4];
            loop {
                tokio::time::sleep(Duration::from_secs(3)).await;
                match far.read(&mut buf).await.unwrap() {
                    0 => return got,
                    n => got.extend_from_slice(&buf[..n]),
                }
            }
        });
        // Each write waits 3 s for room: longer than half the timeout, never the whole of it.
        conn.write_all(b"0123456789abcdef").await.unwrap();
        conn.shutdown().await.unwrap();
        drop(conn);
        assert_eq!(reader.await.unwrap(), b"0123456789abcdef");
    }

    #[tokio::test(start_paused = true)]
    async fn every_read_and_write_fails_once_the_grace_after_a_shutdown_has_passed() {
        let shutdown = Shutdown::new();
        let (near, mut far) = tokio::io::duplex(64);
        let mut conn = WriteTimeout::new(near, Duration::from_secs(60))
            .drop_after_shutdown(&shutdown, Duration::from_secs(2));
        conn.write_all(b"before").await.unwrap();
        let mut got = [0; 6];
        far.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"before");

        shutdown.trigger();
        let triggered = Instant::now();
        // Still open during the grace: healthy clients take their last frame then.
        conn.write_all(b"bye").await.unwrap();
        let err = conn.read(&mut [0; 4]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted);
        assert_eq!(triggered.elapsed(), Duration::from_secs(2));
        let err = conn.write_all(b"late").await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted);
        assert_eq!(
            conn.flush().await.unwrap_err().kind(),
            io::ErrorKind::ConnectionAborted
        );
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_shutdown_a_connection_is_never_cut() {
        let shutdown = Shutdown::new();
        let (near, mut far) = tokio::io::duplex(64);
        let mut conn = WriteTimeout::new(near, Duration::from_secs(60))
            .drop_after_shutdown(&shutdown, Duration::from_secs(2));
        tokio::time::sleep(Duration::from_secs(3600)).await;
        conn.write_all(b"still").await.unwrap();
        far.write_all(b"here").await.unwrap();
        let mut got = [0; 4];
        conn.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"here");
    }
}
