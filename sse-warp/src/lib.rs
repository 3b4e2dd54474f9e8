//! Server-Sent Events for warp, in warp's idiom: a [`reply`] function and a [`last_event_id`]
//! filter.
//!
//! ```
//! use std::time::Duration;
//! use futures_util::{Stream, StreamExt};
//! use sse_warp::{Event, KeepAlive, ResumeFrom};
//! use warp::Filter;
//!
//! /// One tick a second, numbered on from where a reconnecting client left off.
//! fn ticks(from: ResumeFrom) -> impl Stream<Item = Event> + Send + 'static {
//!     // The header is the client's word, any value at all: go on after a number that can be
//!     // followed, start over at 1 otherwise (never `n + 1` on what the client sent).
//!     let first = from.id().and_then(|id| id.parse::<u64>().ok()).and_then(|n| n.checked_add(1));
//!     let numbers = futures_util::stream::iter(first.unwrap_or(1)..=u64::MAX);
//!     let timer = tokio::time::interval(Duration::from_secs(1));
//!     let ticks = futures_util::stream::unfold(timer, |mut timer| async {
//!         timer.tick().await;
//!         Some(((), timer))
//!     });
//!     numbers.zip(ticks).map(|(n, ())| {
//!         Event::new(n.to_string()).with_event_type("tick").with_id(n.to_string())
//!     })
//! }
//!
//! let routes = warp::path("ticks")
//!     .and(warp::get())
//!     .and(sse_warp::last_event_id())
//!     .map(|from| {
//!         sse_warp::reply(ticks(from))
//!             .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
//!     });
//! ```
//!
//! What the reply does, all of it shared with the other adapters through `sse-server`:
//!
//! - Headers `Content-Type: text/event-stream`, `Cache-Control: no-cache, no-transform`,
//!   `X-Accel-Buffering: no`; each frame is sent as soon as your stream yields it.
//! - Every event is encoded by `sse-codec`: `event` and `id` values with a line break cannot be
//!   built (the `try_*` constructors return a [`FieldError`]), and data is split into `data:`
//!   lines on CR, LF and CRLF, so no value can add a field to the stream.
//! - Keep-alive comments after an idle interval ([`KeepAlive`], 15 seconds by default), never
//!   while events flow.
//! - An optional initial `retry` ([`Sse::retry`]).
//! - Resume: the [`last_event_id`] filter (header), or [`last_event_id_or_query`] (header, then
//!   a query parameter). Neither ever rejects.
//! - Graceful shutdown: give every reply the same [`Shutdown`] handle and pass
//!   `shutdown.triggered()` (or a signal that triggers it) to warp's `.graceful(...)`; every
//!   stream ends and the server can stop while clients are connected:
//!
//! ```no_run
//! use futures_util::stream;
//! use sse_warp::{Event, Shutdown};
//! use warp::Filter;
//!
//! # #[tokio::main] async fn main() {
//! let shutdown = Shutdown::new();
//! let events = warp::path("events").map({
//!     let shutdown = shutdown.clone();
//!     move || sse_warp::reply(stream::pending::<Event>()).shutdown(&shutdown)
//! });
//! warp::serve(events)
//!     .bind(([127, 0, 0, 1], 3000))
//!     .await
//!     .graceful(async move {
//!         tokio::signal::ctrl_c().await.ok();
//!         shutdown.trigger_with(Event::new("restarting").with_event_type("bye"));
//!     })
//!     .run()
//!     .await;
//! # }
//! ```
//!
//! - A client that stops reading: hyper stops polling a body whose socket is full, so nothing
//!   in the reply runs again for it, and warp's own server holds it (and its `graceful`
//!   shutdown) forever. [`serve`] serves `warp::service(routes)` with each connection under a
//!   write timeout ([`DEFAULT_WRITE_TIMEOUT`], 30 seconds): such a client is dropped, and the
//!   shutdown ends at most that long after its signal.
//! - Errors: a stream of `Result`s ends the response cleanly at its first `Err` (logged with
//!   `tracing`), after the last complete frame.
//! - When the client goes away, your stream is dropped.
//! - Broadcast: a [`Hub`] encodes each event once for every client and replays what a
//!   reconnecting client missed; serving a subscription is one filter:
//!
//! ```
//! use sse_warp::{Hub, ResumeFrom};
//! use warp::Filter;
//!
//! let hub = Hub::new();
//! let events = warp::path("events")
//!     .and(sse_warp::last_event_id())
//!     .map(move |from: ResumeFrom| sse_warp::reply(hub.subscribe(from)));
//! ```
//!
//! Compression: warp's gzip filter (`warp::compression::gzip()`, or
//! `warp::filters::compression::gzip()` with only warp's `compression-gzip` feature) compresses
//! every reply it wraps, event streams included. It does not hold events back: its encoder
//! flushes whenever the stream waits for its next event (tested over a real connection), at the
//! cost of a gzip flush per burst of events. To leave event streams uncompressed, wrap only the
//! other routes with it (also tested).
//!
//! HTTP/2: a browser opens at most six HTTP/1.1 connections to one origin, so a seventh
//! `EventSource` never opens; over HTTP/2 they all share one connection. [`serve`] speaks
//! HTTP/2 with prior knowledge as well as HTTP/1.1 on one port, and [`serve_tls`] (feature
//! `tls`, on by default) serves HTTPS with HTTP/2 or HTTP/1.1 by ALPN, each with the same write
//! timeout and graceful shutdown. The reply carries no connection-specific header, so it is a
//! valid HTTP/2 response as it is (tested, with a certificate made at run time).
//!
//! # Crate features
//!
//! - `json`: `Event::json` and `Event::parse_json`, event data from and to `serde` types.
//! - `tls` (default): [`serve_tls`], HTTPS through tokio-rustls, with HTTP/2 by ALPN.

mod last_event_id;
mod reply;
mod serve;
#[cfg(feature = "tls")]
mod tls;

pub use sse_codec::{ByteString, Event, FieldError, Frame};
pub use sse_server::{
    Channel, DEFAULT_WRITE_TIMEOUT, Hub, HubConfig, HubConfigError, HubStats, IdError, IdScheme,
    IntoFrame, KeepAlive, LagPolicy, LastEventIdQuery, PublishError, ResumeFrom, Shutdown,
    Subscription, TooManyChannels, TryIntoFrame, WriteTimeout,
};

pub use crate::last_event_id::{last_event_id, last_event_id_or_query};
pub use crate::reply::{Sse, reply};
pub use crate::serve::serve;
#[cfg(feature = "tls")]
pub use crate::tls::{HANDSHAKE_TIMEOUT, serve_tls};
