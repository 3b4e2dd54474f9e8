//! The event being read: the specification's data, event type and last event ID buffers.
//!
//! While the lines of a read are interpreted, values are remembered as ranges of them (the
//! decoder's read block, or the caller's buffer in `decode_with`): an event dispatched from the
//! same read shares their memory and copies nothing. Before the decoder asks for more bytes,
//! values it still keeps are copied out of the caller's memory
//! ([`release`](PendingEvent::release)), so that between reads it never holds on to a caller's
//! buffer and its memory is bounded by its limits alone.

use alloc::vec::Vec;
use core::ops::Range;

use bytes::Bytes;
use bytestring::ByteString;

use super::capacity::reserve_within;
use super::read_block::ReadBlock;
use crate::text::{could_decode_past, decoded_len, text_copied, text_from_slice};

#[derive(Debug, Clone, Default)]
pub(super) struct PendingEvent {
    /// Whether the event has a type, which is then the decoder's last event type.
    pub(super) has_event_type: bool,
    pub(super) data: DataBuffer,
    pub(super) id: IdUpdate,
}

/// The data buffer, without its final LF (the specification appends one per line and removes the
/// last at dispatch; here it is never added).
#[derive(Debug, Clone, Default)]
pub(super) enum DataBuffer {
    /// No `data` line yet: dispatching would fire no event.
    #[default]
    Empty,
    /// One line, still in the input (only until the input is released). Its decoded length is
    /// known to be within the event size limit.
    InInput(Range<usize>),
    /// One line, decoded, sharing the memory of a line the decoder held across reads: its own.
    OneLine(ByteString),
    /// Lines in the decoder's own memory, joined with LF, as read (a line that was decoded
    /// already is its text): several lines, or one that outlived the read it came from. They are
    /// decoded once, at dispatch; lossy decoding of lines joined with LF is that of each line,
    /// since LF ends any invalid sequence.
    Lines(Lines),
}

/// The data lines of an event, and how long their text is once they could be too long.
#[derive(Debug, Clone, Default)]
pub(super) struct Lines {
    pub(super) bytes: Vec<u8>,
    /// The exact length of the bytes as text, when known: it is measured (and then kept up to
    /// date) only while three times their length exceeds the event size limit, since text is
    /// never shorter than the bytes it is decoded from, nor more than three times as long.
    pub(super) text_len: Option<usize>,
}

/// What the `id` lines since the last dispatch did to the last event ID buffer.
#[derive(Debug, Clone, Default)]
pub(super) enum IdUpdate {
    #[default]
    Unchanged,
    /// Set to a value still in the input (only until the input is released).
    InInput(Range<usize>),
    /// Set to a value in memory of the decoder's own.
    Set(ByteString),
}

impl DataBuffer {
    /// Takes the data out as lines in memory of its own, to append a line of about `next_line`
    /// bytes to it, within `bound` (the event size limit), with room for `likely_len` bytes of
    /// data (what the last event of several lines had). `input` is the buffer an
    /// [`InInput`](Self::InInput) range points into.
    pub(super) fn take_lines(&mut self, input: &[u8], next_line: usize, room: Room) -> Lines {
        let (first, text_len) = match core::mem::take(self) {
            DataBuffer::Lines(lines) => return lines,
            DataBuffer::Empty => (&b""[..], Some(0)),
            DataBuffer::InInput(range) => (&input[range], None),
            DataBuffer::OneLine(line) => {
                return Lines::with_room(line.as_bytes(), Some(line.len()), next_line, room);
            }
        };
        Lines::with_room(first, text_len, next_line, room)
    }

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, DataBuffer::Empty)
    }

    /// The dispatched data, or `None` when no `data` line was read. `block` is the read an
    /// [`InInput`](Self::InInput) range points into.
    pub(super) fn into_text(self, block: &ReadBlock) -> Option<ByteString> {
        match self {
            DataBuffer::Empty => None,
            DataBuffer::InInput(range) => Some(block.text(range)),
            DataBuffer::OneLine(line) => Some(line),
            DataBuffer::Lines(lines) => {
                let block = Bytes::from(lines.bytes);
                Some(text_from_slice(&block, 0..block.len()))
            }
        }
    }
}

