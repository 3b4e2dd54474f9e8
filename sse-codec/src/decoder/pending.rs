//! The event being read: the specification's data, event type and last event ID buffers.
//!
//! Within one `decode` call the input buffer is not touched: values are remembered as ranges of
//! it. When the call ends, the lines it read are consumed and each range becomes a slice of the
//! read block: no copy for the events dispatched from it. Once the decoder asks for more bytes,
//! values it still keeps are copied out of the caller's memory
//! ([`release_read`](PendingEvent::release_read)), so that between reads it never holds on to a
//! caller's buffer and its memory is bounded by its limits alone.

use alloc::vec::Vec;
use core::ops::Range;

use bytes::{Buf, Bytes, BytesMut};
use bytestring::ByteString;

use crate::text::text_from_slice;

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
    /// One line, still in the input buffer (only during a call). Its decoded length is known to
    /// be within the event size limit.
    InInput(Range<usize>),
    /// One line, decoded, a slice of the caller's read block.
    InRead(ByteString),
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
    /// Set to a value still in the input buffer.
    InInput(Range<usize>),
    /// Set to a value that is a slice of the caller's read block.
    SetInRead(ByteString),
    /// Set to a value in memory of the decoder's own.
    Set(ByteString),
}

impl DataBuffer {
    /// Takes the data out as lines in memory of its own, to append a line of about `next_line`
    /// bytes to it, within `bound` (the event size limit). `input` is the buffer an
    /// [`InInput`](Self::InInput) range points into.
    pub(super) fn take_lines(&mut self, input: &[u8], next_line: usize, bound: usize) -> Lines {
        let (first, text_len) = match core::mem::take(self) {
            DataBuffer::Lines(lines) => return lines,
            DataBuffer::Empty => (&b""[..], Some(0)),
            DataBuffer::InInput(range) => (&input[range], None),
            DataBuffer::InRead(line) | DataBuffer::OneLine(line) => {
                return Lines::with_room(line.as_bytes(), Some(line.len()), next_line, bound);
            }
        };
        Lines::with_room(first, text_len, next_line, bound)
    }

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, DataBuffer::Empty)
    }

    /// The dispatched data, or `None` when no `data` line was read.
    pub(super) fn into_text(self) -> Option<ByteString> {
        match self {
            DataBuffer::Empty => None,
            DataBuffer::InRead(line) | DataBuffer::OneLine(line) => Some(line),
            DataBuffer::Lines(lines) => {
                let block = Bytes::from(lines.bytes);
                Some(text_from_slice(&block, 0..block.len()))
            }
            DataBuffer::InInput(_) => unreachable!("ranges are resolved before the call returns"),
        }
    }
}

impl Lines {
    /// `first` in a buffer with room for a few more lines like it and the next, at once (within
    /// `bound`): an event rarely stops at two lines, and growing a buffer line by line
    /// reallocates it again and again.
    fn with_room(first: &[u8], text_len: Option<usize>, next_line: usize, bound: usize) -> Self {
        let wanted = 2 * (first.len() + 1 + next_line) + 64;
        let mut bytes = Vec::with_capacity(wanted.min(bound).max(first.len()));
        bytes.extend_from_slice(first);
        Lines { bytes, text_len }
    }
}

impl PendingEvent {
    /// Consumes the first `consumed` bytes of `buf`, turning the values that point into them into
    /// slices of the read block. `comment`, a range the caller hands out now, comes back as text.
    pub(super) fn consume(
        &mut self,
        buf: &mut BytesMut,
        consumed: usize,
        comment: Option<Range<usize>>,
    ) -> Option<ByteString> {
        let data_in_input = matches!(self.data, DataBuffer::InInput(_));
        let id_in_input = matches!(self.id, IdUpdate::InInput(_));
        if !data_in_input && !id_in_input && comment.is_none() {
            buf.advance(consumed);
            return None;
        }
        // One split of the buffer, then a reference-counted slice per value: cheaper than
        // splitting the buffer at each value's bounds.
        let read = buf.split_to(consumed).freeze();
        if let IdUpdate::InInput(range) = &self.id {
            self.id = IdUpdate::SetInRead(text_from_slice(&read, range.clone()));
        }
        if let DataBuffer::InInput(range) = &self.data {
            self.data = DataBuffer::InRead(text_from_slice(&read, range.clone()));
        }
        comment.map(|range| text_from_slice(&read, range))
    }

    /// As [`consume`](Self::consume), for a block that is the decoder's own memory (a line it
    /// held across reads), whose slices it may keep.
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

    /// Copies the values that are still slices of the caller's read block into memory of the
    /// decoder's own: a few bytes of id must not keep a large read alive until the next `id`.
    pub(super) fn release_read(&mut self) {
        if let IdUpdate::SetInRead(id) = &self.id {
            self.id = IdUpdate::Set(copied(id));
        }
        if let DataBuffer::InRead(line) = &self.data {
            self.data = DataBuffer::Lines(Lines {
                bytes: line.as_bytes().to_vec(),
                text_len: Some(line.len()),
            });
        }
    }
}

/// `text` in memory of its own.
pub(super) fn copied(text: &ByteString) -> ByteString {
    ByteString::from(&**text)
}
