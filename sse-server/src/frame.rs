//! What a server stream may carry: values that become one encoded frame.

use std::convert::Infallible;
use std::fmt;

use bytes::{Bytes, BytesMut};
use sse_codec::{Event, Frame};

/// A value that becomes one encoded `text/event-stream` frame.
///
/// Implemented for [`Event`] and [`Frame`], which are encoded here, and for [`Bytes`], which is
/// taken to be a frame encoded already (by [`Event::to_bytes`] or [`Frame::to_bytes`]) and is
/// passed through untouched: a broadcast encodes an event once and clones the `Bytes` to every
/// connection.
///
/// Implement it for a type of your own to stream that type directly.
///
/// # Examples
///
/// ```
/// use sse_codec::Event;
/// use sse_server::IntoFrame;
///
/// let frame = Event::new("42").with_event_type("tick").into_frame();
/// assert_eq!(&frame[..], b"event: tick\ndata: 42\n\n");
/// ```
pub trait IntoFrame {
    /// Encodes the value as one complete frame.
    fn into_frame(self) -> Bytes;

    /// Appends the value's frame to `chunk`, for a body that sends several ready frames in one
    /// chunk. The default copies [`into_frame`](Self::into_frame)'s bytes; a type that can
    /// encode in place (as [`Event`] and [`Frame`] do) saves the frame's own allocation.
    fn encode_into(self, chunk: &mut BytesMut)
    where
        Self: Sized,
    {
        chunk.extend_from_slice(&self.into_frame());
    }
}

impl IntoFrame for Event {
    fn into_frame(self) -> Bytes {
        self.to_bytes()
    }

    fn encode_into(self, chunk: &mut BytesMut) {
        self.encode(chunk);
    }
}

impl IntoFrame for Frame {
    fn into_frame(self) -> Bytes {
        self.to_bytes()
    }

    fn encode_into(self, chunk: &mut BytesMut) {
        self.encode(chunk);
    }
}

/// A frame encoded already. It must be whole frames (ending with the blank line of an event, or
/// the line end of a comment or retry), or the next frame would be glued onto it.
impl IntoFrame for Bytes {
    fn into_frame(self) -> Bytes {
        self
    }
}

/// An item of a user's stream: a frame, or an error that ends the response.
///
/// Implemented for every [`IntoFrame`] type (which cannot fail) and for `Result<T, E>` with
/// `T: IntoFrame`, so that a stream may yield either plain events or results of them.
///
/// # Examples
///
/// ```
/// use sse_codec::Event;
/// use sse_server::TryIntoFrame;
///
/// let ok: Result<Event, String> = Ok(Event::new("x"));
/// assert_eq!(&ok.try_into_frame().unwrap()[..], b"data: x\n\n");
/// let failed: Result<Event, String> = Err("database gone".into());
/// assert_eq!(failed.try_into_frame().unwrap_err(), "database gone");
/// ```
pub trait TryIntoFrame {
    /// Why the stream could not produce a frame; logged when it ends the response.
    type Error: fmt::Display;

    /// Encodes the item as one complete frame.
    ///
    /// # Errors
    ///
    /// The item's own error, for a `Result` item that is `Err`.
    fn try_into_frame(self) -> Result<Bytes, Self::Error>;

    /// Appends the item's frame to `chunk`, as [`IntoFrame::encode_into`] does.
    ///
    /// # Errors
    ///
    /// The item's own error, for a `Result` item that is `Err`; `chunk` is then unchanged.
    fn try_encode_into(self, chunk: &mut BytesMut) -> Result<(), Self::Error>
    where
        Self: Sized,
    {
        chunk.extend_from_slice(&self.try_into_frame()?);
        Ok(())
    }
}

impl<T: IntoFrame> TryIntoFrame for T {
    type Error = Infallible;

    fn try_into_frame(self) -> Result<Bytes, Infallible> {
        Ok(self.into_frame())
    }

    fn try_encode_into(self, chunk: &mut BytesMut) -> Result<(), Infallible> {
        self.encode_into(chunk);
        Ok(())
    }
}

// Does not overlap the impl above: `IntoFrame` is local and not implemented for `Result`, and no
// other crate may implement it for `Result` (the orphan rule), so coherence can rely on that.
impl<T: IntoFrame, E: fmt::Display> TryIntoFrame for Result<T, E> {
    type Error = E;

    fn try_into_frame(self) -> Result<Bytes, E> {
        self.map(IntoFrame::into_frame)
    }

    fn try_encode_into(self, chunk: &mut BytesMut) -> Result<(), E> {
        self.map(|item| item.encode_into(chunk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_encoded_bytes_pass_through_without_a_copy() {
        let encoded = Event::new("shared").to_bytes();
        let passed = encoded.clone().into_frame();
        assert_eq!(passed.as_ptr(), encoded.as_ptr());
        assert_eq!(passed.len(), encoded.len());
    }

    #[test]
    fn frames_of_every_kind_are_encoded() {
        assert_eq!(&Frame::Retry(500).into_frame()[..], b"retry: 500\n");
        assert_eq!(&Frame::comment("hi").into_frame()[..], b":hi\n");
    }

    #[test]
    fn encoding_into_a_chunk_appends_what_into_frame_gives() {
        let mut chunk = BytesMut::from(&b"before\n"[..]);
        Event::new("a").with_id("1").encode_into(&mut chunk);
        Frame::Retry(5).encode_into(&mut chunk);
        Bytes::from_static(b":c\n").encode_into(&mut chunk);
        let failed: Result<Event, &str> = Err("boom");
        assert_eq!(failed.try_encode_into(&mut chunk), Err("boom"));
        assert_eq!(&chunk[..], b"before\nid: 1\ndata: a\n\nretry: 5\n:c\n");
    }

    #[test]
    fn result_items_carry_their_error() {
        let item: Result<Frame, &str> = Err("boom");
        assert_eq!(item.try_into_frame(), Err("boom"));
        let item: Result<Bytes, &str> = Ok(Bytes::from_static(b"data: a\n\n"));
        assert_eq!(item.try_into_frame().unwrap(), &b"data: a\n\n"[..]);
    }
}
