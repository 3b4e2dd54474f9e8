//! A hub whose channels live in Redis, served by this node's local hub.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytestring::ByteString;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sse_codec::Event;
use sse_server::{
    Channel, Hub, HubConfig, HubConfigError, HubStats, IntoFrame, ResumeFrom, Subscription,
    TooManyChannels,
};
use tokio::task::JoinHandle;

use crate::delivery::deliver;
use crate::error::PublishError;
use crate::history::RedisHistory;
use crate::log::Log;

/// How a [`RedisHub`] uses Redis.
#[derive(Clone, Debug)]
pub struct RedisHubConfig {
    hub: HubConfig,
    prefix: String,
    stream_max_len: usize,
    max_replay_bytes: usize,
    timeout: Duration,
}

impl RedisHubConfig {
    /// Keys under `sse:`, streams of about 10 000 entries, 2 s timeouts, and the default
    /// [`HubConfig`] for the node's local hub.
    pub fn new() -> Self {
        RedisHubConfig {
            hub: HubConfig::new(),
            prefix: "sse".into(),
            stream_max_len: 10_000,
            max_replay_bytes: HubConfig::DEFAULT_REPLAY_BYTES,
            timeout: Duration::from_secs(2),
        }
    }

    /// The node's local hub: its replay ring (the first resume window), lag policy, resync
    /// event type and channel bounds. Its id scheme and history are set by the Redis hub.
    #[must_use]
    pub fn hub(mut self, hub: HubConfig) -> Self {
        self.hub = hub;
        self
    }

    /// The prefix of every key and Pub/Sub channel, so several hubs can share one Redis.
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// About how many entries each channel's stream keeps (`XADD ... MAXLEN ~ n`): the resume
    /// window on every node.
    #[must_use]
    pub fn stream_max_len(mut self, entries: usize) -> Self {
        self.stream_max_len = entries.max(1);
        self
    }

    /// The most bytes of event data one resume from the stream replays (4 MiB by default, as
    /// the local hub's ring): a client whose `Last-Event-ID` is followed by more, or by more
    /// than [`stream_max_len`](Self::stream_max_len) entries, gets a resync, as a subscriber
    /// past the ring does. Ids are no secret, so this bounds what a client that reconnects
    /// again and again with an old one makes the node load.
    #[must_use]
    pub fn max_replay_bytes(mut self, bytes: usize) -> Self {
        self.max_replay_bytes = bytes;
        self
    }

    /// How long a connection attempt or a command may take before it fails.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

impl Default for RedisHubConfig {
    fn default() -> Self {
        RedisHubConfig::new()
    }
}

/// Why [`RedisHub::connect`] failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConnectError {
    /// The URL, or the first connection to Redis.
    Redis(redis::RedisError),
    /// The local hub's settings.
    Config(HubConfigError),
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Redis(error) => write!(f, "Redis: {error}"),
            ConnectError::Config(error) => write!(f, "hub settings: {error}"),
        }
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConnectError::Redis(error) => Some(error),
            ConnectError::Config(error) => Some(error),
        }
    }
}

/// The [`Hub`] API across server processes: channels on Redis, subscriptions served by this
/// node's local hub. See the crate docs.
///
/// Cheap to clone; all clones are the same node. Dropping the last clone stops the node's
/// Pub/Sub task.
#[derive(Clone)]
pub struct RedisHub {
    inner: Arc<Inner>,
}

struct Inner {
    local: Hub,
    log: Log,
    closed: AtomicBool,
    delivery: JoinHandle<()>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.delivery.abort();
    }
}

impl RedisHub {
    /// Connects to Redis at `url` (`redis://host:port/db`) and starts this node's live
    /// delivery. Must be called within a tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ConnectError`] when the URL is wrong, Redis cannot be reached now, or the local hub's
    /// settings are refused.
    pub async fn connect(url: &str, config: RedisHubConfig) -> Result<Self, ConnectError> {
        let client = redis::Client::open(url).map_err(ConnectError::Redis)?;
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(config.timeout)
            .set_response_timeout(config.timeout)
            .set_number_of_retries(1)
            .set_max_delay(500);
        let connection = ConnectionManager::new_with_config(client.clone(), manager_config)
            .await
            .map_err(ConnectError::Redis)?;
        let log = Log::new(
            connection,
            &config.prefix,
            config.stream_max_len,
            (config.stream_max_len, config.max_replay_bytes),
        );
        let local = Hub::with_config(
            config
                .hub
                .clone()
                .history(RedisHistory { log: log.clone() }),
        )
        .map_err(ConnectError::Config)?;
        let (subscribed, on_subscribed) = tokio::sync::oneshot::channel();
        let delivery = tokio::spawn(deliver(
            client,
            log.clone(),
            local.clone(),
            Some(subscribed),
        ));
        // Events published once `connect` returns reach this node; if Pub/Sub is slow to come
        // up, the delivery task keeps trying and catches up later.
        let _ = tokio::time::timeout(config.timeout, on_subscribed).await;
        Ok(RedisHub {
            inner: Arc::new(Inner {
                local,
                log,
                closed: AtomicBool::new(false),
                delivery,
            }),
        })
    }

