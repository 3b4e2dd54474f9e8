//! The partial line at the end of a read, which the decoder keeps until its line end arrives.
//!
//! It is the decoder's own copy, never a position in the caller's buffer: whatever buffer the
//! next call is given (the same one refilled, a new one, an empty one), the decoder's state and
//! the bytes it describes cannot disagree. Its capacity never exceeds the line limit.

use alloc::vec::Vec;
use core::fmt;

use super::capacity::reserve_within;

/// The bytes of a line that has no line end yet. Only lines that span reads are held, and each
/// byte is searched for a line end once, when it arrives.
#[derive(Clone, Default)]
pub(super) struct HeldLine {
    bytes: Vec<u8>,
    /// The length of the last line held to its end: what the next one is likely to need.
    last_len: usize,
}

/// How many times the bytes at hand a new held line may reserve on the strength of the last one:
/// one long line must not make every short one that follows reserve as much.
const ROOM_PER_BYTE_AT_HAND: usize = 16;

impl HeldLine {
    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Appends `more`; the caller has checked that the line stays within `limit`.
    pub(super) fn extend(&mut self, more: &[u8], limit: usize) {
        if self.bytes.capacity() == 0 {
            // A new line: room for one as long as the last (the lines of a stream tend to be
            // alike), so that a long line arriving over many reads is not copied again at each
            // doubling of its buffer.
            let likely = self
                .last_len
                .min(more.len().saturating_mul(ROOM_PER_BYTE_AT_HAND));
            self.bytes.reserve_exact(likely.max(more.len()).min(limit));
        }
        reserve_within(&mut self.bytes, more.len(), limit);
        self.bytes.extend_from_slice(more);
    }

    /// The whole line, leaving nothing held.
    pub(super) fn take(&mut self) -> Vec<u8> {
        self.last_len = self.bytes.len();
        core::mem::take(&mut self.bytes)
    }

    /// Forgets the line and frees its memory.
    pub(super) fn clear(&mut self) {
        self.bytes = Vec::new();
    }

    #[cfg(test)]
    pub(super) fn capacity(&self) -> usize {
        self.bytes.capacity()
    }
}

impl fmt::Debug for HeldLine {
    // A held line can be megabytes long: its length says what matters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeldLine")
            .field("len", &self.bytes.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_line_reserves_as_much_as_the_last_within_bounds() {
        let mut held = HeldLine::default();
        held.extend(&[b'x'; 1000], 100_000);
        held.extend(&[b'x'; 9000], 100_000);
        assert_eq!(held.take().len(), 10_000);
        held.extend(&[b'x'; 1000], 100_000);
        assert_eq!(
            held.capacity(),
            10_000,
            "room for a line like the last, at once"
        );
        held.take();
        held.extend(b"short", 100_000);
        assert_eq!(held.capacity(), 5 * ROOM_PER_BYTE_AT_HAND);
        held.clear();
        held.extend(&[b'x'; 9000], 100_000);
        held.take();
        held.extend(&[b'x'; 1000], 5000);
        assert_eq!(held.capacity(), 5000, "never past the limit");
    }
}
