//! The incremental decoder: the WHATWG "event stream interpretation" algorithm over a byte buffer.

mod borrowed;
mod capacity;
mod field;
mod held_line;
mod last_event_id;
mod pending;
mod read_block;

use core::ops::Range;

use bytes::{Buf, Bytes, BytesMut};
use bytestring::ByteString;

use self::field::{Field, parse_field, parse_retry};
use self::held_line::HeldLine;
use self::last_event_id::LastEventId;
use self::pending::{DataBuffer, IdUpdate, PendingEvent, Room};
use self::read_block::ReadBlock;
use crate::error::DecodeError;
use crate::event::{Event, Frame};
use crate::limits::Limits;
use crate::line_end::find_line_end;
use crate::text::{could_decode_past, decoded_len, text_copied};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// About how many bytes of complete lines the decoder takes from the caller's buffer at a time.
/// A block is checked as UTF-8 and then read line by line: at this size both passes find it in
/// the L1 cache (with 64 KiB reads of small events, cachegrind counts a quarter fewer L1 data
/// misses than with blocks of whole reads).
const READ_BLOCK_LEN: usize = 8 * 1024;

/// Where the next read block of `buf` ends: after the last line end in its first
/// [`READ_BLOCK_LEN`] bytes, or, when a longer line crosses that bound, after the last line end
/// of the whole buffer (the cache is no reason to cut there, and the blank line that ends the
/// long line's event is then in the same block: its data is shared, not copied out at the end
/// of the block). Either search runs backwards from where it starts and stops at the first line
/// end it meets, so the lines are scanned forwards once, when they are read. `None` when `buf`
/// holds no line end.
fn read_block_end(buf: &[u8]) -> Option<usize> {
    let window = buf.len().min(READ_BLOCK_LEN);
    let last = memchr::memrchr2(b'\n', b'\r', &buf[..window])
        .or_else(|| memchr::memrchr2(b'\n', b'\r', &buf[window..]).map(|last| window + last))?;
    Some(last + 1)
}

/// An incremental, push-based decoder of `text/event-stream`, exact to the WHATWG algorithm.
///
/// Bytes go in through a [`BytesMut`] that the caller fills (as tokio-util's `Decoder` does);
/// frames come out one per call, and `Ok(None)` means "give me more bytes". The decoder takes
/// the complete lines of the buffer about 8 KiB at a time, in one split, and hands out the frames
/// they hold one per call before it looks at the buffer again; a partial line at the end of the buffer is
/// taken into the decoder, so that a line arriving in a trickle is searched for its line end
/// once, whatever the chunking, and the decoder's state never depends on a buffer the caller may
/// drop or replace.
///
/// # Across connections
///
/// A decoder moved to a new connection must start a new stream:
/// [`start_new_stream`](Self::start_new_stream) (or [`decode_eof`](Self::decode_eof), which ends
/// with it; `EventStream::with_decoder` does it too). Nothing of the old
/// connection leaks into the new one: decoding continues exactly as a fresh decoder seeded with
/// the last event ID and reconnection time would. Send
/// [`last_event_id_header`](Self::last_event_id_header) as the new request's `Last-Event-ID`.
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
/// Memory is bounded by [`Limits`] (see there for the exact bound); exceeding one yields a
/// [`DecodeError`] once, then the decoder skips to the end of the offending event and carries on.
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
    /// The complete lines `decode` took from the caller's buffer and has not all read yet.
    block: ReadBlock,
    event: PendingEvent,
    /// The last event ID as of the last dispatch: what a reconnecting client sends.
    last_event_id: LastEventId,
    /// The length of the data of the last event dispatched with several lines: the room the
    /// next such event gets at once.
    last_lines_len: usize,
    reconnection_time: Option<u64>,
    /// The last non-empty event type read: the pending event's type when it has one, and kept
    /// across events so that a repeated type costs no allocation.
    event_type: Option<ByteString>,
}

/// Where the decoder stands in the stream's bytes: everything a new stream starts afresh.
#[derive(Debug, Clone, Default)]
struct LineState {
    start: StreamStart,
    /// The last line ended with a CR at the end of the buffer: an LF at the start of the next
    /// bytes belongs to it.
    skip_lf: bool,
    /// The partial line the last read ended with.
    held: HeldLine,
    skipping: Skipping,
}

