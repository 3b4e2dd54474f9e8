//! A listener whose connections drop a client that stopped reading.

use std::io;
use std::time::Duration;

use axum::serve::Listener;
use sse_server::{Shutdown, WriteTimeout};

/// An `axum::serve` [`Listener`] whose connections fail their writes once blocked for longer
/// than a timeout ([`WriteTimeout`]), so a client that stops reading is dropped.
///
/// hyper stops polling a response body while the socket is full, so nothing in the body (its
/// keep-alive timer, [`Shutdown`](crate::Shutdown), [`Hub::close_with`](crate::Hub::close_with))
/// runs again for a client that stopped reading, and `with_graceful_shutdown` would wait for
/// it forever. With this listener such a connection ends at most `timeout` after its writes
/// blocked, so graceful shutdown ends at most `timeout` after the signal, every healthy client
/// having got its last frame. A client that reads slowly but keeps reading is never cut.
///
/// # Examples
///
/// ```no_run
/// use axum::Router;
/// use sse_axum::{DEFAULT_WRITE_TIMEOUT, WriteTimeoutListener};
///
/// # async fn run(app: Router) -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT), app).await
/// # }
/// ```
#[derive(Debug)]
pub struct WriteTimeoutListener<L> {
    inner: L,
    timeout: Duration,
    shutdown_deadline: Option<(Shutdown, Duration)>,
}

impl<L> WriteTimeoutListener<L> {
    /// Wraps `inner`: writes on its connections fail once blocked for longer than `timeout`.
    pub fn new(inner: L, timeout: Duration) -> Self {
        WriteTimeoutListener {
            inner,
            timeout,
            shutdown_deadline: None,
        }
    }

    /// Also drops every connection still open `grace` after `shutdown` was triggered
    /// ([`WriteTimeout::drop_after_shutdown`]), so `with_graceful_shutdown` ends even when an
    /// HTTP/2 client stalls one stream by flow control, which the write timeout cannot see.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use axum::Router;
    /// use sse_axum::{DEFAULT_WRITE_TIMEOUT, Shutdown, WriteTimeoutListener};
    ///
    /// # async fn run(app: Router) -> std::io::Result<()> {
    /// let shutdown = Shutdown::new(); // give it to every `Sse` response
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    /// let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT)
    ///     .drop_after_shutdown(&shutdown, DEFAULT_WRITE_TIMEOUT);
    /// let signal = {
    ///     let shutdown = shutdown.clone();
    ///     async move {
    ///         let _ = tokio::signal::ctrl_c().await;
    ///         shutdown.trigger();
    ///     }
    /// };
    /// axum::serve(listener, app).with_graceful_shutdown(signal).await
    /// # }
    /// ```
    #[must_use]
    pub fn drop_after_shutdown(mut self, shutdown: &Shutdown, grace: Duration) -> Self {
        self.shutdown_deadline = Some((shutdown.clone(), grace));
        self
    }
}

impl<L: Listener> Listener for WriteTimeoutListener<L> {
    type Io = WriteTimeout<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = self.inner.accept().await;
        let io = WriteTimeout::new(io, self.timeout);
        let io = match &self.shutdown_deadline {
            Some((shutdown, grace)) => io.drop_after_shutdown(shutdown, *grace),
            None => io,
        };
        (io, addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}
