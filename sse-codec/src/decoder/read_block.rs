//! The complete lines of one read, taken out of the caller's buffer at once.
//!
//! Splitting the caller's buffer costs a reference count, and checking a value as UTF-8 costs a
//! call whatever its length: done per event, the two were a third of decoding a small event. So
//! the decoder takes every complete line of a read in one split, checks the block as UTF-8 in one
//! pass, and hands out each value as a slice of it. A block that is not valid UTF-8 (a stream
//! with invalid sequences, which become U+FFFD) falls back to checking each value on its own.

use core::ops::Range;

use bytes::Bytes;
use bytestring::ByteString;

use crate::text::text_from_slice;

/// Complete lines of the stream, in the caller's memory, and how far the decoder has read them.
#[derive(Debug, Clone, Default)]
pub(super) struct ReadBlock {
    bytes: Bytes,
    /// The same bytes as text, when the whole block is valid UTF-8.
    text: Option<ByteString>,
    /// How many of its bytes the decoder has interpreted.
    pub(super) read: usize,
}

impl ReadBlock {
    /// A block of complete lines (it ends with a line end), none of them read yet.
    pub(super) fn new(bytes: Bytes) -> Self {
        let text = ByteString::try_from(bytes.clone()).ok();
        ReadBlock {
            bytes,
            text,
            read: 0,
        }
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether every line of the block has been interpreted.
    pub(super) fn is_read(&self) -> bool {
        self.read >= self.bytes.len()
    }

    /// Whether the whole block is valid UTF-8.
    pub(super) fn is_text(&self) -> bool {
        self.text.is_some()
    }

    /// `self.bytes()[range]` as text, when the block is valid text and the range falls on
    /// character boundaries.
    pub(super) fn str(&self, range: Range<usize>) -> Option<&str> {
        self.text.as_deref()?.get(range)
    }

    /// `self.bytes()[range]` as text, sharing the block's memory. A value's bounds are those of
    /// its line, or follow an ASCII colon or space, so they are character boundaries of valid
    /// text; were one not, the value would simply be checked on its own.
    pub(super) fn text(&self, range: Range<usize>) -> ByteString {
        match self
            .text
            .as_ref()
            .and_then(|text| Some((text, text.get(range.clone())?)))
        {
            Some((text, value)) => text.slice_ref(value),
            None => text_from_slice(&self.bytes, range),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_valid_text_are_slices_of_the_block() {
        let block = ReadBlock::new(Bytes::from_static("id: é\ndata: x\n".as_bytes()));
        let id = block.text(4..6);
        assert_eq!(&*id, "é");
        assert_eq!(id.as_ptr(), block.bytes()[4..].as_ptr());
        assert_eq!(&*block.text(13..13), "");
    }

    #[test]
    fn a_block_with_invalid_sequences_decodes_each_value_on_its_own() {
        let block = ReadBlock::new(Bytes::from_static(b"data: ok\ndata: \xFFx\n"));
        let valid = block.text(6..8);
        assert_eq!(&*valid, "ok");
        assert_eq!(valid.as_ptr(), block.bytes()[6..].as_ptr());
        assert_eq!(&*block.text(15..17), "\u{FFFD}x");
    }

    #[test]
    fn a_range_off_a_character_boundary_is_decoded_as_bytes() {
        let block = ReadBlock::new(Bytes::from_static("é\n".as_bytes()));
        assert_eq!(&*block.text(1..2), "\u{FFFD}");
    }

    #[test]
    fn it_is_read_once_the_decoder_is_past_its_end() {
        let mut block = ReadBlock::new(Bytes::from_static(b"\n\n"));
        assert!(!block.is_read());
        block.read = 2;
        assert!(block.is_read());
        assert!(ReadBlock::default().is_read());
    }
}
