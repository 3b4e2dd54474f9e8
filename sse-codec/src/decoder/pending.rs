//! The event being read: the specification's data, event type and last event ID buffers.
//!
//! Within one `decode` call the input buffer is not touched: values are remembered as ranges of
//! it. When the call ends, the lines it read are consumed and each range is resolved: into a
//! slice of the input for an event dispatched now (handed to the caller, no copy), and into a
//! copy for a value the decoder keeps past the call, so that the decoder never holds on to the
//! caller's buffers and its memory is bounded by its limits alone.

use alloc::string::String;
use core::ops::Range;

use bytes::{Buf, Bytes, BytesMut};
use bytestring::ByteString;

use crate::text::{text_copied, text_from_slice, text_ref};

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
    /// One line, decoded, sharing the memory of the block it was read from: the block an event
    /// is dispatched with, or a line the decoder held across reads (its own memory).
    OneLine(ByteString),
    /// Decoded text in the decoder's own memory: several lines joined with LF, or one line that
    /// outlived the call that read it.
    Text(String),
}

/// What the `id` lines since the last dispatch did to the last event ID buffer.
#[derive(Debug, Clone, Default)]
pub(super) enum IdUpdate {
    #[default]
    Unchanged,
    /// Set to a value still in the input buffer.
    InInput(Range<usize>),
    /// Set to a value copied out of the input.
    Set(ByteString),
}

/// Whether the values still in the input are dispatched by this call or kept past it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Resolve {
    /// The input block is handed out with the event, or is the decoder's own: slice it.
    Share,
    /// The input is the caller's and the value outlives the call: copy it.
    Copy,
}

impl DataBuffer {
    /// Takes the data out as decoded text in memory of its own, to append a line to it.
    /// `input` is the buffer an [`InInput`](Self::InInput) range points into.
    pub(super) fn take_text(&mut self, input: &[u8]) -> String {
        match core::mem::take(self) {
            DataBuffer::Empty => String::new(),
            DataBuffer::InInput(range) => text_ref(&input[range]).into_owned(),
            DataBuffer::OneLine(line) => String::from(&*line),
            DataBuffer::Text(text) => text,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, DataBuffer::Empty)
    }

    /// The dispatched data, or `None` when no `data` line was read.
    pub(super) fn into_text(self) -> Option<ByteString> {
        match self {
            DataBuffer::Empty => None,
            DataBuffer::OneLine(line) => Some(line),
            DataBuffer::Text(text) => Some(ByteString::from(text)),
            DataBuffer::InInput(_) => unreachable!("ranges are resolved before the call returns"),
        }
    }
}

impl PendingEvent {
    /// Consumes the first `consumed` bytes of `buf`, resolving the values that point into them
    /// as `resolve` says. `comment`, a range the caller hands out now, comes back as text.
    pub(super) fn consume(
        &mut self,
        buf: &mut BytesMut,
        consumed: usize,
        comment: Option<Range<usize>>,
        resolve: Resolve,
    ) -> Option<ByteString> {
        let data_in_input = matches!(self.data, DataBuffer::InInput(_));
        let id_in_input = matches!(self.id, IdUpdate::InInput(_));
        if !data_in_input && !id_in_input && comment.is_none() {
            buf.advance(consumed);
            return None;
        }
        if let IdUpdate::InInput(range) = &self.id {
            // A copy: the last event ID is kept until the stream sends another, and a slice would
            // keep the whole read block alive for a few bytes.
            self.id = IdUpdate::Set(text_copied(&buf[range.clone()]));
        }
        if let (DataBuffer::InInput(range), Resolve::Copy) = (&self.data, resolve) {
            self.data = DataBuffer::Text(text_ref(&buf[range.clone()]).into_owned());
        }
        if !matches!(self.data, DataBuffer::InInput(_)) && comment.is_none() {
            buf.advance(consumed);
            return None;
        }
        // One split of the buffer, then a reference-counted slice per value: cheaper than
        // splitting the buffer at each value's bounds.
        let read = buf.split_to(consumed).freeze();
        self.share_from(&read, comment)
    }

    /// Resolves the values that point into `block` as slices of it (the id is copied all the
    /// same). `comment` comes back as text.
    pub(super) fn share_from(
        &mut self,
        block: &Bytes,
        comment: Option<Range<usize>>,
    ) -> Option<ByteString> {
        if let IdUpdate::InInput(range) = &self.id {
            self.id = IdUpdate::Set(text_copied(&block[range.clone()]));
        }
        if let DataBuffer::InInput(range) = &self.data {
            self.data = DataBuffer::OneLine(text_from_slice(block, range.clone()));
        }
        comment.map(|range| text_from_slice(block, range))
    }
}