    /// A handle on the channel named `name`, as [`Hub::channel`].
    ///
    /// # Errors
    ///
    /// [`TooManyChannels`] when the local hub holds its maximum of channels.
    pub fn channel(&self, name: &str) -> Result<RedisChannel, TooManyChannels> {
        Ok(RedisChannel {
            local: self.inner.local.channel(name)?,
            hub: self.clone(),
        })
    }

    /// Publishes to the default channel: see [`RedisChannel::publish`].
    ///
    /// # Errors
    ///
    /// As [`RedisChannel::publish`].
    pub async fn publish(&self, event: Event) -> Result<ByteString, PublishError> {
        self.publish_to("", event).await
    }

    /// Subscribes to the default channel: see [`RedisChannel::subscribe`].
    pub fn subscribe(&self, from: impl Into<ResumeFrom>) -> Subscription {
        self.inner.local.subscribe(from)
    }

    /// Ends every subscription of this node, as [`Hub::close`]; later publishes through it
    /// fail with [`PublishError::Closed`]. Other nodes and the streams in Redis are untouched.
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
        self.inner.local.close();
    }

    /// As [`close`](Self::close), each subscription ending after `last_frame`.
    pub fn close_with(&self, last_frame: impl IntoFrame) {
        self.inner.closed.store(true, Ordering::Release);
        self.inner.local.close_with(last_frame);
    }

    /// This node's counters; `published` counts the events this node delivered to its local
    /// subscribers (from any node).
    pub fn stats(&self) -> HubStats {
        self.inner.local.stats()
    }

    /// The node's local hub, whose rings fan events out to this node's subscribers.
    pub fn local(&self) -> &Hub {
        &self.inner.local
    }

    async fn publish_to(&self, channel: &str, event: Event) -> Result<ByteString, PublishError> {
        if self.inner.closed.load(Ordering::Acquire) {
            return Err(PublishError::Closed);
        }
        let (event_type, data, id) = event.into_parts();
        if let Some(id) = id {
            return Err(PublishError::OwnIdRefused { id });
        }
        let event_type = event_type.unwrap_or_default();
        sse_codec::check_event_type(&event_type).map_err(PublishError::InvalidEventType)?;
        let (epoch, stream_id) = self.inner.log.append(channel, &event_type, &data).await?;
        if epoch.is_empty() || stream_id.is_empty() {
            return Err(PublishError::UnexpectedReply);
        }
        Ok(crate::ids::event_id(&epoch, &stream_id).into())
    }
}

impl fmt::Debug for RedisHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisHub")
            .field("local", &self.inner.local)
            .finish_non_exhaustive()
    }
}

/// One channel of a [`RedisHub`], as [`Channel`] is of a [`Hub`].
#[derive(Clone, Debug)]
pub struct RedisChannel {
    local: Channel,
    hub: RedisHub,
}

impl RedisChannel {
    /// The channel's name.
    pub fn name(&self) -> &str {
        self.local.name()
    }

    /// Appends `event` to the channel's Redis stream and publishes it to every node, in one
    /// atomic step; returns its id, `<epoch>:<stream-id>`.
    ///
    /// Unlike [`Channel::publish`] this is async (a round trip to Redis), and the event
    /// reaches subscribers, on this node as on the others, when Redis delivers it back: so
    /// every node sees every channel's events in the stream's one order.
    ///
    /// # Errors
    ///
    /// [`PublishError`]: closed, an event with an id of its own, a bad event type, or Redis
    /// unreachable (the node reconnects by itself).
    pub async fn publish(&self, event: Event) -> Result<ByteString, PublishError> {
        self.hub.publish_to(self.local.name(), event).await
    }

    /// A subscription on this node, as [`Channel::subscribe`]: an id this node's ring holds
    /// resumes at once; any other id from any node is looked up in the Redis stream (the
    /// events after it, then live ones, with no gap and no duplicate), and an id of an older
    /// epoch, trimmed from the stream or unreadable gets a resync event.
    pub fn subscribe(&self, from: impl Into<ResumeFrom>) -> Subscription {
        self.local.subscribe(from)
    }

    /// Ends this channel's subscriptions on this node, as [`Channel::close`].
    pub fn close(&self) {
        self.local.close();
    }
}