impl Lines {
    /// `first` in a buffer with room for a few more lines like it and the next, at once (within
    /// `bound`): an event rarely stops at two lines, and growing a buffer line by line
    /// reallocates it again and again.
    fn with_room(first: &[u8], text_len: Option<usize>, next_line: usize, room: Room) -> Self {
        let two_lines = first.len().saturating_add(1).saturating_add(next_line);
        let likely = room
            .likely_len
            .min(two_lines.saturating_mul(ROOM_PER_BYTE_AT_HAND));
        let wanted = two_lines.saturating_mul(2).saturating_add(64).max(likely);
        let mut bytes = Vec::with_capacity(wanted.min(room.bound).max(first.len()));
        bytes.extend_from_slice(first);
        Lines { bytes, text_len }
    }

    /// Appends LF and `line`, unless the event would then be over `limit` (the event size
    /// limit, on the decoded text).
    pub(super) fn append(&mut self, line: &[u8], limit: usize) -> Result<(), OverLimit> {
        let size = self
            .bytes
            .len()
            .saturating_add(1)
            .saturating_add(line.len());
        // Text is never shorter than its bytes: the limit is over when the bytes are.
        if size > limit {
            return Err(OverLimit);
        }
        // Nor more than three times as long: until then nothing needs measuring, and the lines
        // are decoded once, at dispatch.
        self.text_len = if could_decode_past(size, limit) {
            let so_far = match self.text_len {
                Some(len) => len,
                None => decoded_len(&self.bytes),
            };
            let text_len = so_far.saturating_add(1).saturating_add(decoded_len(line));
            if text_len > limit {
                return Err(OverLimit);
            }
            Some(text_len)
        } else {
            None
        };
        reserve_within(&mut self.bytes, 1 + line.len(), limit);
        self.bytes.push(b'\n');
        self.bytes.extend_from_slice(line);
        Ok(())
    }
}

/// The data would take the event past its size limit.
#[derive(Debug)]
pub(super) struct OverLimit;

/// How much room the data lines of a new event get.
#[derive(Debug, Clone, Copy)]
pub(super) struct Room {
    /// The event size limit, which the room never exceeds.
    pub(super) bound: usize,
    /// The length of the last event's data lines: events of a stream tend to be alike, and
    /// growing a buffer line by line copies it again at each doubling.
    pub(super) likely_len: usize,
}

/// How many times its first two lines the room of an event may be on the strength of the last
/// event: one large event must not make every small one that follows reserve as much.
const ROOM_PER_BYTE_AT_HAND: usize = 16;

impl PendingEvent {
    /// Turns the values that are ranges of `block`, a line the decoder held across reads and now
    /// its own memory, into slices of it. `comment`, a range the caller hands out now, comes back
    /// as text.
    pub(super) fn share_from(
        &mut self,
        block: &Bytes,
        comment: Option<Range<usize>>,
    ) -> Option<ByteString> {
        if let IdUpdate::InInput(range) = &self.id {
            self.id = IdUpdate::Set(text_from_slice(block, range.clone()));
        }
        if let DataBuffer::InInput(range) = &self.data {
            self.data = DataBuffer::OneLine(text_from_slice(block, range.clone()));
        }
        comment.map(|range| text_from_slice(block, range))
    }

    /// Copies the values that are still ranges of `input` into memory of the decoder's own,
    /// before the input goes back to the caller: a few bytes of id must not keep a large read
    /// alive until the next `id`.
    pub(super) fn release(&mut self, input: &[u8]) {
        if let IdUpdate::InInput(range) = &self.id {
            self.id = IdUpdate::Set(text_copied(&input[range.clone()]));
        }
        if let DataBuffer::InInput(range) = &self.data {
            self.data = DataBuffer::Lines(Lines {
                bytes: input[range.clone()].to_vec(),
                text_len: None,
            });
        }
    }
}
