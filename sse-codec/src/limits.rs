//! How much memory a decoder may hold on behalf of one stream.

/// Bounds on what a [`Decoder`](crate::Decoder) buffers, so that a hostile or broken stream cannot
/// make it grow without end.
///
/// The defaults are generous: an 8 MiB line and 16 MiB of data per event. Real payloads of several
/// MiB (large JSON snapshots, base64 images, long LLM completions sent as one event) pass, while a
/// stream that never sends a line end costs at most about 24 MiB before it is cut off. Exceeding a
/// limit yields [`DecodeError`](crate::DecodeError) once, then the decoder skips to the next event.
///
/// # Examples
///
/// ```
/// use sse_codec::{Decoder, Limits};
///
/// let decoder = Decoder::new().with_limits(Limits::default().max_line_len(64 * 1024));
/// assert_eq!(decoder.limits().line_len(), 64 * 1024);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    max_line_len: usize,
    max_event_size: usize,
}

impl Limits {
    /// Default [`line_len`](Self::line_len): 8 MiB.
    pub const DEFAULT_MAX_LINE_LEN: usize = 8 * 1024 * 1024;
    /// Default [`event_size`](Self::event_size): 16 MiB.
    pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

    /// No limits at all.
    ///
    /// # Memory risk
    ///
    /// A peer can then make the decoder buffer without end (one line that never ends, or an event
    /// that is never dispatched). Use it only for input you trust.
    pub const fn unbounded() -> Self {
        Limits {
            max_line_len: usize::MAX,
            max_event_size: usize::MAX,
        }
    }

    /// Sets the longest line accepted, in bytes, not counting the line end.
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets the largest event accepted: the bytes of its data (lines joined with LF).
    #[must_use]
    pub const fn max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes;
        self
    }

    /// The longest line accepted, in bytes.
    pub const fn line_len(&self) -> usize {
        self.max_line_len
    }

    /// The largest event data accepted, in bytes.
    pub const fn event_size(&self) -> usize {
        self.max_event_size
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            max_event_size: Self::DEFAULT_MAX_EVENT_SIZE,
        }
    }
}
