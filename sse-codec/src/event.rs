//! The event model shared by the encoder and the decoder.

use bytestring::ByteString;

use crate::error::FieldError;
use crate::field_rules::{check_event_type, check_id};

/// The event type a dispatched event has when the stream did not set one.
pub const DEFAULT_EVENT_TYPE: &str = "message";

/// One server-sent event: an optional type, the data, and an optional id.
///
/// The same type is what the [`Decoder`](crate::Decoder) yields and what the encoder writes, so
/// that `decode(encode(event)) == event` holds (see [`Frame`] for the one normalisation: line
/// breaks in data arrive as LF).
///
/// Values are [`ByteString`]s: UTF-8 text backed by [`bytes::Bytes`]. A decoded single-line value
/// shares the input buffer instead of copying it, and an encoded event can be cloned cheaply.
///
/// # Examples
///
/// ```
/// use sse_codec::Event;
///
/// let event = Event::new("{\"price\":42}").with_event_type("tick").with_id("7");
/// assert_eq!(event.event_type(), "tick");
/// assert_eq!(event.data(), "{\"price\":42}");
/// assert_eq!(event.id(), Some("7"));
/// assert_eq!(&event.to_bytes()[..], b"event: tick\nid: 7\ndata: {\"price\":42}\n\n");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Event {
    pub(crate) event_type: Option<ByteString>,
    pub(crate) data: ByteString,
    pub(crate) id: Option<ByteString>,
}

impl Event {
    /// Creates an event of the default type (`message`) carrying `data`.
    ///
    /// Data may hold any text: line breaks (LF, CR or CRLF) are written as several `data:`
    /// lines, which a receiver joins with LF.
    #[inline]
    pub fn new(data: impl Into<ByteString>) -> Self {
        Event {
            event_type: None,
            data: data.into(),
            id: None,
        }
    }

    /// Replaces the data.
    #[must_use]
    #[inline]
    pub fn with_data(mut self, data: impl Into<ByteString>) -> Self {
        self.data = data.into();
        self
    }

    /// Sets the event type, which a browser dispatches to `addEventListener(type, ...)`.
    ///
    /// An empty type is the same as no type: receivers see `message`.
    ///
    /// # Panics
    ///
    /// Panics if `event_type` contains CR or LF, which would end the field early and let the rest
    /// of the value inject other fields. Use [`try_with_event_type`](Self::try_with_event_type)
    /// for values that are not known to be safe.
    #[must_use]
    #[track_caller]
    #[inline]
    pub fn with_event_type(self, event_type: impl Into<ByteString>) -> Self {
        match self.try_with_event_type(event_type) {
            Ok(event) => event,
            Err(error) => refused(error),
        }
    }

    /// Sets the event type, refusing a value that cannot go on the wire.
    ///
    /// # Errors
    ///
    /// [`FieldError::LineBreakInEventType`] if the value contains CR or LF.
    ///
    /// # Examples
    ///
    /// ```
    /// use sse_codec::{Event, FieldError};
    ///
    /// let refused = Event::new("x").try_with_event_type("tick\ndata: forged");
    /// assert_eq!(refused, Err(FieldError::LineBreakInEventType { position: 4 }));
    /// ```
    #[inline]
    pub fn try_with_event_type(
        mut self,
        event_type: impl Into<ByteString>,
    ) -> Result<Self, FieldError> {
        let event_type = event_type.into();
        check_event_type(&event_type)?;
        self.event_type = (!event_type.is_empty()).then_some(event_type);
        Ok(self)
    }

    /// Sets the id, which the receiver remembers and sends back as `Last-Event-ID` when it
    /// reconnects. An empty id resets the receiver's last event ID.
    ///
    /// # Panics
    ///
    /// Panics if `id` contains CR, LF or NUL (a receiver ignores an id with NUL). Use
    /// [`try_with_id`](Self::try_with_id) for values that are not known to be safe.
    #[must_use]
    #[track_caller]
    #[inline]
    pub fn with_id(self, id: impl Into<ByteString>) -> Self {
        match self.try_with_id(id) {
            Ok(event) => event,
            Err(error) => refused(error),
        }
    }

    /// Sets the id, refusing a value that cannot go on the wire.
    ///
    /// # Errors
    ///
    /// [`FieldError::LineBreakInId`] if the value contains CR or LF, [`FieldError::NulInId`] if
    /// it contains NUL.
    #[inline]
    pub fn try_with_id(mut self, id: impl Into<ByteString>) -> Result<Self, FieldError> {
        let id = id.into();
        check_id(&id)?;
        self.id = Some(id);
        Ok(self)
    }

    /// The event type: the one set, or [`DEFAULT_EVENT_TYPE`] (`message`).
    pub fn event_type(&self) -> &str {
        self.event_type.as_deref().unwrap_or(DEFAULT_EVENT_TYPE)
    }

