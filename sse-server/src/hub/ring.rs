//! A channel's replay ring: the recent encoded events, which is also every subscriber's queue.
//!
//! This is the hub's storage: it knows nothing of subscribers, wake-ups or lag policies, only
//! of events in order and where each id stands.

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use bytestring::ByteString;

/// Recent events, oldest first, bounded by count and by encoded size.
///
/// Subscribers do not get queues of their own: each keeps a cursor (a sequence number) into
/// this ring, so a publish stores a frame once whatever the number of subscribers, and a
/// subscriber that stops reading costs nothing but its cursor.
#[derive(Debug)]
pub(crate) struct Ring {
    entries: VecDeque<Entry>,
    bytes: usize,
    max_events: usize,
    max_bytes: usize,
    /// Where each id stands, for resuming from a `Last-Event-ID`; ids are unique in the ring.
    sequence_of: HashMap<ByteString, u64>,
    /// The sequence number the next event gets; the first is 1.
    next: u64,
    /// The first sequence number after the last [`clear`](Self::clear) (0 if never cleared):
    /// a cursor from before it resumes there, at the first event after the gap.
    restarted_at: u64,
}

#[derive(Debug)]
struct Entry {
    id: ByteString,
    frame: Bytes,
}

/// What a cursor finds in the ring.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    /// The event's id and frame.
    Frame(ByteString, Bytes),
    /// Nothing newer than the cursor yet.
    Empty,
    /// The ring dropped events the cursor had not read: `missed` events (all those it had not
    /// read) are lost to it, and the cursor now points at the next event to be published.
    Evicted { missed: u64 },
}

impl Ring {
    /// An empty ring keeping at most `max_events` events (at least 1) and `max_bytes` bytes
    /// (the newest event is kept whatever its size).
    pub(crate) fn new(max_events: usize, max_bytes: usize) -> Self {
        Ring {
            entries: VecDeque::new(),
            bytes: 0,
            max_events: max_events.max(1),
            max_bytes,
            sequence_of: HashMap::new(),
            next: 1,
            restarted_at: 0,
        }
    }

    /// The sequence number the next pushed event will get.
    pub(crate) fn next_sequence(&self) -> u64 {
        self.next
    }

    /// The sequence number of the oldest event kept (the next one's when empty).
    fn oldest_sequence(&self) -> u64 {
        self.next - self.entries.len() as u64
    }

    /// Whether an event with this id is in the ring.
    pub(crate) fn contains_id(&self, id: &str) -> bool {
        self.sequence_of.contains_key(id)
    }

    /// Adds an event whose id is not in the ring yet, then drops the oldest ones until the
    /// ring fits its bounds again (the newest always stays, however large).
    pub(crate) fn push(&mut self, id: ByteString, frame: Bytes) {
        debug_assert!(!self.contains_id(&id), "ids are checked before a push");
        self.sequence_of.insert(id.clone(), self.next);
        self.next += 1;
        self.bytes += frame.len();
        self.entries.push_back(Entry { id, frame });
        while self.entries.len() > self.max_events
            || (self.bytes > self.max_bytes && self.entries.len() > 1)
        {
            let Some(oldest) = self.entries.pop_front() else {
                break;
            };
            self.bytes -= oldest.frame.len();
            self.sequence_of.remove(&oldest.id);
        }
    }

    /// Where a subscriber resuming after `id` starts reading, if the ring holds the id.
    pub(crate) fn cursor_after(&self, id: &str) -> Option<u64> {
        self.sequence_of.get(id).map(|sequence| sequence + 1)
    }

