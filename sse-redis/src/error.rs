//! What publishing on Redis can fail with.

use std::fmt;

use bytestring::ByteString;
use sse_codec::FieldError;

/// Why [`RedisHub::publish`](crate::RedisHub::publish) did not publish an event. The event was
/// not stored and not sent to anyone.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublishError {
    /// This node's hub or channel was closed.
    Closed,
    /// The event has an id of its own: on Redis, every id is `<epoch>:<stream-id>`, made by
    /// the publish, so that a client can resume on any node.
    OwnIdRefused {
        /// The id the event carried.
        id: ByteString,
    },
    /// The event type cannot go on the wire.
    InvalidEventType(FieldError),
    /// Redis could not be reached or refused the command; the node reconnects by itself, a
    /// later publish may succeed.
    Redis {
        /// What kind of failure redis-rs reported.
        kind: redis::ErrorKind,
        /// Its message.
        message: String,
    },
    /// Redis answered something the publish script never returns.
    UnexpectedReply,
}

impl From<redis::RedisError> for PublishError {
    fn from(error: redis::RedisError) -> Self {
        PublishError::Redis {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::Closed => f.write_str("the hub or channel is closed"),
            PublishError::OwnIdRefused { id } => write!(
                f,
                "event id {id:?} refused: a Redis-backed hub names every event itself"
            ),
            PublishError::InvalidEventType(error) => write!(f, "the event type: {error}"),
            PublishError::Redis { message, .. } => write!(f, "Redis: {message}"),
            PublishError::UnexpectedReply => f.write_str("unexpected reply from Redis"),
        }
    }
}

impl std::error::Error for PublishError {}
