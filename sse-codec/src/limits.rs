//! How much memory a decoder may hold on behalf of one stream.

/// What the values a decoder keeps cost beyond their bytes: the reference counts of the shared
/// blocks they are slices of, a few dozen bytes each for the handful of values it holds.
const BOOKKEEPING_BYTES: usize = 256;

/// Bounds on what a [`Decoder`](crate::Decoder) buffers, so that a hostile or broken stream cannot
/// make it grow without end.
///
/// The defaults are generous: an 8 MiB line and 16 MiB of data per event. Real payloads of several
/// MiB (large JSON snapshots, base64 images, long LLM completions sent as one event) pass. Exceeding
/// a limit yields [`DecodeError`](crate::DecodeError) once, then the decoder skips to the next
/// event.
///
/// # What the limits bound
///
/// - A line, counted in input bytes without its line end, is at most
///   [`line_len`](Self::line_len). An `event` or `id` value is also refused as too long a line
///   when its text would be longer than that: an invalid byte becomes U+FFFD, three bytes.
/// - An event's data, counted as the text the event carries (lines joined with LF, invalid bytes
///   as U+FFFD), is at most [`event_size`](Self::event_size). The limit is the same whatever the
///   chunking of the input.
///
/// So, between calls, a decoder holds at most [`max_held_bytes`](Self::max_held_bytes): a partial
/// line (the line limit), the pending event's data (the event size limit, or the line limit for a
/// single line that arrived over several reads and keeps its own memory), the pending `id`, the
/// last event ID and the last event type (the line limit each): 4 × the line limit + the larger
/// of the two limits (+ 256 bytes of reference counts), 48 MiB with the defaults. During a call,
/// growing a buffer or decoding a value may need the larger limit once more for a moment:
/// [`max_peak_bytes`](Self::max_peak_bytes), 64 MiB with the defaults. A seeded last event ID is
/// the caller's own and counts on top. The decoder never holds on to the caller's buffers past a
/// call: what it keeps, it copies or owns. Events it hands out are the caller's memory.
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

    /// Sets the largest event accepted: the bytes of its data as text (lines joined with LF,
    /// each invalid input byte sequence counted as the three bytes of its U+FFFD).
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

    /// The most memory, in bytes, that a decoder with these limits holds between calls (see
    /// [What the limits bound](Self#what-the-limits-bound)).
    ///
    /// # Examples
    ///
    /// ```
    /// use sse_codec::Limits;
    ///
    /// assert_eq!(Limits::default().max_held_bytes(), 48 * 1024 * 1024 + 256);
    /// assert_eq!(Limits::unbounded().max_held_bytes(), usize::MAX);
    /// ```
    pub const fn max_held_bytes(&self) -> usize {
        self.max_line_len
            .saturating_mul(4)
            .saturating_add(self.larger_limit())
            .saturating_add(BOOKKEEPING_BYTES)
    }

    /// The most memory, in bytes, that a decoder with these limits holds at any moment, during a
    /// call too: [`max_held_bytes`](Self::max_held_bytes), plus the larger of the two limits for
    /// the moment a buffer grows (its old and new blocks both live) or a value is decoded into
    /// its text.
    ///
    /// # Examples
    ///
    /// ```
    /// use sse_codec::Limits;
    ///
    /// assert_eq!(Limits::default().max_peak_bytes(), 64 * 1024 * 1024 + 256);
    /// ```
    pub const fn max_peak_bytes(&self) -> usize {
        self.max_held_bytes().saturating_add(self.larger_limit())
    }

    const fn larger_limit(&self) -> usize {
        if self.max_event_size > self.max_line_len {
            self.max_event_size
        } else {
            self.max_line_len
        }
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
