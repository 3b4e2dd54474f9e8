//! A channel's log on Redis: a stream of entries, an epoch, a Pub/Sub channel.

use std::sync::Arc;

use bytes::Bytes;
use bytestring::ByteString;
use redis::aio::ConnectionManager;
use sse_codec::Event;

use crate::ids::{event_id, new_epoch};
use crate::scripts::Scripts;

/// The Redis keys and commands of a hub's channels.
#[derive(Clone)]
pub(crate) struct Log {
    pub(crate) connection: ConnectionManager,
    scripts: Arc<Scripts>,
    prefix: Arc<str>,
    max_len: usize,
    /// The resume window from the stream: at most this many entries, this many bytes of values.
    max_replay: (usize, usize),
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log")
            .field("prefix", &self.prefix)
            .field("max_len", &self.max_len)
            .finish_non_exhaustive()
    }
}

/// One stream entry: its stream id, event type (empty for none) and data.
pub(crate) type Entry = (String, String, String);

/// Stream entries as XRANGE answers them: each id with its fields and values, alternating.
type RawEntries = Vec<(String, Vec<String>)>;

impl Log {
    pub(crate) fn new(
        connection: ConnectionManager,
        prefix: &str,
        max_len: usize,
        max_replay: (usize, usize),
    ) -> Self {
        Log {
            connection,
            scripts: Arc::new(Scripts::new()),
            prefix: prefix.into(),
            max_len,
            max_replay,
        }
    }

    fn epoch_key(&self, channel: &str) -> String {
        format!("{}:epoch:{channel}", self.prefix)
    }

    fn stream_key(&self, channel: &str) -> String {
        format!("{}:stream:{channel}", self.prefix)
    }

    /// The Pub/Sub channel of a hub channel.
    pub(crate) fn live_channel(&self, channel: &str) -> String {
        format!("{}:live:{channel}", self.prefix)
    }

    /// The Pub/Sub pattern of every channel.
    pub(crate) fn live_pattern(&self) -> String {
        format!("{}:live:*", self.prefix)
    }

    /// The hub channel a Pub/Sub channel stands for.
    pub(crate) fn channel_of<'a>(&self, live_channel: &'a str) -> Option<&'a str> {
        live_channel
            .strip_prefix(&*self.prefix)?
            .strip_prefix(":live:")
    }

    /// Appends and publishes in one step; the epoch and stream id.
    pub(crate) async fn append(
        &self,
        channel: &str,
        event_type: &str,
        data: &str,
    ) -> redis::RedisResult<(String, String)> {
        let mut connection = self.connection.clone();
        self.scripts
            .publish
            .key(self.epoch_key(channel))
            .key(self.stream_key(channel))
            .arg(new_epoch())
            .arg(self.max_len)
            .arg(self.live_channel(channel))
            .arg(event_type)
            .arg(data)
            .invoke_async(&mut connection)
            .await
    }

    /// The entries after `stream_id` of `epoch`, or `None` when it cannot be placed or more
    /// than the resume window follows it.
    pub(crate) async fn entries_after(
        &self,
        channel: &str,
        epoch: &str,
        stream_id: &str,
    ) -> redis::RedisResult<Option<Vec<Entry>>> {
        let mut connection = self.connection.clone();
        let raw: Option<RawEntries> = self
            .scripts
            .replay
            .key(self.epoch_key(channel))
            .key(self.stream_key(channel))
            .arg(epoch)
            .arg(stream_id)
            .arg(self.max_replay.0)
            .arg(self.max_replay.1)
            .invoke_async(&mut connection)
            .await?;
        Ok(raw.map(entries))
    }

    /// The channel's epoch and whole stream, or `None` when it has no epoch.
    pub(crate) async fn current(
        &self,
        channel: &str,
    ) -> redis::RedisResult<Option<(String, Vec<Entry>)>> {
        let mut connection = self.connection.clone();
        let raw: Option<(String, RawEntries)> = self
            .scripts
            .current
            .key(self.epoch_key(channel))
            .key(self.stream_key(channel))
            .invoke_async(&mut connection)
            .await?;
        Ok(raw.map(|(epoch, raw)| (epoch, entries(raw))))
    }
}

/// Stream entries as XRANGE gives them, read.
fn entries(raw: RawEntries) -> Vec<Entry> {
    raw.into_iter()
        .map(|(id, fields)| {
            let (mut event_type, mut data) = (String::new(), String::new());
            for pair in fields.chunks_exact(2) {
                match pair[0].as_str() {
                    "type" => event_type.clone_from(&pair[1]),
                    "data" => data.clone_from(&pair[1]),
                    _ => {}
                }
            }
            (id, event_type, data)
        })
        .collect()
}

/// The event an entry stands for, with its id, encoded: `None` for an event type that cannot
/// go on the wire (not one a publish of this crate writes).
pub(crate) fn encode_entry(
    epoch: &str,
    stream_id: &str,
    event_type: &str,
    data: &str,
) -> Option<(ByteString, Bytes)> {
    let event = entry_event(epoch, stream_id, event_type, data)?;
    let id = ByteString::from(event.id()?);
    Some((id, event.to_bytes()))
}

/// The event an entry stands for, with its id, to publish to the node's local hub.
pub(crate) fn entry_event(
    epoch: &str,
    stream_id: &str,
    event_type: &str,
    data: &str,
) -> Option<Event> {
    Event::new(data.to_owned())
        .try_with_event_type(event_type.to_owned())
        .ok()?
        .try_with_id(event_id(epoch, stream_id))
        .ok()
}
