//! Decoding without owning: every complete frame of a buffer, handed to a callback as views.

use alloc::borrow::Cow;

use bytes::BytesMut;

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
        if !self.past_byte_order_mark(buf) {
            return Ok(());
        }
        match self.complete_held_line(buf)? {
            HeldLineEnd::NotYet => return Ok(()),
            HeldLineEnd::Read(Some(frame)) => visit(frame.as_frame_ref()),
            HeldLineEnd::Read(None) => {}
        }
        // Where an `id` field of this call set the last event ID: it is read from `buf` until
        // the call ends, and only then kept, once, however many events set it.
        let mut id_in_input = None;
        let mut read = 0;
        let result = loop {
            let (stopped, stop) = self.read_lines(buf, read);
            read = stopped;
            match stop {
                Stop::NeedMore => break Ok(()),
                Stop::LimitExceeded(error) => break Err(error),
                Stop::Retry(millis) => visit(FrameRef::Retry(millis)),
                Stop::Comment(range) => visit(FrameRef::Comment(text_ref(&buf[range]))),
                Stop::Dispatch => {
                    let PendingEvent {
                        has_event_type,
                        data,
                        id,
                    } = core::mem::take(&mut self.event);
                    match id {
                        IdUpdate::Unchanged => {}
                        IdUpdate::InInput(range) => id_in_input = Some(range),
                        set => {
                            id_in_input = None;
                            self.update_last_event_id(set);
                        }
                    }
                    let data = match &data {
                        DataBuffer::Empty => continue,
                        DataBuffer::InInput(range) => text_ref(&buf[range.clone()]),
                        // Decoded already.
                        DataBuffer::InRead(line) | DataBuffer::OneLine(line) => {
                            Cow::Borrowed(&**line)
                        }
                        DataBuffer::Lines(lines) => text_ref(&lines.bytes),
                    };
                    let id = match &id_in_input {
                        Some(range) => Some(text_ref(&buf[range.clone()])),
                        None => self.last_event_id.as_deref().map(Into::into),
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
            self.last_event_id = Some(text_copied(&buf[range]));
            self.last_event_id_in_read = false;
        }
        self.event.consume(buf, read, None);
        self.release_read();
        result
    }
}
