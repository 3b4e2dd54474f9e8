//! Error types: values the encoder refuses, and limits the decoder enforces.

use core::fmt;

/// A value that cannot be written as an SSE field without changing the stream's meaning.
///
/// Returned by [`Event::try_with_event_type`](crate::Event::try_with_event_type) and
/// [`Event::try_with_id`](crate::Event::try_with_id). `position` is the byte offset of the first
/// offending byte in the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldError {
    /// The event type contains CR or LF, which would end the `event:` line early.
    LineBreakInEventType {
        /// Byte offset of the CR or LF.
        position: usize,
    },
    /// The id contains CR or LF, which would end the `id:` line early.
    LineBreakInId {
        /// Byte offset of the CR or LF.
        position: usize,
    },
    /// The id contains NUL; receivers ignore such an `id:` field.
    NulInId {
        /// Byte offset of the NUL.
        position: usize,
    },
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FieldError::LineBreakInEventType { position } => {
                write!(f, "event type contains a line break at byte {position}")
            }
            FieldError::LineBreakInId { position } => {
                write!(f, "event id contains a line break at byte {position}")
            }
            FieldError::NulInId { position } => {
                write!(
                    f,
                    "event id contains NUL at byte {position}, which receivers ignore"
                )
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FieldError {}

/// A decoder limit was exceeded. The decoder has already recovered: it skips the rest of the
/// offending event (up to the next blank line) and decoding can simply continue.
///
/// "Need more input" is never an error; malformed lines are ignored as the specification says.
/// Limits are the only errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// A line (field name, colon and value) was longer than the limit, in bytes.
    LineTooLong {
        /// The configured [`Limits::max_line_len`](crate::Limits::max_line_len).
        limit: usize,
    },
    /// An event's data grew past the limit, in bytes.
    EventTooLarge {
        /// The configured [`Limits::max_event_size`](crate::Limits::max_event_size).
        limit: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DecodeError::LineTooLong { limit } => {
                write!(
                    f,
                    "line longer than the limit of {limit} bytes; event skipped"
                )
            }
            DecodeError::EventTooLarge { limit } => {
                write!(
                    f,
                    "event data larger than the limit of {limit} bytes; event skipped"
                )
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}
