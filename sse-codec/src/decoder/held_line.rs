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
}

impl HeldLine {
    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Appends `more`; the caller has checked that the line stays within `limit`.
    pub(super) fn extend(&mut self, more: &[u8], limit: usize) {
        reserve_within(&mut self.bytes, more.len(), limit);
        self.bytes.extend_from_slice(more);
    }

    /// The whole line, leaving nothing held.
    pub(super) fn take(&mut self) -> Vec<u8> {
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
