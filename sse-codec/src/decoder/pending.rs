//! The event being read: the specification's data, event type and last event ID buffers.
//!
//! Within one `decode` call the input buffer is not touched: values are remembered as ranges of
//! it. When the call ends, the lines it read are consumed and the ranges become shared slices of
//! the input, one split each, in input order.

use core::ops::Range;

use bytes::{Buf, BufMut, BytesMut};
use bytestring::ByteString;

use crate::text::{text_from_bytes, text_from_slice};

#[derive(Debug, Clone, Default)]
pub(super) struct PendingEvent {
    /// Whether the event has a type, which is then the decoder's last event type.
    pub(super) has_event_type: bool,
    pub(super) data: DataBuffer,
    /// The data's size in input bytes, LF separators included: what the event size limit bounds.
    pub(super) data_size: usize,
    pub(super) id: IdUpdate,
}

/// The data buffer, without its final LF (the specification appends one per line and removes the
/// last at dispatch; here it is never added).
#[derive(Debug, Clone, Default)]
pub(super) enum DataBuffer {
    /// No `data` line yet: dispatching would fire no event.
    #[default]
    Empty,
    /// One line, still in the input buffer.
    InInput(Range<usize>),
    /// One line, a slice of an earlier input buffer, decoded already.
    OneLine(ByteString),
    /// Several lines, joined with LF: the only case that copies.
    Lines(BytesMut),
}

/// What the `id` lines since the last dispatch did to the last event ID buffer.
#[derive(Debug, Clone, Default)]
pub(super) enum IdUpdate {
    #[default]
    Unchanged,
    /// Set to a value still in the input buffer.
    InInput(Range<usize>),
    Set(ByteString),
}

impl DataBuffer {
    /// Appends a line, `input[value]`.
    pub(super) fn push(&mut self, input: &[u8], value: Range<usize>) {
        let first: &[u8] = match self {
            DataBuffer::Empty => {
                *self = DataBuffer::InInput(value);
                return;
            }
            DataBuffer::Lines(lines) => {
                lines.reserve(1 + value.len());
                lines.put_u8(b'\n');
                lines.put_slice(&input[value]);
                return;
            }
            DataBuffer::InInput(range) => &input[range.clone()],
            DataBuffer::OneLine(line) => line.as_bytes(),
        };
        // Room for a few more lines like these: an event rarely stops at two, and growing a
        // buffer line by line reallocates it again and again.
        let mut lines = BytesMut::with_capacity(2 * (first.len() + 1 + value.len()) + 64);
        lines.put_slice(first);
        lines.put_u8(b'\n');
        lines.put_slice(&input[value]);
        *self = DataBuffer::Lines(lines);
    }

    /// The dispatched data, or `None` when no `data` line was read.
    pub(super) fn into_text(self) -> Option<ByteString> {
        match self {
            DataBuffer::Empty => None,
            DataBuffer::OneLine(line) => Some(line),
            DataBuffer::Lines(lines) => Some(text_from_bytes(lines.freeze())),
            DataBuffer::InInput(_) => unreachable!("ranges are resolved before the call returns"),
        }
    }
}

impl PendingEvent {
    /// Consumes the first `consumed` bytes of `buf`, turning the values that point into them into
    /// text sharing its memory. `extra`, a range that the caller needs too (a comment, an id),
    /// comes back as text.
    pub(super) fn consume(
        &mut self,
        buf: &mut BytesMut,
        consumed: usize,
        extra: Option<Range<usize>>,
    ) -> Option<ByteString> {
        let data_in_input = matches!(self.data, DataBuffer::InInput(_));
        let id_in_input = matches!(self.id, IdUpdate::InInput(_));
        if !data_in_input && !id_in_input && extra.is_none() {
            buf.advance(consumed);
            return None;
        }
        // One split of the buffer, then a reference-counted slice per value: cheaper than
        // splitting the buffer at each value's bounds.
        let read = buf.split_to(consumed).freeze();
        if let DataBuffer::InInput(range) = &self.data {
            self.data = DataBuffer::OneLine(text_from_slice(&read, range.clone()));
        }
        if let IdUpdate::InInput(range) = &self.id {
            self.id = IdUpdate::Set(text_from_slice(&read, range.clone()));
        }
        extra.map(|range| text_from_slice(&read, range))
    }
}
