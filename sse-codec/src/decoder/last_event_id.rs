//! The specification's last event ID string, as the decoder keeps it between dispatches.
//!
//! Every event carries the last event ID, and most set a new one. Kept as text of its own, the
//! ID would cost each event two more reference counts than the event's own copy (one to keep it,
//! one to let the previous one go), a tenth of decoding a small event. So an ID read from the
//! current read block is kept as its place in the block, and becomes text of its own only when
//! the block is released.

use core::ops::Range;

use bytestring::ByteString;

use super::read_block::ReadBlock;
use crate::text::text_copied;

#[derive(Debug, Clone, Default)]
pub(super) enum LastEventId {
    /// No `id` field yet, and none seeded.
    #[default]
    Unset,
    /// Text in memory of its own: seeded, or read from an earlier block or a held line.
    Own(ByteString),
    /// A value of the current read block, whose text there is valid.
    InBlock(Range<usize>),
}

impl LastEventId {
    /// Sets it to `block[range]`.
    pub(super) fn set_in_block(&mut self, block: &ReadBlock, range: Range<usize>) {
        // A value's bounds fall on character boundaries (see `ReadBlock::text`): where the block
        // is text, so is the value.
        *self = if block.is_text() {
            LastEventId::InBlock(range)
        } else {
            // Not plain text of the block (invalid sequences become U+FFFD): kept as a copy at
            // once, rather than as a slice that would pin the block.
            LastEventId::Own(text_copied(&block.bytes()[range]))
        };
    }

    /// The ID, `block` being the current read block.
    pub(super) fn get<'a>(&'a self, block: &'a ReadBlock) -> Option<&'a str> {
        match self {
            LastEventId::Unset => None,
            LastEventId::Own(id) => Some(id),
            // Set only where the block is text, at bounds that are character boundaries.
            LastEventId::InBlock(range) => block.str(range.clone()),
        }
    }

    /// The ID for a dispatched event: a slice of `block`, the current read block, or a reference
    /// to text of its own.
    pub(super) fn for_event(&self, block: &ReadBlock) -> Option<ByteString> {
        match self {
            LastEventId::Unset => None,
            LastEventId::Own(id) => Some(id.clone()),
            LastEventId::InBlock(range) => Some(block.text(range.clone())),
        }
    }

    /// Copies an ID that is a place in `block` before the block goes back to the caller.
    pub(super) fn release(&mut self, block: &ReadBlock) {
        if let LastEventId::InBlock(range) = self {
            *self = LastEventId::Own(text_copied(&block.bytes()[range.clone()]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn an_id_of_the_block_is_its_slice_until_released() {
        let block = ReadBlock::new(Bytes::from_static(b"id: 42\n"));
        let mut id = LastEventId::default();
        assert_eq!(id.get(&block), None);
        id.set_in_block(&block, 4..6);
        assert!(matches!(id, LastEventId::InBlock(_)));
        assert_eq!(id.get(&block), Some("42"));
        let for_event = id.for_event(&block).unwrap();
        assert_eq!(for_event.as_ptr(), block.bytes()[4..].as_ptr());
        id.release(&block);
        drop(block);
        assert_eq!(id.get(&ReadBlock::default()), Some("42"));
        assert_ne!(
            id.for_event(&ReadBlock::default()).unwrap().as_ptr(),
            for_event.as_ptr()
        );
    }

    #[test]
    fn an_id_with_invalid_sequences_is_copied_at_once() {
        let block = ReadBlock::new(Bytes::from_static(b"id: \xFF\n"));
        let mut id = LastEventId::default();
        id.set_in_block(&block, 4..5);
        assert_eq!(id.get(&ReadBlock::default()), Some("\u{FFFD}"));
    }
}
