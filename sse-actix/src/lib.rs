//! Server-Sent Events for actix-web, in one line: return [`Sse`] from a handler.
//!
//! ```
//! use std::time::Duration;
//! use actix_web::{App, get};
//! use futures_util::{Stream, StreamExt};
//! use sse_actix::{Event, KeepAlive, LastEventId, Sse};
//!
//! #[get("/ticks")]
//! async fn ticks(LastEventId(from): LastEventId) -> Sse<impl Stream<Item = Event>> {
//!     // The header is the client's word, any value at all: go on after a number that can be
//!     // followed, start over at 1 otherwise (never `n + 1` on what the client sent).
//!     let first = from.id().and_then(|id| id.parse::<u64>().ok()).and_then(|n| n.checked_add(1));
//!     let numbers = futures_util::stream::iter(first.unwrap_or(1)..=u64::MAX);
//!     let timer = actix_web::rt::time::interval(Duration::from_secs(1));
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
//! let app = App::new().service(ticks);
//! # drop(app);
//! ```
//!
//! What the response does, all of it shared with the other adapters through `sse-server`:
//!
//! - Headers `Content-Type: text/event-stream`, `Cache-Control: no-cache, no-transform`,
//!   `X-Accel-Buffering: no`; each frame is sent as soon as your stream yields it, behind the
//!   `Compress` middleware too (see [`Sse`]).
//! - Keep-alive comments after an idle interval ([`KeepAlive`], 15 seconds by default), never
//!   while events flow.
//! - An optional initial `retry` ([`Sse::retry`]).
//! - Resume: the [`LastEventId`] extractor (header, or a query parameter opted in with
//!   `app_data`).
//! - Graceful shutdown: see below.
//! - Errors: a stream of `Result`s ends the response cleanly at its first `Err` (logged with
//!   `tracing`), after the last complete frame.
//! - When the client goes away, your stream is dropped: see below for the server setting that
//!   makes this immediate.
//!
//! - Broadcast: a [`Hub`] encodes each event once for every client and replays what a
//!   reconnecting client missed; serving a subscription is one line:
//!
//! ```
//! use actix_web::{App, get, web};
//! use sse_actix::{Hub, LastEventId, Sse, Subscription};
//!
//! #[get("/events")]
//! async fn events(hub: web::Data<Hub>, LastEventId(from): LastEventId) -> Sse<Subscription> {
//!     Sse::new(hub.subscribe(from))
//! }
//!
//! let app = App::new().app_data(web::Data::new(Hub::new())).service(events);
//! # drop(app);
//! ```
//!
//! # Disconnected clients
//!
//! By default actix-web allows half-closed HTTP/1 connections: when a client closes its side,
//! the server keeps the response going until a write fails, so an idle stream is found out
//! only by its keep-alive comments (on the second one after the client left). Event streams
//! have no use for half-closed connections; turn them off and your stream is dropped as soon as
//! the client goes (within a millisecond on loopback):
//!
//! ```no_run
//! # use actix_web::{App, HttpServer};
//! # async fn run() -> std::io::Result<()> {
//! HttpServer::new(|| App::new())
//!     .h1_allow_half_closed(false)
//!     .bind(("127.0.0.1", 8080))?
//!     .run()
//!     .await
//! # }
//! ```
//!
//! # Clients that stop reading
//!
//! actix-web stops polling a response body while the socket cannot take more bytes, and none of
//! its timeouts (`keep_alive`, `client_request_timeout`, `client_disconnect_timeout`) runs
//! during a response: a client that stops reading holds its connection and its stream for as
//! long as it keeps acknowledging the kernel's zero-window probes (tested). Give `HttpServer`
//! the [`write_timeout`] callback in `on_connect` and such a connection is dropped once its
//! writes have been blocked for the timeout ([`DEFAULT_WRITE_TIMEOUT`], 30 seconds, is a sound
//! choice). It is the kernel's `TCP_USER_TIMEOUT`, so Linux (and Android, Fuchsia) only, on
//! plain TCP; elsewhere the connection is served without it and a warning is logged.
//!
//! ```no_run
//! # use actix_web::{App, HttpServer};
//! use sse_actix::DEFAULT_WRITE_TIMEOUT;
//! # async fn run() -> std::io::Result<()> {
//! HttpServer::new(|| App::new())
//!     .on_connect(sse_actix::write_timeout(DEFAULT_WRITE_TIMEOUT))
//!     .bind(("127.0.0.1", 8080))?
//!     .run()
//!     .await
//! # }
//! ```
//!
//! # HTTP/2
//!
//! A browser opens at most six HTTP/1.1 connections to one origin, so a page's (or a user's
//! tabs') seventh `EventSource` never opens; over HTTP/2 they all share one connection. With
//! actix-web's `http2` and `rustls-0_23` features, `HttpServer::bind_rustls_0_23` serves TLS and
//! adds ALPN `h2` and `http/1.1` to your rustls `ServerConfig` itself; `bind_auto_h2c` serves
//! cleartext HTTP/1.1 and HTTP/2 with prior knowledge on one port. `Sse` needs nothing more:
//! actix-web writes no connection-specific header on an HTTP/2 response (tested, with a
//! certificate made at run time).
//!
//! One difference: actix-web's HTTP/2 dispatcher waits on the response body alone, and learns
//! that a client cancelled its stream (`RST_STREAM`, what closing an `EventSource` sends) only
//! when it next writes to it. A silent stream is thus released at its next keep-alive comment
//! at the latest (15 seconds by default), not at once as over HTTP/1.1.
//!
//! ```no_run
//! # use actix_web::{App, HttpServer};
//! # async fn run(config: rustls::ServerConfig) -> std::io::Result<()> {
//! // `config`: your certificate and key (actix-web adds the ALPN protocols).
//! HttpServer::new(|| App::new())
//!     .bind_rustls_0_23(("127.0.0.1", 8443), config)?
//!     .run()
//!     .await
//! # }
//! ```
//!
//! # Graceful shutdown
//!
//! `ServerHandle::stop(true)` waits for open connections, and an event stream stays open as
//! long as its client listens, so the server would wait for its whole shutdown timeout (30
//! seconds by default). Give every response the same [`Shutdown`] handle (or serve a
//! [`Hub`] and call [`Hub::close_with`]), and trigger it before stopping the server: every
//! stream ends (after an optional last frame), and the server stops as soon as every client has
//! taken it. A client that cannot take it is dropped by the write timeout; actix-web's
//! `shutdown_timeout` (which drops the workers, and their connections, at its deadline) is what
//! bounds the stop where the write timeout is not available (tested: with 100 stalled and 900
//! healthy readers, each bounds it).
//!
//! ```no_run
//! use actix_web::{App, HttpServer, get, web};
//! use futures_util::{Stream, stream};
//! use sse_actix::{Event, Shutdown, Sse};
//!
//! #[get("/events")]
//! async fn events(shutdown: web::Data<Shutdown>) -> Sse<impl Stream<Item = Event>> {
//!     Sse::new(stream::pending()).shutdown(&shutdown)
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     let shutdown = Shutdown::new();
//!     let data = web::Data::new(shutdown.clone());
//!     let server = HttpServer::new(move || App::new().app_data(data.clone()).service(events))
//!         // Signals are handled below, so that the streams end before the server stops.
//!         .disable_signals()
//!         .h1_allow_half_closed(false)
//!         .on_connect(sse_actix::write_timeout(sse_actix::DEFAULT_WRITE_TIMEOUT))
//!         .bind(("127.0.0.1", 8080))?
//!         .run();
//!     let handle = server.handle();
//!     actix_web::rt::spawn(async move {
//!         let _ = tokio::signal::ctrl_c().await;
//!         shutdown.trigger_with(Event::new("restarting").with_event_type("bye"));
//!         handle.stop(true).await;
//!     });
//!     server.await
//! }
//! ```
//!
//! # Crate features
//!
//! - `json`: `Event::json` and `Event::parse_json`, event data from and to `serde` types.
//! - `rustls-0_23`: [`write_timeout`] also sets the timeout on the connections of
//!   `HttpServer::bind_rustls_0_23` and `listen_rustls_0_23` (it enables actix-web's feature of
//!   the same name).

mod last_event_id;
mod response;
mod write_timeout;

pub use sse_codec::{ByteString, Event, FieldError, Frame};
pub use sse_server::{
    Channel, DEFAULT_WRITE_TIMEOUT, Hub, HubConfig, HubConfigError, HubStats, IdError, IdScheme,
    IntoFrame, KeepAlive, LagPolicy, LastEventIdQuery, PublishError, ResumeFrom, Shutdown,
    Subscription, TooManyChannels, TryIntoFrame,
};

pub use crate::last_event_id::LastEventId;
pub use crate::response::Sse;
pub use crate::write_timeout::{set_write_timeout, write_timeout};
