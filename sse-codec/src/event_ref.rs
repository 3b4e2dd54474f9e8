//! Borrowed views of decoded frames, for [`Decoder::decode_with`](crate::Decoder::decode_with).

use alloc::borrow::Cow;

use bytestring::ByteString;

use crate::event::{DEFAULT_EVENT_TYPE, Event, Frame};

/// A decoded frame that borrows its text from the input buffer or the decoder, valid for the
/// duration of one [`Decoder::decode_with`](crate::Decoder::decode_with) callback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameRef<'a> {
    /// A dispatched event.
    Event(EventRef<'a>),
    /// A reconnection time in milliseconds.
    Retry(u64),
    /// A comment (only when the decoder reports comments).
    Comment(Cow<'a, str>),
}

/// A dispatched event, borrowed: see [`FrameRef`].
///
/// Text is borrowed when it is valid UTF-8 (the usual case) and replaced with an owned, lossily
/// decoded copy when it is not, so that it reads exactly as [`Event`] would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRef<'a> {
    pub(crate) event_type: Option<&'a str>,
    pub(crate) data: Cow<'a, str>,
    pub(crate) id: Option<Cow<'a, str>>,
}

impl<'a> EventRef<'a> {
    /// The event type, or [`DEFAULT_EVENT_TYPE`] (`message`) when the stream set none.
    pub fn event_type(&self) -> &str {
        self.event_type.unwrap_or(DEFAULT_EVENT_TYPE)
    }

    /// The event type only if the stream set one.
    pub fn explicit_event_type(&self) -> Option<&'a str> {
        self.event_type
    }

    /// The data.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The stream's last event ID at dispatch, as [`Event::id`].
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// An owned copy, the same as what [`Decoder::decode`](crate::Decoder::decode) returns.
    pub fn to_event(&self) -> Event {
        Event {
            event_type: self.event_type.map(ByteString::from),
            data: ByteString::from(&*self.data),
            id: self.id.as_deref().map(ByteString::from),
        }
    }
}

impl Frame {
    /// A borrowed view of this frame, as [`Decoder::decode_with`](crate::Decoder::decode_with)
    /// hands out.
    pub(crate) fn as_frame_ref(&self) -> FrameRef<'_> {
        match self {
            Frame::Event(event) => FrameRef::Event(EventRef {
                event_type: event.explicit_event_type(),
                data: Cow::Borrowed(event.data()),
                id: event.id().map(Cow::Borrowed),
            }),
            Frame::Retry(millis) => FrameRef::Retry(*millis),
            Frame::Comment(text) => FrameRef::Comment(Cow::Borrowed(text)),
        }
    }
}

impl FrameRef<'_> {
    /// An owned copy, the same as what [`Decoder::decode`](crate::Decoder::decode) returns.
    pub fn to_frame(&self) -> Frame {
        match self {
            FrameRef::Event(event) => Frame::Event(event.to_event()),
            FrameRef::Retry(millis) => Frame::Retry(*millis),
            FrameRef::Comment(text) => Frame::Comment(ByteString::from(&**text)),
        }
    }
}
