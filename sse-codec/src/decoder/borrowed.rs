//! Decoding without owning: every complete frame of a buffer, handed to a callback as views.

use alloc::borrow::Cow;
use core::ops::Range;

use bytes::{Buf, BytesMut};

use super::last_event_id::LastEventId;
use super::pending::{DataBuffer, IdUpdate, PendingEvent};
use super::{Decoder, HeldLineEnd, Stop};
use crate::error::DecodeError;
use crate::event_ref::{EventRef, FrameRef};
use crate::text::{text_copied, text_ref};

impl Decoder {
    /// Decodes every complete frame in `buf`, calling `visit` with each, then consumes what it
    /// read; a partial line at the end is kept by the decoder for the next call, as with
    /// [`decode`](Self::decode).
    ///
    /// The frames are the same as [`decode`](Self::decode) returns, one by one, but borrowed:
    /// an event's text points into `buf` (or into the decoder, for an event type or data that
    /// spans several lines or reads), so decoding allocates nothing and counts no references for
    /// most events. Use it when the frames are consumed on the spot: parsed, filtered, counted,
    /// forwarded. [`FrameRef::to_frame`] makes an owned copy.
    ///
    /// # Errors
    ///
    /// A [`DecodeError`] when a [`Limits`](crate::Limits) bound is exceeded, after the frames
    /// before it were visited. As with `decode`, the offending event is skipped: call again to go
    /// on with the rest of `buf`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_codec::{Decoder, FrameRef};
    ///
    /// let mut decoder = Decoder::new();
    /// let mut buf = BytesMut::from("event: tick\ndata: 1\n\nevent: tick\ndata: 2\n\ndata: partial");
    /// let mut sum = 0;
    /// decoder.decode_with(&mut buf, |frame| {
    ///     if let FrameRef::Event(event) = frame {
    ///         sum += event.data().parse::<u32>().unwrap();
    ///     }
    /// })?;
    /// assert_eq!(sum, 3);
    /// assert!(buf.is_empty(), "the partial line is the decoder's now");
    /// # Ok::<(), sse_codec::DecodeError>(())
    /// ```
    pub fn decode_with<F>(&mut self, buf: &mut BytesMut, mut visit: F) -> Result<(), DecodeError>
    where
        F: FnMut(FrameRef<'_>),
    {
        // Lines an earlier `decode` took from the stream come first.
        while let Some(frame) = self.next_in_block()? {
            visit(frame.as_frame_ref());
        }
        self.release_block();
        if !self.past_byte_order_mark(buf) {
            return Ok(());
        }
        match self.complete_held_line(buf)? {
            HeldLineEnd::NotYet => return Ok(()),
            HeldLineEnd::Read(Some(frame)) => visit(frame.as_frame_ref()),
            HeldLineEnd::Read(None) => {}
        }
        let input: &[u8] = buf;
        // One UTF-8 check for every complete line, rather than one per value.
        let complete = memchr::memrchr2(b'\n', b'\r', input).map_or(0, |end| end + 1);
        let text = core::str::from_utf8(&input[..complete]).ok();
        let value = |range: Range<usize>| match text.and_then(|text| text.get(range.clone())) {
            Some(value) => Cow::Borrowed(value),
            None => text_ref(&input[range]),
        };
        // Where an `id` field of this call set the last event ID: it is read from `buf` until
        // the call ends, and only then kept, once, however many events set it.
        let mut id_in_input = None;
        let mut read = 0;
        let result = loop {
            let (stopped, stop) = self.read_lines(input, read);
            read = stopped;
            match stop {
                Stop::NeedMore => break Ok(()),
                Stop::LimitExceeded(error) => break Err(error),
                Stop::Retry(millis) => visit(FrameRef::Retry(millis)),
                Stop::Comment(range) => visit(FrameRef::Comment(value(range))),
                Stop::Dispatch => {
                    let PendingEvent {
                        has_event_type,
                        data,
                        id,
                    } = core::mem::take(&mut self.event);
                    if let DataBuffer::Lines(lines) = &data {
                        self.last_lines_len = lines.bytes.len();
                    }
                    match id {
                        IdUpdate::Unchanged => {}
                        IdUpdate::InInput(range) => id_in_input = Some(range),
                        IdUpdate::Set(id) => {
                            id_in_input = None;
                            self.last_event_id = LastEventId::Own(id);
                        }
                    }
                    let data = match &data {
                        DataBuffer::Empty => continue,
                        DataBuffer::InInput(range) => value(range.clone()),
                        // Decoded already.
                        DataBuffer::OneLine(line) => Cow::Borrowed(&**line),
                        DataBuffer::Lines(lines) => text_ref(&lines.bytes),
                    };
                    let id = match &id_in_input {
                        Some(range) => Some(value(range.clone())),
                        None => self.last_event_id().map(Into::into),
                    };
                    visit(FrameRef::Event(EventRef {
                        event_type: if has_event_type {
                            self.event_type.as_deref()
                        } else {
                            None
                        },
                        data,
                        id,
                    }));
                }
            }
        };
        if let Some(range) = id_in_input {
            self.last_event_id = LastEventId::Own(text_copied(&input[range]));
        }
        self.event.release(&input[..read]);
        buf.advance(read);
        result
    }
}
