//! A channel's replay ring: the recent encoded events, which is also every subscriber's queue.

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use bytestring::ByteString;

/// Recent events, oldest first, bounded by count and by encoded size.
///
/// Subscribers do not get queues of their own: each keeps a cursor (a sequence number) into
/// this ring, so a publish stores a frame once whatever the number of subscribers, and a
/// subscriber that stops reading costs nothing but its cursor.
#[derive(Debug, Default)]
pub(crate) struct Ring {
    entries: VecDeque<Entry>,
    bytes: usize,
    /// Where each id stands, for resuming from a `Last-Event-ID`.
    sequence_of: HashMap<ByteString, u64>,
    /// The sequence number the next event gets; the first is 1.
    next: u64,
}

#[derive(Debug)]
struct Entry {
    sequence: u64,
    id: Option<ByteString>,
    frame: Bytes,
}

/// What a cursor finds in the ring.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Frame(Bytes),
    /// Nothing newer than the cursor yet.
    Empty,
    /// The cursor is more than the allowed lag behind, or behind the oldest event kept:
    /// `missed` events are lost to it.
    Lagged {
        missed: u64,
    },
}

impl Ring {
    pub(crate) fn new() -> Self {
        Ring {
            next: 1,
            ..Ring::default()
        }
    }

    /// The sequence number the next pushed event will get.
    pub(crate) fn next_sequence(&self) -> u64 {
        self.next
    }

    /// Adds an event, then drops the oldest ones until the ring fits its bounds again (the
    /// newest always stays, however large).
    pub(crate) fn push(
        &mut self,
        id: Option<ByteString>,
        frame: Bytes,
        max_events: usize,
        max_bytes: usize,
    ) {
        let sequence = self.next;
        self.next += 1;
        if let Some(id) = &id {
            self.sequence_of.insert(id.clone(), sequence);
        }
        self.bytes += frame.len();
        self.entries.push_back(Entry {
            sequence,
            id,
            frame,
        });
        while self.entries.len() > max_events || (self.bytes > max_bytes && self.entries.len() > 1)
        {
            let Some(oldest) = self.entries.pop_front() else {
                break;
            };
            self.bytes -= oldest.frame.len();
            if let Some(id) = oldest.id {
                // Only forget the id if a newer event did not reuse it.
                if self.sequence_of.get(&id) == Some(&oldest.sequence) {
                    self.sequence_of.remove(&id);
                }
            }
        }
    }

    /// Where a subscriber resuming after `id` starts reading, if the ring knows the id.
    pub(crate) fn cursor_after(&self, id: &str) -> Option<u64> {
        self.sequence_of.get(id).map(|sequence| sequence + 1)
    }

    /// The frame at `cursor`, moving the cursor past it; or why there is none.
    pub(crate) fn read(&self, cursor: &mut u64, max_lag: usize) -> Read {
        let oldest = self
            .entries
            .front()
            .map_or(self.next, |entry| entry.sequence);
        let waiting = self.next.saturating_sub(*cursor);
        if *cursor < oldest || waiting > max_lag as u64 {
            *cursor = self.next;
            return Read::Lagged { missed: waiting };
        }
        let Some(entry) = self.entries.get((*cursor - oldest) as usize) else {
            return Read::Empty;
        };
        *cursor += 1;
        Read::Frame(entry.frame.clone())
    }

    /// How many events the ring holds, and their encoded size.
    pub(crate) fn len(&self) -> (usize, usize) {
        (self.entries.len(), self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &'static str) -> Bytes {
        Bytes::from_static(text.as_bytes())
    }

    #[test]
    fn bounded_by_count_and_bytes_keeping_the_newest() {
        let mut ring = Ring::new();
        for (n, text) in ["a\n\n", "bb\n\n", "ccc\n\n"].into_iter().enumerate() {
            ring.push(Some(n.to_string().into()), frame(text), 2, 100);
        }
        assert_eq!(ring.len(), (2, 9));
        assert_eq!(ring.cursor_after("0"), None, "evicted ids are forgotten");
        assert_eq!(ring.cursor_after("1"), Some(3));
        ring.push(None, Bytes::from(vec![b'x'; 500]), 2, 100);
        assert_eq!(
            ring.len(),
            (1, 500),
            "an oversized event alone is still kept"
        );
    }

    #[test]
    fn cursors_read_in_order_then_wait() {
        let mut ring = Ring::new();
        let mut cursor = ring.next_sequence();
        assert_eq!(ring.read(&mut cursor, 10), Read::Empty);
        ring.push(None, frame("1"), 10, 100);
        ring.push(None, frame("2"), 10, 100);
        assert_eq!(ring.read(&mut cursor, 10), Read::Frame(frame("1")));
        assert_eq!(ring.read(&mut cursor, 10), Read::Frame(frame("2")));
        assert_eq!(ring.read(&mut cursor, 10), Read::Empty);
    }

    #[test]
    fn a_cursor_too_far_behind_jumps_to_the_head() {
        let mut ring = Ring::new();
        let mut slow = ring.next_sequence();
        for _ in 0..5 {
            ring.push(None, frame("x"), 3, 100);
        }
        assert_eq!(ring.read(&mut slow, 3), Read::Lagged { missed: 5 });
        assert_eq!(ring.read(&mut slow, 3), Read::Empty);
        let mut lagging = ring.next_sequence() - 3;
        assert_eq!(ring.read(&mut lagging, 2), Read::Lagged { missed: 3 });
    }

    #[test]
    fn a_reused_id_points_at_its_newest_event() {
        let mut ring = Ring::new();
        ring.push(Some("same".into()), frame("1"), 2, 100);
        ring.push(Some("same".into()), frame("2"), 2, 100);
        ring.push(None, frame("3"), 2, 100);
        assert_eq!(ring.cursor_after("same"), Some(3));
    }
}