    /// The frame at `cursor`, moving the cursor past it; or why there is none.
    pub(crate) fn read(&self, cursor: &mut u64) -> Read {
        let oldest = self.oldest_sequence();
        if *cursor < oldest {
            let resume_at = if oldest == self.restarted_at {
                self.restarted_at
            } else {
                self.next
            };
            let missed = resume_at - *cursor;
            *cursor = resume_at;
            return Read::Evicted { missed };
        }
        // `cursor - oldest` is below the ring's length whenever `cursor < next`, which fits in
        // `usize`; past the head there is nothing.
        let index = usize::try_from(*cursor - oldest).unwrap_or(usize::MAX);
        let Some(entry) = self.entries.get(index) else {
            return Read::Empty;
        };
        *cursor += 1;
        Read::Frame(entry.id.clone(), entry.frame.clone())
    }

    /// How many events the ring holds, and their encoded size.
    pub(crate) fn len(&self) -> (usize, usize) {
        (self.entries.len(), self.bytes)
    }

    /// Drops every event and skips one sequence number, so that every cursor that has not read
    /// past the last event finds itself behind the ring (`Read::Evicted`): for a history that
    /// lost events this ring never saw.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.sequence_of.clear();
        self.bytes = 0;
        self.next += 1;
        self.restarted_at = self.next;
    }

    /// Whether the ring holds nothing to replay.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        let mut ring = Ring::new(2, 100);
        for (n, text) in ["a\n\n", "bb\n\n", "ccc\n\n"].into_iter().enumerate() {
            ring.push(n.to_string().into(), frame(text));
        }
        assert_eq!(ring.len(), (2, 9));
        assert_eq!(ring.cursor_after("0"), None, "evicted ids are forgotten");
        assert!(!ring.contains_id("0"));
        assert_eq!(ring.cursor_after("1"), Some(3));
        ring.push("big".into(), Bytes::from(vec![b'x'; 500]));
        assert_eq!(
            ring.len(),
            (1, 500),
            "an oversized event alone is still kept"
        );
    }

    #[test]
    fn cursors_read_in_order_then_wait() {
        let mut ring = Ring::new(10, 100);
        let mut cursor = ring.next_sequence();
        assert_eq!(ring.read(&mut cursor), Read::Empty);
        ring.push("1".into(), frame("1"));
        ring.push("2".into(), frame("2"));
        assert_eq!(ring.read(&mut cursor), Read::Frame("1".into(), frame("1")));
        assert_eq!(ring.read(&mut cursor), Read::Frame("2".into(), frame("2")));
        assert_eq!(ring.read(&mut cursor), Read::Empty);
    }

    #[test]
    fn a_cursor_behind_the_oldest_event_jumps_to_the_head() {
        let mut ring = Ring::new(3, 100);
        let mut slow = ring.next_sequence();
        for n in 0..5 {
            ring.push(n.to_string().into(), frame("x"));
        }
        assert_eq!(ring.read(&mut slow), Read::Evicted { missed: 5 });
        assert_eq!(ring.read(&mut slow), Read::Empty);
        let mut oldest = ring.cursor_after("2").unwrap();
        assert_eq!(ring.read(&mut oldest), Read::Frame("3".into(), frame("x")));
    }

    #[test]
    fn clearing_puts_every_cursor_behind() {
        let mut ring = Ring::new(3, 100);
        ring.push("1".into(), frame("x"));
        let mut caught_up = ring.next_sequence();
        ring.clear();
        assert!(ring.is_empty());
        assert_eq!(ring.cursor_after("1"), None);
        assert_eq!(ring.read(&mut caught_up), Read::Evicted { missed: 1 });
        ring.push("2".into(), frame("y"));
        assert_eq!(
            ring.read(&mut caught_up),
            Read::Frame("2".into(), frame("y"))
        );
    }

    #[test]
    fn a_ring_exactly_at_its_byte_bound_keeps_every_event() {
        let mut ring = Ring::new(10, 12);
        for (n, text) in ["a\n\n", "bb\n\n", "ccc\n\n"].into_iter().enumerate() {
            ring.push(n.to_string().into(), frame(text));
        }
        assert_eq!(ring.len(), (3, 12), "12 bytes fit a bound of 12");
        ring.push("3".into(), frame("d"));
        assert_eq!(ring.len(), (3, 10), "one byte more evicts the oldest");
    }
}
