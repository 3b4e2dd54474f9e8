//! The incremental decoder: the WHATWG "event stream interpretation" algorithm over a byte buffer.

mod borrowed;
mod field;
mod pending;

use bytes::{Buf, Bytes, BytesMut};
use bytestring::ByteString;

use self::field::{Field, parse_field, parse_retry};
use self::pending::{DataBuffer, IdUpdate, PendingEvent};
use crate::error::DecodeError;
use crate::event::{Event, Frame};
use crate::limits::Limits;
use crate::line_end::find_line_end;
use crate::text::text_from_bytes;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An incremental, push-based decoder of `text/event-stream`, exact to the WHATWG algorithm.
///
/// Bytes go in through a [`BytesMut`] that the caller fills (as tokio-util's `Decoder` does);
/// frames come out one per call, and `Ok(None)` means "give me more bytes". The decoder consumes
/// what it has interpreted and leaves a partial line in the buffer; it remembers how far it looked
/// for a line end, so a line that arrives in a trickle is scanned once, whatever the chunking.
///
/// What it follows, rule by rule, from the specification:
/// - A UTF-8 byte order mark is stripped once, only at the start of the stream, even when split
///   across chunks.
/// - Lines end with CRLF, LF or CR. A CR at the end of the buffer ends its line at once; an LF that
///   follows in the next chunk is skipped.
/// - An empty line dispatches the event; a line starting with `:` is a comment; otherwise the field
///   name is what precedes the first `:` (the whole line if there is none), and one space after the
///   colon is removed from the value. Field names are case-sensitive; unknown fields are ignored.
/// - `data` appends the value and LF to the data buffer; on dispatch the final LF is removed, and an
///   empty data buffer dispatches nothing (but resets the event type).
/// - `event` sets the type (`message` when empty); `id` sets the last event ID unless the value
///   contains NUL; the last event ID persists across events.
/// - `retry` sets the reconnection time when the value is all ASCII digits. A value that does not
///   fit in a `u64` (more than 584 million years of milliseconds) is ignored, as browsers do.
/// - Invalid UTF-8 becomes U+FFFD.
/// - At end of stream ([`decode_eof`](Self::decode_eof)) an event not ended by a blank line is
///   discarded.
///
/// Memory is bounded by [`Limits`]; exceeding one yields a [`DecodeError`] once, then the decoder
/// skips to the end of the offending event and carries on.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use sse_codec::{Decoder, Frame};
///
/// let mut decoder = Decoder::new();
/// let mut buf = BytesMut::new();
/// let mut events = Vec::new();
/// for chunk in ["event: tick\nda", "ta: 42\r", "\n\nid: 1\ndata: a\ndata: b\n\n"] {
///     buf.extend_from_slice(chunk.as_bytes());
///     while let Some(frame) = decoder.decode(&mut buf)? {
///         events.push(frame.into_event().unwrap());
///     }
/// }
/// assert_eq!((events[0].event_type(), events[0].data()), ("tick", "42"));
/// assert_eq!((events[1].event_type(), events[1].data()), ("message", "a\nb"));
/// assert_eq!(events[1].id(), Some("1"));
/// # Ok::<(), sse_codec::DecodeError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    limits: Limits,
    comments: bool,
    line: LineState,
    event: PendingEvent,
    /// The last event ID as of the last dispatch: what a reconnecting client sends.
    last_event_id: Option<ByteString>,
    reconnection_time: Option<u64>,
    /// The last non-empty event type read: the pending event's type when it has one, and kept
    /// across events so that a repeated type costs no allocation.
    event_type: Option<ByteString>,
}

/// Where the decoder stands in the stream's bytes.
#[derive(Debug, Clone, Default)]
struct LineState {
    /// The byte order mark has been dealt with (stripped, or found absent).
    past_start: bool,
    /// The last line ended with a CR at the end of the buffer: an LF at the start of the next
    /// bytes belongs to it.
    skip_lf: bool,
    /// How many bytes of the buffered partial line have already been searched for a line end.
    scanned: usize,
    skipping: Skipping,
}

