//! A write timeout for actix-web's `HttpServer`, set on each connection through `on_connect`.
//!
//! actix-web has no timeout on a blocked write: `keep_alive` runs between requests,
//! `client_request_timeout` bounds the request head and `client_disconnect_timeout` the close
//! after a response, so a client that stops reading an event stream holds its connection as
//! long as it keeps acknowledging zero-window probes (tested). `HttpServer` serves a socket it
//! owns and only lets the application look at it in `on_connect`, so the timer goes where the
//! bytes wait: the kernel's `TCP_USER_TIMEOUT`, which aborts a connection whose sent data has
//! stayed unacknowledged, or unsent behind a zero window, for longer than the timeout. The
//! connection then fails with `ETIMEDOUT`, actix-web drops it and with it the response's
//! stream. It works for every protocol `HttpServer` serves on that socket.

use std::any::Any;
use std::io;
use std::time::Duration;

use actix_web::dev::Extensions;
use actix_web::rt::net::TcpStream;

/// An `on_connect` callback for `HttpServer` that drops a client whose connection cannot take
/// more bytes for longer than `timeout`: see [`set_write_timeout`].
///
/// A connection it cannot configure (a TLS stream other than rustls 0.23's with the
/// `rustls-0_23` feature, a platform without `TCP_USER_TIMEOUT`) is served without the timeout,
/// and a warning is logged with `tracing`.
///
/// # Examples
///
/// ```no_run
/// use actix_web::{App, HttpServer};
/// use sse_actix::DEFAULT_WRITE_TIMEOUT;
///
/// # async fn run() -> std::io::Result<()> {
/// HttpServer::new(|| App::new())
///     .on_connect(sse_actix::write_timeout(DEFAULT_WRITE_TIMEOUT))
///     .bind(("127.0.0.1", 8080))?
///     .run()
///     .await
/// # }
/// ```
pub fn write_timeout(timeout: Duration) -> impl Fn(&dyn Any, &mut Extensions) + Send + Sync {
    move |connection, _| {
        if let Err(error) = set_write_timeout(connection, timeout) {
            tracing::warn!("connection served without a write timeout: {error}");
        }
    }
}

/// Makes the connection `on_connect` was given fail once its writes have been blocked for
/// longer than `timeout`, for use in your own `on_connect` callback.
///
/// This is Linux's `TCP_USER_TIMEOUT` (and Android's, Fuchsia's), which the kernel counts from
/// its first probe of the client's closed window, sent one retransmission timeout (200 ms at
/// least) after the window closed; a current kernel then aborts the connection `timeout` after
/// that probe (older ones only at a later probe, as the probes back off). So a stalled client
/// is dropped a little later than with the other adapters' write timeout: 0.8 to 1 s after
/// it connected, for 500 ms, on loopback (tested). A client that reads slowly but keeps
/// reading is never cut; a client that vanished without closing is dropped too.
///
/// # Errors
///
/// [`io::ErrorKind::Unsupported`] when `connection` is neither a plain TCP stream nor, with
/// the `rustls-0_23` feature, actix-tls's rustls 0.23 stream over one (what actix-web gives
/// `on_connect` for `bind_rustls_0_23`), or the platform has no `TCP_USER_TIMEOUT`; the error of
/// `setsockopt` otherwise.
pub fn set_write_timeout(connection: &dyn Any, timeout: Duration) -> io::Result<()> {
    let Some(stream) = tcp_stream_of(connection) else {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "the connection is not a TCP stream this crate can reach",
        ));
    };
    set_tcp_user_timeout(stream, timeout)
}

/// The TCP stream under what actix-web gave `on_connect`.
fn tcp_stream_of(connection: &dyn Any) -> Option<&TcpStream> {
    if let Some(stream) = connection.downcast_ref::<TcpStream>() {
        return Some(stream);
    }
    #[cfg(feature = "rustls-0_23")]
    if let Some(tls) =
        connection.downcast_ref::<actix_tls::accept::rustls_0_23::TlsStream<TcpStream>>()
    {
        return Some(tls.get_ref().0);
    }
    None
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "fuchsia"))]
fn set_tcp_user_timeout(stream: &TcpStream, timeout: Duration) -> io::Result<()> {
    socket2::SockRef::from(stream).set_tcp_user_timeout(Some(timeout))
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "fuchsia")))]
fn set_tcp_user_timeout(_: &TcpStream, _: Duration) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "this platform has no TCP_USER_TIMEOUT",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_that_is_not_a_tcp_stream_is_refused() {
        let error = set_write_timeout(&"not a stream", Duration::from_secs(1)).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::Unsupported);
    }

    #[cfg(target_os = "linux")]
    #[actix_web::test]
    async fn the_kernel_gets_the_timeout() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let stream = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        set_write_timeout(&stream, Duration::from_millis(1500)).unwrap();
        let set = socket2::SockRef::from(&stream).tcp_user_timeout().unwrap();
        assert_eq!(set, Some(Duration::from_millis(1500)));
    }
}
