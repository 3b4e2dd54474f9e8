//! Event ids on Redis: `<epoch>:<stream-id>`, and Redis stream ids in order.

use std::cmp::Ordering;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

/// The longest `Last-Event-ID` looked up in Redis: an epoch and a stream id are far shorter.
const MAX_ID_LEN: usize = 96;

/// An event id split into its epoch and its stream id, if it is one this crate makes.
pub(crate) fn parse_event_id(id: &str) -> Option<(&str, &str)> {
    if id.len() > MAX_ID_LEN {
        return None;
    }
    let (epoch, stream_id) = id.split_once(':')?;
    let epoch_ok = !epoch.is_empty() && epoch.bytes().all(|byte| byte.is_ascii_alphanumeric());
    (epoch_ok && parse_stream_id(stream_id).is_some()).then_some((epoch, stream_id))
}

/// The event id of stream entry `stream_id` in `epoch`.
pub(crate) fn event_id(epoch: &str, stream_id: &str) -> String {
    format!("{epoch}:{stream_id}")
}

/// A Redis stream id `<ms>-<seq>` as numbers, which order entries.
pub(crate) fn parse_stream_id(stream_id: &str) -> Option<(u64, u64)> {
    let (millis, sequence) = stream_id.split_once('-')?;
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    if !digits(millis) || !digits(sequence) {
        return None;
    }
    Some((millis.parse().ok()?, sequence.parse().ok()?))
}

/// Orders two stream ids (an unreadable one first).
pub(crate) fn compare_stream_ids(left: &str, right: &str) -> Ordering {
    parse_stream_id(left).cmp(&parse_stream_id(right))
}

/// A fresh epoch: the time in milliseconds and 48 random bits, in hexadecimal, so that epochs
/// made by different nodes at once differ. The publish script keeps the first one stored.
pub(crate) fn new_epoch() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(millis);
    hasher.write_u32(std::process::id());
    format!("{millis:x}{:012x}", hasher.finish() & 0xFFFF_FFFF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_epoch_and_stream_id() {
        let epoch = new_epoch();
        let id = event_id(&epoch, "1700000000000-3");
        assert_eq!(
            parse_event_id(&id),
            Some((epoch.as_str(), "1700000000000-3"))
        );
        for hostile in [
            "", "x", ":1-1", "e:1", "e:1-", "e:-1", "e:1-1-1", "e!:1-1", "e:1-1\n",
        ] {
            assert_eq!(parse_event_id(hostile), None, "{hostile:?}");
        }
        assert_eq!(parse_event_id(&"e".repeat(200)), None);
    }

    #[test]
    fn stream_ids_order_numerically() {
        assert_eq!(compare_stream_ids("9-0", "10-0"), Ordering::Less);
        assert_eq!(compare_stream_ids("10-2", "10-10"), Ordering::Less);
        assert_eq!(compare_stream_ids("10-2", "10-2"), Ordering::Equal);
    }
}
