//! The `sse-server` [`Hub`](sse_server::Hub) across several server processes, on Redis: the
//! same API, and a client resumes on any node with the `Last-Event-ID` another node gave it.
//!
//! Each node keeps a local [`Hub`](sse_server::Hub) whose replay rings fan events out to its
//! own subscribers (each event encoded once per node); Redis is the shared log behind them,
//! plugged into the hub's [`History`](sse_server::History) seam. Subscriptions are plain
//! [`sse_server::Subscription`]s, so `sse-axum`, `sse-actix` and `sse-warp` serve them as
//! they are.
//!
//! # How it uses Redis
//!
//! - **History**: a Redis Stream per channel (`<prefix>:stream:<name>`), bounded with
//!   `XADD ... MAXLEN ~ n` ([`RedisHubConfig::stream_max_len`]).
//! - **Ids**: `<epoch>:<stream-id>`. The epoch (`<prefix>:epoch:<name>`) is set at the
//!   channel's first publish, and made anew whenever the stream is found missing (flushed,
//!   expired, lost in a failover), so a client resuming with an id from before gets a resync
//!   event, never a wrong position.
//! - **Publish**: one Lua script (EVALSHA) appends to the stream and publishes on the
//!   channel's Pub/Sub channel, atomically. Publishing is async: a round trip to Redis.
//! - **Live delivery**: Pub/Sub, one connection per node subscribed to `<prefix>:live:*`.
//!   Chosen over blocking `XREAD` because one connection serves every channel, and messages
//!   are pushed the moment they are published, where `XREAD BLOCK` needs a connection held
//!   per read and a re-issued command per batch. Pub/Sub is at most once, so each message
//!   names the stream id before it: a node that sees a gap, or reconnects, reads what it
//!   missed with `XRANGE` from the last id it saw, and tells its subscribers to resync when
//!   that id is gone.
//! - **Resume**: an id the node's ring does not hold is looked up with an exclusive `XRANGE`
//!   (`(id`) in a script that first checks the epoch and that the id is still in the stream;
//!   the events are replayed, then the ring's, duplicates skipped by id.
//!
//! Redis 6.2 or later is needed (exclusive ranges). Tested with Redis 7.0.
//!
//! # Losing Redis
//!
//! A node that loses Redis keeps its subscribers' streams open (keep-alive is the adapter's);
//! publishes fail with [`PublishError::Redis`]. The command connection is redis-rs's
//! `ConnectionManager`, which reconnects by itself; the Pub/Sub connection has its own
//! reconnect loop, after which the node catches up from the streams. A Redis that comes back
//! empty (no persistence) has new epochs: subscribers get a resync.
//!
//! # Why redis-rs
//!
//! The `redis` crate is the maintained, widely used client: tokio support, a
//! `ConnectionManager` that reconnects, `Script` (EVALSHA with a fallback to EVAL), and an
//! async Pub/Sub connection; nothing else in the workspace depends on it.
//!
//! # Known limits
//!
//! Every node receives every channel's live messages and keeps a ring for each within its
//! local hub's bounds. A node whose Pub/Sub connection drops before it saw any event of a
//! channel cannot tell what it missed on that channel while away.
//!
//! # Examples
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use sse_codec::Event;
//! use sse_redis::{RedisHub, RedisHubConfig};
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let node = RedisHub::connect("redis://127.0.0.1:6379", RedisHubConfig::new()).await?;
//! let mut subscriber = node.subscribe(None);
//! let id = node.publish(Event::new("hello")).await?;
//! let frame = subscriber.next().await.unwrap();
//! assert_eq!(frame, format!("id: {id}\ndata: hello\n\n"));
//! # Ok(())
//! # }
//! ```

mod delivery;
mod error;
mod history;
mod hub;
mod ids;
mod log;
mod scripts;

pub use crate::error::PublishError;
pub use crate::hub::{ConnectError, RedisChannel, RedisHub, RedisHubConfig};
