//! The Redis stream as the hub's [`History`]: a resume on any node, from any node's id.

use sse_server::{History, Replay};

use crate::ids::parse_event_id;
use crate::log::{Log, encode_entry};

/// Looks up a `Last-Event-ID` the node's ring does not hold in the channel's Redis stream.
#[derive(Debug)]
pub(crate) struct RedisHistory {
    pub(crate) log: Log,
}

impl History for RedisHistory {
    fn replay_after(&self, channel: &str, last_event_id: &str) -> Replay {
        // Hostile input ends here: only an id this crate could have made reaches Redis.
        let Some((epoch, stream_id)) = parse_event_id(last_event_id) else {
            return Replay::unknown();
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Replay::unknown();
        };
        let (replay, answer) = Replay::pending();
        let (log, channel, epoch, stream_id) = (
            self.log.clone(),
            channel.to_owned(),
            epoch.to_owned(),
            stream_id.to_owned(),
        );
        runtime.spawn(async move {
            match log.entries_after(&channel, &epoch, &stream_id).await {
                Ok(Some(entries)) => answer.events(
                    entries
                        .iter()
                        .filter_map(|(id, event_type, data)| {
                            encode_entry(&epoch, id, event_type, data)
                        })
                        .collect(),
                ),
                // Unknown, or Redis unreachable: a resync, never a guess.
                Ok(None) | Err(_) => answer.unknown(),
            }
        });
        replay
    }
}
