//! A reconnecting `EventSource` client for Rust programs, on `reqwest` and `sse-codec`.
//!
//! Most programs that touch Server-Sent Events consume them: LLM APIs, MCP servers over
//! Streamable HTTP, feature-flag and market-data feeds. A browser's `EventSource` does two
//! things for its page: it parses the stream, and it runs the connection lifecycle (which
//! responses open the stream and which stop it, when to reconnect, which last event ID to send).
//! `sse-codec` does the first exactly; this crate does the second, as the WHATWG HTML Living
//! Standard's `EventSource` algorithm says, plus what programs need that a page does not: an
//! idle timeout, an opt-in retry of 5xx and 429, backoff with jitter, limits on retrying, and a
//! one-shot mode.
//!
//! You pass your own `reqwest::Client` and request (method, URL, headers, body): TLS, proxies,
//! authentication and timeouts stay yours, and the request is sent again, identically, on every
//! reconnect. What comes back is a [`Stream`](futures_core::Stream) of [`Item`]s: the
//! connection opened (with the response's status and headers), an event, a comment, or an error
//! that says whether the client will retry ([`Outcome`]). Between items, the [`EventSource`]
//! tells its [`ReadyState`], last event ID, reconnection time and reconnect count. Dropping it
//! closes the connection.
//!
//! # Consuming an LLM stream
//!
//! A completion is one request whose body ends when the answer is complete: one-shot mode, so
//! that the end of the body ends the stream instead of asking again. OpenAI-style APIs end with
//! `data: [DONE]`, which [`until_done`] takes off.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use sse_client::{EventSource, Item, RetryPolicy, until_done};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = reqwest::Client::new();
//! let request = client
//!     .post("https://api.example.com/v1/chat/completions")
//!     .bearer_auth(std::env::var("API_KEY")?)
//!     .json(&serde_json::json!({"model": "m", "stream": true, "messages": []}));
//! let source = EventSource::builder(request)
//!     .retry_policy(RetryPolicy::OneShot)
//!     .build()?;
//! let mut items = until_done(source);
//! while let Some(item) = items.next().await {
//!     match item {
//!         Item::Event(event) => print!("{}", event.data()),
//!         Item::Error { error, .. } => return Err(error.into()),
//!         _ => {}
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! With the `json` feature, `event.parse_json::<Chunk>()` reads each event's data as any
//! `serde` type.
//!
//! # Following a live feed, with resume
//!
//! A feed is meant to be followed for days: reconnect on every network error and every end of
//! the body, with the last event ID so that the server sends exactly what was missed; notice a
//! connection that died silently; ride out a server restart behind a load balancer.
//!
//! ```no_run
//! use std::time::Duration;
//! use futures_util::StreamExt;
//! use sse_client::{Backoff, EventSource, Item, RetryPolicy};
//!
//! # async fn run(saved_id: Option<String>) -> Result<(), sse_client::BuildError> {
//! let client = reqwest::Client::new();
//! let mut builder = EventSource::builder(client.get("https://feed.example.com/prices"))
//!     .retry_policy(RetryPolicy::RetryServerErrors)
//!     .backoff(Backoff::exponential().max_delay(Duration::from_secs(60)))
//!     // The server sends a keep-alive comment every 15 s.
//!     .idle_timeout(Duration::from_secs(40));
//! if let Some(id) = saved_id {
//!     builder = builder.last_event_id(id);
//! }
//! let mut feed = builder.build()?;
//! while let Some(item) = feed.next().await {
//!     match item {
//!         Item::Open { status, .. } => eprintln!("connected ({status})"),
//!         Item::Event(event) => println!("{} {}", event.event_type(), event.data()),
//!         Item::Error { error, outcome } => eprintln!("{error}; {outcome:?}"),
//!         _ => {}
//!     }
//!     // Save `feed.last_event_id()` to resume after a restart of this program.
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What the client does
//!
//! - Requests carry `Accept: text/event-stream` and `Cache-Control: no-cache`, and
//!   `Last-Event-ID` only when the last event ID is not empty.
//! - A 200 response with a `text/event-stream` content type opens the stream. 204 fails the
//!   connection for good (servers use it to stop clients); so does any other status or content
//!   type, unless the [`RetryPolicy`] retries it. Redirects follow your client's policy.
//! - A network error, an idle timeout, or the end of the body reestablishes the connection
//!   after the reconnection time (the server's `retry:`, or [`DEFAULT_RECONNECTION_TIME`]),
//!   grown and jittered by the [`Backoff`], which also holds the floor against `retry: 0` and
//!   the optional limits on attempts and time.
//! - The last event ID survives reconnects and events without an id; blocks with only `id:` or
//!   `retry:` update it and the reconnection time without an event; an empty `id:` clears it.
//!   Each connection starts a new stream: a partial event cut off with its connection is
//!   discarded.
//! - Decoder limits are [`DEFAULT_LIMITS`] (a 10 MiB event passes) unless set; an event over
//!   them is skipped and reported ([`Error::Limit`]).
//!
//! # Why these dependencies
//!
//! - `reqwest`: the HTTP client these programs already use; taking theirs keeps their
//!   configuration in one place.
//! - `sse-codec`: the parser, exact to the specification at every chunking.
//! - `tokio` (`time`): the timers for the reconnection delay and the idle timeout; reqwest runs
//!   on tokio already.
//! - `futures-core`, `futures-util`: the `Stream` trait and the boxed body stream.
//! - `fastrand`: the jitter; small, no dependencies, no cryptographic cost where none is needed.
//! - `httpdate`: `Retry-After` given as an HTTP date (the same crate hyper uses for `Date`).
//!
//! # Crate features
//!
//! - `rustls-tls` (default): TLS for `https://` through reqwest's rustls backend.
//! - `json`: `Event::json` and `Event::parse_json` from `sse-codec`.

mod backoff;
mod builder;
mod done;
mod error;
mod event_source;
mod idle;
mod item;
mod ready_state;
mod response;
mod retry_policy;

pub use sse_codec::{ByteString, DecodeError, Event, Limits};

pub use crate::backoff::Backoff;
pub use crate::builder::{Builder, DEFAULT_LIMITS, DEFAULT_RECONNECTION_TIME};
pub use crate::done::{DONE, UntilDone, is_done, until_done};
pub use crate::error::{BuildError, Error};
pub use crate::event_source::EventSource;
pub use crate::item::{Item, Outcome};
pub use crate::ready_state::ReadyState;
pub use crate::retry_policy::RetryPolicy;
