//! Live delivery: one Pub/Sub connection per node, reconnected by itself, feeding the node's
//! local hub in stream order, with gaps filled from the stream.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::Duration;

use futures_util::StreamExt;
use sse_server::{Hub, PublishError as LocalPublishError};

use crate::ids::compare_stream_ids;
use crate::log::{Log, entry_event};

/// Where a node's local copy of a channel stands.
#[derive(Debug)]
struct Seen {
    epoch: String,
    stream_id: String,
}

/// How many live messages pass between two prunings of the places kept per channel.
const PRUNE_EVERY: usize = 4096;

/// Forgets where this node stands in channels whose local ring is empty (forgotten by the
/// local hub, or never filled): there is nothing there to keep consistent, so the map stays
/// bounded by the channels the local hub holds.
fn forget_unheld(local: &Hub, seen: &mut HashMap<String, Seen>) {
    seen.retain(|name, _| {
        local
            .channel(name)
            .is_ok_and(|channel| channel.replay_size().0 > 0)
    });
}

/// Feeds `local` from Redis until the task is aborted.
pub(crate) async fn deliver(
    client: redis::Client,
    log: Log,
    local: Hub,
    mut subscribed: Option<tokio::sync::oneshot::Sender<()>>,
) {
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let mut backoff = Duration::from_millis(50);
    loop {
        if let Ok(mut pubsub) = client.get_async_pubsub().await
            && pubsub.psubscribe(log.live_pattern()).await.is_ok()
        {
            backoff = Duration::from_millis(50);
            if let Some(subscribed) = subscribed.take() {
                let _ = subscribed.send(());
            }
            forget_unheld(&local, &mut seen);
            // Subscribed: whatever was published while this node was away is in the streams.
            let names: Vec<String> = seen.keys().cloned().collect();
            for name in names {
                catch_up(&log, &local, &mut seen, &name).await;
            }
            let mut messages = pubsub.on_message();
            let mut since_pruned = 0usize;
            while let Some(message) = messages.next().await {
                since_pruned += 1;
                if since_pruned >= PRUNE_EVERY {
                    since_pruned = 0;
                    forget_unheld(&local, &mut seen);
                }
                let Some(name) = log.channel_of(message.get_channel_name()) else {
                    continue;
                };
                let Ok(payload) = std::str::from_utf8(message.get_payload_bytes()) else {
                    continue;
                };
                let name = name.to_owned();
                on_message(&log, &local, &mut seen, &name, payload).await;
            }
            tracing::warn!("Redis Pub/Sub connection lost; reconnecting");
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(1));
    }
}

async fn on_message(
    log: &Log,
    local: &Hub,
    seen: &mut HashMap<String, Seen>,
    name: &str,
    payload: &str,
) {
    let mut parts = payload.splitn(5, '\n');
    let (Some(epoch), Some(stream_id), Some(previous), Some(event_type), Some(data)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return;
    };
    let Ok(channel) = local.channel(name) else {
        return;
    };
    // An empty local ring holds nothing a message could contradict: start from this one.
    if channel.replay_size().0 == 0 {
        seen.remove(name);
    }
    if let Some(at) = seen.get(name) {
        if at.epoch != epoch {
            // The stream was flushed or lost: ids of the old epoch resume nowhere, and all
            // the new epoch holds is new here.
            if let Err(error) = start_over(log, local, seen, name).await {
                tracing::warn!(%error, channel = name, "reading from Redis failed");
            }
            if seen.get(name).is_some_and(|at| {
                at.epoch == epoch
                    && compare_stream_ids(stream_id, &at.stream_id) != Ordering::Greater
            }) {
                return;
            }
        } else if compare_stream_ids(stream_id, &at.stream_id) != Ordering::Greater {
            return; // delivered already, by a catch-up
        } else if previous != at.stream_id {
            catch_up(log, local, seen, name).await;
            if seen
                .get(name)
                .is_some_and(|at| compare_stream_ids(stream_id, &at.stream_id) != Ordering::Greater)
            {
                return;
            }
        }
    }
    push(local, seen, name, epoch, stream_id, event_type, data);
}

/// How often a catch-up is tried: the first command after Redis came back may meet the old,
/// broken connection, which the connection manager replaces then.
const CATCH_UP_ATTEMPTS: u32 = 20;

/// Delivers every entry after the last one this node saw of `name`, trying again while Redis
/// does not answer.
async fn catch_up(log: &Log, local: &Hub, seen: &mut HashMap<String, Seen>, name: &str) {
    for attempt in 1..=CATCH_UP_ATTEMPTS {
        match try_catch_up(log, local, seen, name).await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, channel = name, attempt, "catching up from Redis failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Delivers every entry after the last one this node saw of `name`; if that one is gone from
/// the stream (trimmed, flushed), the node's subscribers are told to resync.
async fn try_catch_up(
    log: &Log,
    local: &Hub,
    seen: &mut HashMap<String, Seen>,
    name: &str,
) -> redis::RedisResult<()> {
    let Some(at) = seen.get(name) else {
        return Ok(());
    };
    let epoch = at.epoch.clone();
    match log.entries_after(name, &epoch, &at.stream_id).await {
        Ok(Some(entries)) => {
            for (stream_id, event_type, data) in &entries {
                push(local, seen, name, &epoch, stream_id, event_type, data);
            }
        }
        Ok(None) => start_over(log, local, seen, name).await?,
        Err(error) => return Err(error),
    }
    Ok(())
}

/// This node lost its place in `name`'s stream (its last id was trimmed, or the epoch
/// changed): its subscribers are told to resync, then get everything the stream holds, all of
/// it newer than what they saw (trimming drops the oldest entries; a new epoch is new).
async fn start_over(
    log: &Log,
    local: &Hub,
    seen: &mut HashMap<String, Seen>,
    name: &str,
) -> redis::RedisResult<()> {
    if let Ok(channel) = local.channel(name) {
        channel.forget_history();
    }
    seen.remove(name);
    match log.current(name).await {
        Ok(Some((epoch, entries))) => {
            for (stream_id, event_type, data) in &entries {
                push(local, seen, name, &epoch, stream_id, event_type, data);
            }
        }
        Ok(None) => {}
        Err(error) => return Err(error),
    }
    Ok(())
}

fn push(
    local: &Hub,
    seen: &mut HashMap<String, Seen>,
    name: &str,
    epoch: &str,
    stream_id: &str,
    event_type: &str,
    data: &str,
) {
    let Some(event) = entry_event(epoch, stream_id, event_type, data) else {
        return;
    };
    let Ok(channel) = local.channel(name) else {
        return;
    };
    match channel.publish(event) {
        Ok(_) | Err(LocalPublishError::DuplicateId { .. }) => {
            seen.insert(
                name.to_owned(),
                Seen {
                    epoch: epoch.to_owned(),
                    stream_id: stream_id.to_owned(),
                },
            );
        }
        Err(_) => {}
    }
}