/// What is being thrown away after a limit was exceeded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Skipping {
    #[default]
    Nothing,
    /// The rest of an over-long line, which is not kept.
    RestOfLine,
    /// Every line up to the blank line that ends the event.
    RestOfEvent,
}

/// Why a pass over the buffered lines stopped.
#[derive(Debug)]
enum Stop {
    /// No complete line is left.
    NeedMore,
    /// A blank line: dispatch the event.
    Dispatch,
    Retry(u64),
    /// A comment, whose text is this range of the input.
    Comment(core::ops::Range<usize>),
    LimitExceeded(DecodeError),
}

impl Decoder {
    /// A decoder with default [`Limits`], no comments reported and no last event ID.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the memory limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Reports comment lines as [`Frame::Comment`] (they are skipped by default, as a browser does).
    #[must_use]
    pub fn with_comments(mut self, comments: bool) -> Self {
        self.comments = comments;
        self
    }

    /// Seeds the last event ID, for a client that resumes a stream after reconnecting: events
    /// carry this id until the stream sends another.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_codec::Decoder;
    ///
    /// let mut decoder = Decoder::new().with_last_event_id("41");
    /// let mut buf = BytesMut::from("data: resumed\n\n");
    /// let event = decoder.decode(&mut buf)?.unwrap().into_event().unwrap();
    /// assert_eq!(event.id(), Some("41"));
    /// # Ok::<(), sse_codec::DecodeError>(())
    /// ```
    #[must_use]
    pub fn with_last_event_id(mut self, id: impl Into<ByteString>) -> Self {
        self.last_event_id = Some(id.into());
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The last event ID as of the last blank line: what a reconnecting client sends as
    /// `Last-Event-ID`. `None` if the stream never sent an `id` field and none was seeded.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The last reconnection time the stream set, in milliseconds.
    pub fn reconnection_time(&self) -> Option<u64> {
        self.reconnection_time
    }

    /// Decodes the next frame from `buf`, consuming the bytes it interprets.
    ///
    /// Returns `Ok(None)` when `buf` holds no complete frame yet; call again after appending bytes.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when a [`Limits`] bound is exceeded. The offending event is skipped and the
    /// decoder stays usable: keep calling `decode`.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, DecodeError> {
        if !self.line.past_start && !self.strip_byte_order_mark(buf) {
            return Ok(None);
        }
        loop {
            let (consumed, stop) = self.read_lines(buf, 0);
            let comment = match &stop {
                Stop::Comment(range) => Some(range.clone()),
                _ => None,
            };
            let comment = self.event.consume(buf, consumed, comment);
            return match stop {
                Stop::NeedMore => Ok(None),
                Stop::Dispatch => match self.dispatch() {
                    Some(frame) => Ok(Some(frame)),
                    // A blank line that fires nothing: look for the next frame.
                    None => continue,
                },
                Stop::Retry(millis) => Ok(Some(Frame::Retry(millis))),
                Stop::Comment(_) => Ok(comment.map(Frame::Comment)),
                Stop::LimitExceeded(error) => Err(error),
            };
        }
    }