    /// The event type only if one was set (decoded: the stream sent a non-empty `event` field).
    pub fn explicit_event_type(&self) -> Option<&str> {
        self.event_type.as_deref()
    }

    /// The data.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// The id. For a decoded event this is the stream's last event ID at the moment of dispatch,
    /// which persists from earlier events, as a browser's `MessageEvent.lastEventId` does; `None`
    /// until the stream sends an `id` field (or the decoder is seeded with one).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The data as the shared [`ByteString`], for passing on without copying.
    pub fn data_string(&self) -> &ByteString {
        &self.data
    }

    /// Takes the event apart: `(type, data, id)`, without copying.
    pub fn into_parts(self) -> (Option<ByteString>, ByteString, Option<ByteString>) {
        (self.event_type, self.data, self.id)
    }
}

/// The panic of the panicking setters, out of line: the setters are inlined into the caller,
/// where building an event in place saves moving it through each call.
#[cold]
#[inline(never)]
#[track_caller]
fn refused(error: FieldError) -> ! {
    panic!("{error}")
}

/// One unit of an event stream, in either direction.
///
/// A stream carries events, reconnection times and comments. The decoder yields each as it is
/// complete: a [`Retry`](Frame::Retry) as soon as its line is read (even in a block that
/// dispatches no event), a [`Comment`](Frame::Comment) only when asked for
/// ([`Decoder::with_comments`](crate::Decoder::with_comments)).
///
/// Round trips are exact for every frame the encoder accepts, with two normalisations that the
/// wire format forces: CR and CRLF line breaks in event data arrive as LF, and a comment with
/// line breaks arrives as one comment per line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Frame {
    /// A dispatched event.
    Event(Event),
    /// A reconnection time in milliseconds (`retry:` field).
    Retry(u64),
    /// A comment line (`:` followed by the text), for example a keep-alive.
    Comment(ByteString),
}

impl Frame {
    /// A comment frame.
    pub fn comment(text: impl Into<ByteString>) -> Self {
        Frame::Comment(text.into())
    }

    /// A reconnection-time frame. The wire carries whole milliseconds: the rest is dropped, and
    /// durations past `u64::MAX` milliseconds are written as that.
    pub fn retry(reconnection_time: core::time::Duration) -> Self {
        Frame::Retry(u64::try_from(reconnection_time.as_millis()).unwrap_or(u64::MAX))
    }

    /// The event, if this frame is one.
    pub fn into_event(self) -> Option<Event> {
        match self {
            Frame::Event(event) => Some(event),
            _ => None,
        }
    }
}

impl From<Event> for Frame {
    fn from(event: Event) -> Self {
        Frame::Event(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_event_type_means_default() {
        let event = Event::new("x").with_event_type("");
        assert_eq!(event.explicit_event_type(), None);
        assert_eq!(event.event_type(), "message");
    }

    #[test]
    fn id_refuses_each_unsafe_byte_with_its_position() {
        assert_eq!(
            Event::new("").try_with_id("ab\rc"),
            Err(FieldError::LineBreakInId { position: 2 })
        );
        assert_eq!(
            Event::new("").try_with_id("a\n"),
            Err(FieldError::LineBreakInId { position: 1 })
        );
        assert_eq!(
            Event::new("").try_with_id("\0"),
            Err(FieldError::NulInId { position: 0 })
        );
        assert_eq!(Event::new("").try_with_id("").unwrap().id(), Some(""));
    }

    #[test]
    fn event_type_refuses_line_breaks_but_not_nul() {
        assert_eq!(
            Event::new("").try_with_event_type("a\r\nb"),
            Err(FieldError::LineBreakInEventType { position: 1 })
        );
        assert_eq!(Event::new("").with_event_type("a\0").event_type(), "a\0");
    }

    #[test]
    #[should_panic(expected = "line break")]
    fn panicking_shorthand_panics_on_injection() {
        let _ = Event::new("").with_id("1\nevent: admin");
    }

    #[test]
    fn retry_from_duration_truncates_and_saturates() {
        use core::time::Duration;
        assert_eq!(Frame::retry(Duration::from_micros(1_500)), Frame::Retry(1));
        assert_eq!(Frame::retry(Duration::MAX), Frame::Retry(u64::MAX));
    }

    #[test]
    fn with_data_replaces_the_data_and_keeps_the_rest() {
        let event = Event::new("old")
            .with_event_type("t")
            .with_id("1")
            .with_data("new");
        assert_eq!(
            (event.data(), event.event_type(), event.id()),
            ("new", "t", Some("1"))
        );
    }

    #[test]
    fn into_parts_gives_back_each_field() {
        let (event_type, data, id) = Event::new("d")
            .with_event_type("t")
            .with_id("7")
            .into_parts();
        assert_eq!(event_type.as_deref(), Some("t"));
        assert_eq!(&*data, "d");
        assert_eq!(id.as_deref(), Some("7"));
        assert_eq!(Event::new("").into_parts(), (None, ByteString::new(), None));
    }
}