/// Whether the stream's first bytes have been checked for a byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamStart {
    /// Still at the start: the stream has begun with `seen` bytes of a byte order mark (taken
    /// from the input, as a mark is stripped once complete).
    ByteOrderMark { seen: usize },
    /// The mark was stripped, or found absent.
    Past,
}

impl Default for StreamStart {
    fn default() -> Self {
        StreamStart::ByteOrderMark { seen: 0 }
    }
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
    Comment(Range<usize>),
    LimitExceeded(DecodeError),
}

/// What the decoder found in the caller's buffer once it had read every line it took before.
#[derive(Debug)]
enum Refill {
    /// Complete lines, now the read block.
    Block,
    /// A frame from the line held from earlier reads, which the buffer completed.
    Frame(Frame),
    /// No complete line: what is left of the buffer is held (or dropped, when skipped).
    NeedMore,
}

/// What became of the line held from earlier reads.
#[derive(Debug)]
enum HeldLineEnd {
    /// Its line end has not arrived: the new bytes were added to it.
    NotYet,
    /// It was complete and interpreted, with this frame for the caller.
    Read(Option<Frame>),
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
        self.last_event_id = LastEventId::Own(id.into());
        self
    }

    /// Seeds the reconnection time, in milliseconds, as a stream's `retry` field sets it: for a
    /// client that restores what an earlier connection taught it.
    #[must_use]
    pub fn with_reconnection_time(mut self, millis: u64) -> Self {
        self.reconnection_time = Some(millis);
        self
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The last event ID as of the last blank line, exactly as the stream set it (possibly
    /// empty). `None` if the stream never sent an `id` field and none was seeded.
    ///
    /// To know what to send when reconnecting, use
    /// [`last_event_id_header`](Self::last_event_id_header).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.get(&self.block)
    }

    /// The value a reconnecting client sends as its `Last-Event-ID` header, or `None` when it
    /// sends no such header.
    ///
    /// Spec: the header is sent only when the last event ID string is not empty, so a stream
    /// that ends its ids with an empty `id:` field is asking not to be resumed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_codec::Decoder;
    ///
    /// let mut decoder = Decoder::new();
    /// let mut buf = BytesMut::from("id: 7\ndata: a\n\n");
    /// decoder.decode(&mut buf)?;
    /// assert_eq!(decoder.last_event_id_header(), Some("7"));
    ///
    /// let mut buf = BytesMut::from("id:\ndata: b\n\n");
    /// decoder.decode(&mut buf)?;
    /// assert_eq!(decoder.last_event_id(), Some(""));
    /// assert_eq!(decoder.last_event_id_header(), None);
    /// # Ok::<(), sse_codec::DecodeError>(())
    /// ```
    pub fn last_event_id_header(&self) -> Option<&str> {
        self.last_event_id().filter(|id| !id.is_empty())
    }

    /// The last reconnection time the stream set, in milliseconds.
    pub fn reconnection_time(&self) -> Option<u64> {
        self.reconnection_time
    }

    /// Decodes the next frame from `buf`, consuming the bytes it interprets.
    ///
    /// The first call that finds complete lines in `buf` takes them, about 8 KiB of them (all of
    /// them when the first is longer), checks them as UTF-8 in one pass, and the frames they hold come out of
    /// this call and the next ones before `buf` is looked at again. Every value of
    /// those frames shares their memory: no copy, and one reference count, per value.
    ///
    /// Returns `Ok(None)` when no complete frame is left; call again after appending bytes. By
    /// then `buf` is empty and the decoder keeps nothing of its memory: a partial line at its end,
    /// and any value still pending, are the decoder's own copies. So any buffer may be passed
    /// next, the same one refilled or another.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when a [`Limits`] bound is exceeded. The offending event is skipped and the
    /// decoder stays usable: keep calling `decode`.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, DecodeError> {
        loop {
            if let Some(frame) = self.next_in_block()? {
                return Ok(Some(frame));
            }
            self.release_block();
            match self.refill(buf)? {
                Refill::Block => {}
                Refill::Frame(frame) => return Ok(Some(frame)),
                Refill::NeedMore => return Ok(None),
            }
        }
    }

    /// Decodes what is left at the end of the stream.
    ///
    /// Returns the frames still complete in `buf` one per call, then `Ok(None)` once they are all
    /// out. Before returning `Ok(None)` it discards the rest as the specification says (a last line
    /// without a line end, an event without its blank line) and, as
    /// [`start_new_stream`](Self::start_new_stream), gets ready for a new stream.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, DecodeError> {
        if let Some(frame) = self.decode(buf)? {
            return Ok(Some(frame));
        }
        buf.clear();
        self.start_new_stream();
        Ok(None)
    }

    /// Starts a new stream, such as the next connection of a reconnecting client, whatever state
    /// the old one was left in (cut in the middle of a line or an event, skipping after a limit).
    ///
    /// What the old stream left unfinished is discarded: the partial line, the pending event
    /// (data and type, and an `id` not yet followed by a blank line) and any skipping. The byte
    /// order mark is looked for again. The last event ID and the reconnection time are kept, as
    /// the WHATWG `EventSource` keeps them across reconnects. Bytes of the old stream still in a
    /// buffer of the caller are the caller's to drop.
    ///
    /// [`decode_eof`](Self::decode_eof) ends with this step; call it directly when a connection
    /// dies without an orderly end (a network error), before decoding the next one.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_codec::Decoder;
    ///
    /// let mut decoder = Decoder::new();
    /// let mut first = BytesMut::from("id: 1\ndata: a\n\ndata: cut off in the midd");
    /// decoder.decode(&mut first)?;
    /// assert_eq!(decoder.decode(&mut first)?, None);
    ///
    /// // The connection fails; the next one resumes after event 1.
    /// decoder.start_new_stream();
    /// assert_eq!(decoder.last_event_id_header(), Some("1"));
    /// let mut second = BytesMut::from("data: b\n\n");
    /// let event = decoder.decode(&mut second)?.unwrap().into_event().unwrap();
    /// assert_eq!((event.data(), event.id()), ("b", Some("1")));
    /// # Ok::<(), sse_codec::DecodeError>(())
    /// ```
    pub fn start_new_stream(&mut self) {
        self.event = PendingEvent::default();
        // The rest of the block is the old stream's; the last event ID may be a slice of it.
        self.release_block();
        self.line = LineState::default();
    }

    /// Interprets the lines of the read block until one produces a frame or none is left.
    fn next_in_block(&mut self) -> Result<Option<Frame>, DecodeError> {
        while !self.block.is_read() {
            // Out of `self` while its lines are read: values are ranges of it until dispatch.
            let mut block = core::mem::take(&mut self.block);
            let (read, stop) = self.read_lines(block.bytes(), block.read);
            block.read = read;
            let frame = match stop {
                Stop::NeedMore => None,
                Stop::Dispatch => self.dispatch(&block),
                Stop::Retry(millis) => Some(Frame::Retry(millis)),
                Stop::Comment(range) => Some(Frame::Comment(block.text(range))),
                Stop::LimitExceeded(error) => {
                    self.block = block;
                    return Err(error);
                }
            };
            self.block = block;
            if frame.is_some() {
                return Ok(frame);
            }
        }
        Ok(None)
    }

    /// Gets the next complete lines from `buf` once the read block is read: the line held from
    /// earlier reads first, then every complete line left, taken as the new read block in one
    /// split. What follows the last line end is held for the next read.
    fn refill(&mut self, buf: &mut BytesMut) -> Result<Refill, DecodeError> {
        if !self.past_byte_order_mark(buf) {
            return Ok(Refill::NeedMore);
        }
        match self.complete_held_line(buf)? {
            HeldLineEnd::NotYet => return Ok(Refill::NeedMore),
            HeldLineEnd::Read(Some(frame)) => return Ok(Refill::Frame(frame)),
            HeldLineEnd::Read(None) => {}
        }
        if self.line.skip_lf {
            match buf.first() {
                None => return Ok(Refill::NeedMore),
                Some(b'\n') => buf.advance(1),
                Some(_) => {}
            }
            self.line.skip_lf = false;
        }
        if let Some(block_end) = read_block_end(buf) {
            self.block = ReadBlock::new(buf.split_to(block_end).freeze());
            return Ok(Refill::Block);
        }
        let (_, stop) = self.hold_partial_line(buf, 0);
        buf.clear();
        match stop {
            Stop::LimitExceeded(error) => Err(error),
            _ => Ok(Refill::NeedMore),
        }
    }

    /// Copies what the decoder keeps out of the read block and drops it, before it asks for more
    /// bytes: from then on the caller may drop or reuse its buffers.
    fn release_block(&mut self) {
        let block = core::mem::take(&mut self.block);
        self.event.release(block.bytes());
        self.last_event_id.release(&block);
    }

    /// Deals with a byte order mark at the start of the stream, consuming what it reads of one.
    /// Returns `false` while the bytes so far are a proper prefix of one.
    fn past_byte_order_mark(&mut self, buf: &mut BytesMut) -> bool {
        let StreamStart::ByteOrderMark { seen } = self.line.start else {
            return true;
        };
        let expected = &BOM[seen..];
        let compared = buf.len().min(expected.len());
        if buf[..compared] != expected[..compared] {
            // Not a byte order mark: what was taken of one starts the first line.
            let limit = self.limits.line_len();
            self.line.held.extend(&BOM[..seen], limit);
            self.line.start = StreamStart::Past;
            return true;
        }
        buf.advance(compared);
        if seen + compared == BOM.len() {
            self.line.start = StreamStart::Past;
            return true;
        }
        self.line.start = StreamStart::ByteOrderMark {
            seen: seen + compared,
        };
        false
    }

    /// Finishes the line held from earlier reads with the bytes up to the first line end of
    /// `buf`, and interprets it. A held line is never blank, so it dispatches nothing.
    fn complete_held_line(&mut self, buf: &mut BytesMut) -> Result<HeldLineEnd, DecodeError> {
        if self.line.held.is_empty() {
            return Ok(HeldLineEnd::Read(None));
        }
        let limit = self.limits.line_len();
        let Some(end) = find_line_end(buf) else {
            if self.line.held.len().saturating_add(buf.len()) > limit {
                self.line.held.clear();
                buf.clear();
                return Err(
                    self.skip_event(Skipping::RestOfLine, DecodeError::LineTooLong { limit })
                );
            }
            self.line.held.extend(buf, limit);
            buf.clear();
            return Ok(HeldLineEnd::NotYet);
        };
        let next = self.after_line_end(buf, end);
        if self.line.held.len().saturating_add(end) > limit {
            self.line.held.clear();
            buf.advance(next);
            return Err(self.skip_event(Skipping::RestOfEvent, DecodeError::LineTooLong { limit }));
        }
        self.line.held.extend(&buf[..end], limit);
        buf.advance(next);
        // The line is the decoder's own memory: its values may share it without pinning the
        // caller's buffers.
        let line = Bytes::from(self.line.held.take());
        let stop = self.interpret_line(&line, 0..line.len());
        let comment = match &stop {
            Some(Stop::Comment(range)) => Some(range.clone()),
            _ => None,
        };
        let comment = self.event.share_from(&line, comment);
        match stop {
            None | Some(Stop::NeedMore | Stop::Dispatch) => Ok(HeldLineEnd::Read(None)),
            Some(Stop::Retry(millis)) => Ok(HeldLineEnd::Read(Some(Frame::Retry(millis)))),
            Some(Stop::Comment(_)) => Ok(HeldLineEnd::Read(comment.map(Frame::Comment))),
            Some(Stop::LimitExceeded(error)) => Err(error),
        }
    }

    /// Where the line that ends at `input[end]` is followed by the next one. A CR at the end of
    /// the input ends its line at once (spec: CR alone is a line end); an LF that follows it, when
    /// it comes, is the second half of a CRLF and is skipped.
    fn after_line_end(&mut self, input: &[u8], end: usize) -> usize {
        match (input[end], input.get(end + 1)) {
            (b'\r', Some(b'\n')) => end + 2,
            (b'\r', None) => {
                self.line.skip_lf = true;
                end + 1
            }
            _ => end + 1,
        }
    }

    /// Interprets the complete lines of `input` from `from` on, until one produces something for
    /// the caller or none is left. Returns where it stopped reading, and why. Values are
    /// remembered as ranges of `input`.
    fn read_lines(&mut self, input: &[u8], from: usize) -> (usize, Stop) {
        let mut start = from;
        // Only the first line can start with the LF of a CRLF split across reads: a CR that ends
        // its line later in `input` has its LF at hand, and one that ends `input` ends the pass.
        if self.line.skip_lf {
            match input.get(start) {
                None => return (start, Stop::NeedMore),
                Some(b'\n') => start += 1,
                Some(_) => {}
            }
            self.line.skip_lf = false;
        }
        loop {
            let Some(offset) = find_line_end(&input[start..]) else {
                return self.hold_partial_line(input, start);
            };
            let end = start + offset;
            let line = start..end;
            start = self.after_line_end(input, end);
            if let Some(stop) = self.interpret_line(input, line) {
                return (start, stop);
            }
        }
    }

    /// Interprets one complete line, `input[line]`, without its line end. Returns what it
    /// produces for the caller, if anything.
    // Inlined into the line loop, its hot caller: one call per line costs a tenth of a small
    // event's decoding.
    #[inline(always)]
    fn interpret_line(&mut self, input: &[u8], line: Range<usize>) -> Option<Stop> {
        match self.line.skipping {
            Skipping::Nothing => {}
            Skipping::RestOfLine => {
                self.line.skipping = Skipping::RestOfEvent;
                return None;
            }
            Skipping::RestOfEvent if line.is_empty() => {
                self.line.skipping = Skipping::Nothing;
                self.event = PendingEvent::default();
                return None;
            }
            Skipping::RestOfEvent => return None,
        }
        if line.is_empty() {
            if self.event.data.is_empty() && matches!(self.event.id, IdUpdate::Unchanged) {
                // A dispatch that fires nothing and leaves the last event ID as it is (the blank
                // line after a keep-alive comment): all it does is reset the event type buffer.
                self.event.has_event_type = false;
                return None;
            }
            return Some(Stop::Dispatch);
        }
        if line.len() > self.limits.line_len() {
            return Some(Stop::LimitExceeded(self.line_too_long()));
        }
        let (field, value_start) = parse_field(&input[line.clone()]);
        let value = line.start + value_start..line.end;
        match field {
            Field::Data => self
                .append_data(input, value)
                .err()
                .map(Stop::LimitExceeded),
            Field::Event => self
                .set_event_type(&input[value])
                .err()
                .map(Stop::LimitExceeded),
            // Spec: an id containing NUL is ignored.
            Field::Id if !input[value.clone()].contains(&0) => {
                if self.decodes_past_line_limit(&input[value.clone()]) {
                    return Some(Stop::LimitExceeded(self.line_too_long()));
                }
                self.event.id = IdUpdate::InInput(value);
                None
            }
            Field::Retry => {
                let millis = parse_retry(&input[value])?;
                self.reconnection_time = Some(millis);
                Some(Stop::Retry(millis))
            }
            Field::Comment if self.comments => Some(Stop::Comment(value)),
            Field::Id | Field::Comment | Field::Ignored => None,
        }
    }

    /// Deals with the bytes after the last line end: held for the next call, or dropped when they
    /// are too long or belong to a skipped event. Either way they are consumed from the input.
    fn hold_partial_line(&mut self, input: &[u8], start: usize) -> (usize, Stop) {
        let partial = &input[start..];
        if self.line.skipping != Skipping::Nothing {
            // Only the blank line that ends a skipped event matters, and a partial line is not
            // blank: nothing of it needs keeping.
            if !partial.is_empty() {
                self.line.skipping = Skipping::RestOfLine;
            }
            return (input.len(), Stop::NeedMore);
        }
        let limit = self.limits.line_len();
        if partial.len() > limit {
            let error = self.skip_event(Skipping::RestOfLine, DecodeError::LineTooLong { limit });
            return (input.len(), Stop::LimitExceeded(error));
        }
        self.line.held.extend(partial, limit);
        (input.len(), Stop::NeedMore)
    }

    /// The error for a complete line over the limit, whose event is then skipped.
    fn line_too_long(&mut self) -> DecodeError {
        let limit = self.limits.line_len();
        self.skip_event(Skipping::RestOfEvent, DecodeError::LineTooLong { limit })
    }

    /// Whether a value kept as text across events (an event type, an id) would take more than the
    /// line limit once decoded (U+FFFD takes three bytes for one invalid input byte).
    fn decodes_past_line_limit(&self, value: &[u8]) -> bool {
        let limit = self.limits.line_len();
        could_decode_past(value.len(), limit) && decoded_len(value) > limit
    }

    /// Drops the event being read after a limit was exceeded.
    fn skip_event(&mut self, skipping: Skipping, error: DecodeError) -> DecodeError {
        self.event = PendingEvent::default();
        self.line.skipping = skipping;
        error
    }

    /// Appends a `data` value to the data buffer, enforcing the event size limit on the decoded
    /// text (what the dispatched event's data will be).
    fn append_data(&mut self, input: &[u8], value: Range<usize>) -> Result<(), DecodeError> {
        let limit = self.limits.event_size();
        let line = &input[value.clone()];
        if self.event.data.is_empty() {
            // The usual single line stays in the input; only a line that could decode past the
            // limit needs measuring.
            if could_decode_past(line.len(), limit) && decoded_len(line) > limit {
                return Err(self.event_too_large());
            }
            self.event.data = DataBuffer::InInput(value);
            return Ok(());
        }
        // Appended in place: the lines are moved only when they are first made.
        let appended = match &mut self.event.data {
            DataBuffer::Lines(lines) => lines.append(line, limit),
            data => {
                let room = Room {
                    bound: limit,
                    likely_len: self.last_lines_len,
                };
                let mut lines = data.take_lines(input, line.len(), room);
                let appended = lines.append(line, limit);
                *data = DataBuffer::Lines(lines);
                appended
            }
        };
        appended.map_err(|_| self.event_too_large())
    }

    fn event_too_large(&mut self) -> DecodeError {
        let limit = self.limits.event_size();
        self.skip_event(Skipping::RestOfEvent, DecodeError::EventTooLarge { limit })
    }

    fn set_event_type(&mut self, value: &[u8]) -> Result<(), DecodeError> {
        if self.decodes_past_line_limit(value) {
            return Err(self.line_too_long());
        }
        self.event.has_event_type = !value.is_empty();
        let cached = self
            .event_type
            .as_ref()
            .is_some_and(|cached| cached.as_bytes() == value);
        if self.event.has_event_type && !cached {
            // A copy, not a slice of the input: it is kept across events and must not pin a
            // large input buffer in memory. Types repeat, so this is rare.
            self.event_type = Some(text_copied(value));
        }
        Ok(())
    }

    /// Spec: at dispatch, the last event ID string takes the last event ID buffer's value.
    /// `block` is the read an [`IdUpdate::InInput`] range points into.
    fn update_last_event_id(&mut self, id: IdUpdate, block: &ReadBlock) {
        match id {
            IdUpdate::Unchanged => {}
            IdUpdate::InInput(range) => self.last_event_id.set_in_block(block, range),
            IdUpdate::Set(id) => self.last_event_id = LastEventId::Own(id),
        }
    }

    /// The spec's "dispatch the event" steps, run at each blank line of `block`.
    fn dispatch(&mut self, block: &ReadBlock) -> Option<Frame> {
        let PendingEvent {
            has_event_type,
            data,
            id,
        } = core::mem::take(&mut self.event);
        self.update_last_event_id(id, block);
        if let DataBuffer::Lines(lines) = &data {
            self.last_lines_len = lines.bytes.len();
        }
        Some(Frame::Event(Event {
            event_type: if has_event_type {
                self.event_type.clone()
            } else {
                None
            },
            data: data.into_text(block)?,
            id: self.last_event_id.for_event(block),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BufMut;

    #[test]
    fn a_line_trickling_in_is_held_by_the_decoder() {
        let mut decoder = Decoder::new();
        let mut buf = BytesMut::new();
        for (read, byte) in b"data: no line end yet".iter().enumerate() {
            buf.put_u8(*byte);
            assert_eq!(decoder.decode(&mut buf), Ok(None));
            assert!(
                buf.is_empty(),
                "the partial line is taken out of the buffer"
            );
            assert_eq!(decoder.line.held.len(), read + 1);
        }
        buf.put_slice(b"\n\n");
        let event = decoder
            .decode(&mut buf)
            .unwrap()
            .unwrap()
            .into_event()
            .unwrap();
        assert_eq!(event.data(), "no line end yet");
        assert!(decoder.line.held.is_empty());
    }

    #[test]
    fn a_held_line_never_reserves_past_the_line_limit() {
        let limit = 1000;
        let mut decoder = Decoder::new().with_limits(Limits::default().max_line_len(limit));
        let mut buf = BytesMut::new();
        buf.put_slice(b"data: ");
        for _ in 0..(limit - 6) / 7 {
            buf.put_slice(b"0123456");
            assert_eq!(decoder.decode(&mut buf), Ok(None));
            assert!(decoder.line.held.capacity() <= limit);
        }
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

    #[test]
    fn the_data_buffer_never_reserves_past_the_event_size() {
        let limit = 500;
        let mut decoder = Decoder::new().with_limits(Limits::default().max_event_size(limit));
        let mut buf = BytesMut::new();
        let mut check = |line: &[u8]| {
            buf.put_slice(line);
            while let Ok(Some(_)) | Err(_) = decoder.decode(&mut buf) {}
            if let DataBuffer::Lines(lines) = &decoder.event.data {
                assert!(
                    lines.bytes.capacity() <= limit,
                    "{}",
                    lines.bytes.capacity()
                );
            }
        };
        let data = |len: usize| [&b"data: "[..], &alloc::vec![b'x'; len], b"\n"].concat();
        // Lines of growing length, then events of equal lines up to the limit: every way the
        // buffer can come to be exactly full.
        (1..40).chain(1..40).for_each(|len| check(&data(len)));
        for len in [1, 2, 3, 5, 7, 10] {
            check(b"\n");
            check(&data(1));
            (0..=limit / (len + 1)).for_each(|_| check(&data(len)));
        }
    }

    #[test]
    fn an_event_of_several_lines_gets_room_for_data_like_the_last_at_once() {
        let capacity = |decoder: &Decoder| match &decoder.event.data {
            DataBuffer::Lines(lines) => lines.bytes.capacity(),
            other => panic!("not lines: {other:?}"),
        };
        let mut decoder = Decoder::new();
        let line = alloc::format!("data: {}\n", "x".repeat(40));
        let event = line.repeat(20) + "\n";
        let mut buf = BytesMut::from(event.as_str());
        assert_eq!(
            decoder
                .decode(&mut buf)
                .unwrap()
                .unwrap()
                .into_event()
                .unwrap()
                .data()
                .len(),
            20 * 41 - 1
        );
        buf.put_slice(line.repeat(2).as_bytes());
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        assert!(capacity(&decoder) >= 20 * 41 - 1, "{}", capacity(&decoder));

        // After a large event, a small one reserves no more than 16 times its first two lines
        // (here less than the usual room).
        let mut decoder = Decoder::new();
        let mut buf =
            BytesMut::from(alloc::format!("data: {}\ndata: y\n\n", "x".repeat(100_000)).as_str());
        decoder.decode(&mut buf).unwrap().unwrap();
        buf.put_slice(b"data: a\ndata: b\n");
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        assert_eq!(capacity(&decoder), 2 * 3 + 64, "the usual room, not 100 KB");
    }

    #[test]
    fn debug_shows_a_held_line_by_its_length_not_its_bytes() {
        let mut decoder = Decoder::new();
        let mut buf = BytesMut::from("data: ab");
        assert_eq!(decoder.decode(&mut buf), Ok(None));
        let debug = alloc::format!("{decoder:?}");
        assert!(debug.contains("HeldLine { len: 8 }"), "{debug}");
        assert!(!debug.contains("97, 98"), "{debug}");
    }
}