    /// Decodes what is left at the end of the stream.
    ///
    /// Returns the frames still complete in `buf` one per call, then `Ok(None)` once they are all
    /// out. Before returning `Ok(None)` it discards the rest as the specification says (a last line
    /// without a line end, an event without its blank line) and gets ready for a new stream, such
    /// as the next connection of a reconnecting client: the byte order mark is looked for again,
    /// while the last event ID and reconnection time are kept.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, DecodeError> {
        if let Some(frame) = self.decode(buf)? {
            return Ok(Some(frame));
        }
        buf.clear();
        self.line = LineState::default();
        self.event = PendingEvent::default();
        Ok(None)
    }

    /// Strips a leading byte order mark. Returns `false` while the buffer is a proper prefix of one.
    fn strip_byte_order_mark(&mut self, buf: &mut BytesMut) -> bool {
        let seen = buf.len().min(BOM.len());
        if buf[..seen] != BOM[..seen] {
            self.line.past_start = true;
        } else if seen == BOM.len() {
            buf.advance(BOM.len());
            self.line.past_start = true;
        }
        self.line.past_start
    }

    /// Interprets the complete lines of `input` from `from` on, until one produces something for
    /// the caller or none is left. Returns where it stopped reading, and why. Values are
    /// remembered as ranges of `input`.
    fn read_lines(&mut self, input: &[u8], from: usize) -> (usize, Stop) {
        let limit = self.limits.line_len();
        let mut start = from;
        loop {
            if self.line.skip_lf {
                match input.get(start) {
                    None => return (start, Stop::NeedMore),
                    Some(b'\n') => start += 1,
                    Some(_) => {}
                }
                self.line.skip_lf = false;
            }
            // Only the partial line a previous call left at the front has been scanned before.
            let scan_from = start + self.line.scanned;
            let Some(offset) = find_line_end(&input[scan_from..]) else {
                return self.partial_line(input, start);
            };
            self.line.scanned = 0;
            let end = scan_from + offset;
            let next = match (input[end], input.get(end + 1)) {
                (b'\r', Some(b'\n')) => end + 2,
                (b'\r', None) => {
                    // Spec: CR alone is a line end, so the line is complete now; a following LF,
                    // when it comes, is the second half of a CRLF.
                    self.line.skip_lf = true;
                    end + 1
                }
                _ => end + 1,
            };
            let line = &input[start..end];
            let line_start = start;
            start = next;
            match self.line.skipping {
                Skipping::Nothing => {}
                Skipping::RestOfLine => {
                    self.line.skipping = Skipping::RestOfEvent;
                    continue;
                }
                Skipping::RestOfEvent if line.is_empty() => {
                    self.line.skipping = Skipping::Nothing;
                    self.event = PendingEvent::default();
                    continue;
                }
                Skipping::RestOfEvent => continue,
            }
            if line.is_empty() {
                return (start, Stop::Dispatch);
            }
            if line.len() > limit {
                let error =
                    self.skip_event(Skipping::RestOfEvent, DecodeError::LineTooLong { limit });
                return (start, Stop::LimitExceeded(error));
            }
            let (field, value_start) = parse_field(line);
            let value = line_start + value_start..end;
            match field {
                Field::Data => {
                    if let Err(error) = self.append_data(input, value) {
                        return (start, Stop::LimitExceeded(error));
                    }
                }
                Field::Event => self.set_event_type(&input[value]),
                // Spec: an id containing NUL is ignored.
                Field::Id if !input[value.clone()].contains(&0) => {
                    self.event.id = IdUpdate::InInput(value);
                }
                Field::Retry => {
                    if let Some(millis) = parse_retry(&input[value]) {
                        self.reconnection_time = Some(millis);
                        return (start, Stop::Retry(millis));
                    }
                }
                Field::Comment if self.comments => return (start, Stop::Comment(value)),
                Field::Id | Field::Comment | Field::Ignored => {}
            }
        }
    }

    /// Deals with the bytes after the last line end: kept for the next call, or dropped when they
    /// are too long or belong to a skipped event.
    fn partial_line(&mut self, input: &[u8], start: usize) -> (usize, Stop) {
        let partial = input.len() - start;
        if self.line.skipping != Skipping::Nothing {
            // Only the blank line that ends a skipped event matters, and a partial line is not
            // blank: nothing of it needs keeping.
            if partial > 0 {
                self.line.skipping = Skipping::RestOfLine;
            }
            self.line.scanned = 0;
            return (input.len(), Stop::NeedMore);
        }
        if partial > self.limits.line_len() {
            self.line.scanned = 0;
            let limit = self.limits.line_len();
            let error = self.skip_event(Skipping::RestOfLine, DecodeError::LineTooLong { limit });
            return (input.len(), Stop::LimitExceeded(error));
        }
        self.line.scanned = partial;
        (start, Stop::NeedMore)
    }

    /// Drops the event being read after a limit was exceeded.
    fn skip_event(&mut self, skipping: Skipping, error: DecodeError) -> DecodeError {
        self.event = PendingEvent::default();
        self.line.skipping = skipping;
        error
    }

    /// Appends a `data` value to the data buffer, enforcing the event size limit.
    fn append_data(
        &mut self,
        input: &[u8],
        value: core::ops::Range<usize>,
    ) -> Result<(), DecodeError> {
        let separator = usize::from(!matches!(self.event.data, DataBuffer::Empty));
        // Counted in input bytes: a line held as decoded text may have grown (U+FFFD is three
        // bytes), and the limit must not depend on where the input was cut.
        let size = self
            .event
            .data_size
            .saturating_add(separator)
            .saturating_add(value.len());
        let limit = self.limits.event_size();
        if size > limit {
            return Err(
                self.skip_event(Skipping::RestOfEvent, DecodeError::EventTooLarge { limit })
            );
        }
        self.event.data.push(input, value);
        self.event.data_size = size;
        Ok(())
    }

    fn set_event_type(&mut self, value: &[u8]) {
        self.event.has_event_type = !value.is_empty();
        let cached = self
            .event_type
            .as_ref()
            .is_some_and(|cached| cached.as_bytes() == value);
        if self.event.has_event_type && !cached {
            // A copy, not a slice of the input: it is kept across events and must not pin a
            // large input buffer in memory. Types repeat, so this is rare.
            self.event_type = Some(text_from_bytes(Bytes::copy_from_slice(value)));
        }
    }

    /// The spec's "dispatch the event" steps, run at each blank line.
    fn dispatch(&mut self) -> Option<Frame> {
        let PendingEvent {
            has_event_type,
            data,
            id,
            ..
        } = core::mem::take(&mut self.event);
        if let IdUpdate::Set(id) = id {
            self.last_event_id = Some(id);
        }
        Some(Frame::Event(Event {
            event_type: if has_event_type {
                self.event_type.clone()
            } else {
                None
            },
            data: data.into_text()?,
            id: self.last_event_id.clone(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BufMut;

    #[test]
    fn a_line_trickling_in_is_scanned_once() {
        let mut decoder = Decoder::new();
        let mut buf = BytesMut::new();
        for byte in b"data: no line end yet" {
            buf.put_u8(*byte);
            assert_eq!(decoder.decode(&mut buf), Ok(None));
            assert_eq!(
                decoder.line.scanned,
                buf.len(),
                "the next call starts where this one stopped"
            );
        }
        buf.put_slice(b"\n\n");
        let event = decoder
            .decode(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap();
        assert_eq!(event.data(), "no line end yet");
        assert_eq!(decoder.line.scanned, 0);
    }

    #[test]
    fn an_over_long_partial_line_is_dropped_from_the_buffer_at_once() {
        let mut decoder = Decoder::new().with_limits(Limits::default().max_line_len(12));
        let mut buf = BytesMut::from("data: 1234567");
        assert_eq!(
            decoder.decode(&mut buf),
            Err(DecodeError::LineTooLong { limit: 12 })
        );
        assert!(buf.is_empty());
        buf.put_slice(b"89\r");
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        assert_eq!(decoder.line.skipping, Skipping::RestOfEvent);
        buf.put_slice(b"\ndata: skipped, and too long to be reported again\nid: 1");
        assert_eq!(
            decoder.decode(&mut buf),
            Ok(None),
            "a skipped event reports nothing more"
        );
        assert!(buf.is_empty(), "nor keeps its partial lines");
        buf.put_slice(b"\n\ndata: kept\n\n");
        let event = decoder
            .decode(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap();
        assert_eq!(event.data(), "kept");
        assert_eq!(
            event.id(),
            None,
            "lines of a skipped event are not interpreted"
        );
    }

    #[test]
    fn a_repeated_event_type_reuses_the_cached_text() {
        let mut decoder = Decoder::new();
        let mut buf = BytesMut::from("event: tick\ndata: 1\n\nevent: tick\ndata: 2\n\n");
        let first = decoder
            .decode(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap();
        let second = decoder
            .decode(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap();
        assert_eq!(first.event_type().as_ptr(), second.event_type().as_ptr());
    }
}
