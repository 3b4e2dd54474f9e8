//! Server-Sent Events for axum, in one line: return [`Sse`] from a handler.
//!
//! ```
//! use std::time::Duration;
//! use axum::{Router, routing::get};
//! use futures_util::{Stream, StreamExt};
//! use sse_axum::{Event, KeepAlive, LastEventId, Sse};
//!
//! async fn ticks(LastEventId(from): LastEventId) -> Sse<impl Stream<Item = Event>> {
//!     // The header is the client's word, any value at all: go on after a number that can be
//!     // followed, start over at 1 otherwise (never `n + 1` on what the client sent).
//!     let first = from.id().and_then(|id| id.parse::<u64>().ok()).and_then(|n| n.checked_add(1));
//!     let numbers = futures_util::stream::iter(first.unwrap_or(1)..=u64::MAX);
//!     let timer = tokio::time::interval(Duration::from_secs(1));
//!     let ticks = futures_util::stream::unfold(timer, |mut timer| async {
//!         timer.tick().await;
//!         Some(((), timer))
//!     });
//!     let events = numbers.zip(ticks).map(|(n, ())| {
//!         Event::new(n.to_string()).with_event_type("tick").with_id(n.to_string())
//!     });
//!     Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
//! }
//!
//! let app: Router = Router::new().route("/ticks", get(ticks));
//! ```
//!
//! What the response does, all of it shared with the other adapters through `sse-server`:
//!
//! - Headers `Content-Type: text/event-stream`, `Cache-Control: no-cache, no-transform`,
//!   `X-Accel-Buffering: no`; each frame is sent as soon as your stream yields it.
//! - Keep-alive comments after an idle interval ([`KeepAlive`], 15 seconds by default), never
//!   while events flow.
//! - An optional initial `retry` ([`Sse::retry`]).
//! - Resume: the [`LastEventId`] extractor (header, or opted-in query parameter).
//! - Graceful shutdown: give every response the same [`Shutdown`] handle and trigger it in the
//!   signal you pass to `axum::serve(...).with_graceful_shutdown(...)`; every stream ends and
//!   the server can stop while clients are connected.
//! - Errors: a stream of `Result`s ends the response cleanly at its first `Err` (logged with
//!   `tracing`), after the last complete frame.
//! - When the client goes away, your stream is dropped.
//! - A client that stops reading: hyper stops polling a body whose socket is full, so nothing
//!   in the response runs again for it. Serve through a [`WriteTimeoutListener`] and its
//!   connection is dropped once its writes have been blocked for the timeout
//!   ([`DEFAULT_WRITE_TIMEOUT`], 30 seconds, is a sound choice); graceful shutdown then ends at
//!   most that long after the signal, every other client having got its last frame.
//! - Broadcast: a [`Hub`] encodes each event once for every client and replays what a
//!   reconnecting client missed; serving a subscription is one line:
//!
//! ```
//! use axum::{Router, extract::State, routing::get};
//! use sse_axum::{Hub, LastEventId, Sse, Subscription};
//!
//! async fn events(State(hub): State<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
//!     Sse::new(hub.subscribe(from))
//! }
//!
//! let app: Router = Router::new().route("/events", get(events)).with_state(Hub::new());
//! ```
//!
//! Compression: tower-http's `CompressionLayer` with its default predicate leaves
//! `text/event-stream` uncompressed, so events are not held back. With a predicate that
//! compresses it anyway, the compressor still flushes whenever the stream waits for its next
//! event (both cases are tested over a real connection).
//!
//! HTTP/2: a browser opens at most six HTTP/1.1 connections to one origin, so a seventh
//! `EventSource` (a seventh tab of a dashboard) never opens; over HTTP/2 they all share one
//! connection. `axum::serve` (with axum's `http2` feature, a default one) speaks HTTP/2 to a
//! client that starts with it, cleartext with prior knowledge included, on any listener; for
//! HTTPS, serve through a [`TlsListener`] (feature `tls`, on by default) whose rustls config
//! offers `h2` and `http/1.1` by ALPN, around the [`WriteTimeoutListener`]. `Sse` sets no
//! connection-specific header, so it is a valid HTTP/2 response as it is (tested over TLS with
//! a certificate made at run time, and over prior knowledge).
//!
//! # Crate features
//!
//! - `json`: `Event::json` and `Event::parse_json`, event data from and to `serde` types.
//! - `tls` (default): [`TlsListener`], HTTPS for `axum::serve` through tokio-rustls, with
//!   HTTP/2 by ALPN.

mod last_event_id;
mod listener;
mod response;
#[cfg(feature = "tls")]
mod tls;

pub use sse_codec::{ByteString, Event, FieldError, Frame};
pub use sse_server::{
    Channel, DEFAULT_WRITE_TIMEOUT, Hub, HubConfig, HubConfigError, HubStats, IdError, IdScheme,
    IntoFrame, KeepAlive, LagPolicy, LastEventIdQuery, PublishError, ResumeFrom, Shutdown,
    Subscription, TooManyChannels, TryIntoFrame, WriteTimeout,
};

pub use crate::last_event_id::LastEventId;
pub use crate::listener::WriteTimeoutListener;
pub use crate::response::Sse;
#[cfg(feature = "tls")]
pub use crate::tls::{DEFAULT_HANDSHAKE_TIMEOUT, TlsListener};
