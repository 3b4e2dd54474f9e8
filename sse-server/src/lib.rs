//! The server side of Server-Sent Events, shared by every framework adapter.
//!
//! A handler produces a stream of events; this crate turns it into the stream of encoded frames
//! that becomes the `text/event-stream` response body ([`FrameStream`]), adding what every SSE
//! endpoint needs and no framework provides:
//!
//! - **Keep-alive** ([`KeepAlive`]): a comment after an idle interval (15 seconds by default),
//!   restarted by every frame, so a busy stream carries no pings.
//! - **Reconnection time**: an optional `retry` frame at the start.
//! - **Resume** ([`ResumeFrom`], [`LastEventIdQuery`]): the `Last-Event-ID` a reconnecting
//!   client sends, from the header or, opted in, from a query parameter, read by one function
//!   that every adapter's extractor calls.
//! - **Shutdown** ([`Shutdown`]): one handle ends every stream, so a graceful server shutdown is
//!   not held open by connected clients.
//! - **Broadcast** ([`Hub`]): encode each event once, fan it out to every subscriber, replay
//!   what a reconnecting client missed, with a bounded memory and a defined policy for laggards.
//!   Its history is a seam ([`History`]): the replay ring alone by default, or a log shared by
//!   several server processes (the `sse-redis` crate) behind the same API.
//! - **Errors**: a source may yield `Result`s; an error ends the response cleanly after the last
//!   complete frame and is logged with `tracing`.
//!
//! The source may yield [`Event`](sse_codec::Event)s, [`Frame`](sse_codec::Frame)s, pre-encoded
//! frames as [`Bytes`](bytes::Bytes) (encode once, send to every connection), any type of yours
//! that implements [`IntoFrame`], or `Result`s of any of these.
//!
//! Nothing here depends on a web framework: the output is a `Stream` of `Bytes`, which each
//! adapter (`sse-axum`, ...) hands to its framework's streaming body.
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//! use futures_util::{StreamExt, stream};
//! use sse_codec::Event;
//! use sse_server::{FrameStream, KeepAlive, Shutdown};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let shutdown = Shutdown::new();
//! let prices = stream::iter([101.5, 101.7]).map(|price| {
//!     Event::new(price.to_string()).with_event_type("price")
//! });
//! let mut body = FrameStream::new(prices.chain(stream::pending()))
//!     .retry(Duration::from_secs(5))
//!     .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
//!     .shutdown(&shutdown);
//!
//! assert_eq!(body.next().await.unwrap().unwrap(), "retry: 5000\n");
//! assert_eq!(body.next().await.unwrap().unwrap(), "event: price\ndata: 101.5\n\n");
//! assert_eq!(body.next().await.unwrap().unwrap(), "event: price\ndata: 101.7\n\n");
//! shutdown.trigger();
//! assert!(body.next().await.is_none());
//! # }
//! ```

mod cutoff;
mod frame;
mod headers;
mod hub;
mod keep_alive;
mod last_event_id;
mod shutdown;
mod stream;
mod write_timeout;

pub use crate::frame::{IntoFrame, TryIntoFrame};
pub use crate::headers::RESPONSE_HEADERS;
pub use crate::hub::{
    Channel, History, Hub, HubConfig, HubConfigError, HubStats, IdError, IdScheme, LagPolicy,
    MAX_EVENT_ID_LEN, PublishError, Replay, ReplaySender, RingOnly, Subscription, TooManyChannels,
};
pub use crate::keep_alive::{DEFAULT_KEEP_ALIVE_INTERVAL, KeepAlive};
pub use crate::last_event_id::{LAST_EVENT_ID_HEADER, LastEventIdQuery, ResumeFrom};
pub use crate::shutdown::Shutdown;
pub use crate::stream::FrameStream;
pub use crate::write_timeout::{DEFAULT_WRITE_TIMEOUT, WriteTimeout};
