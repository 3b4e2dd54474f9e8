//! What publishing and naming channels can fail with.

use std::fmt;

use bytestring::ByteString;

use super::ids::IdError;

/// Why [`Channel::publish`](crate::Channel::publish) did not send an event. The event was not
/// sent to anyone and not kept for replay.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublishError {
    /// The hub or the channel was closed.
    Closed,
    /// The event's id (its own, or the one a custom [`IdScheme`](crate::IdScheme) made) could
    /// not come back as a `Last-Event-ID` header.
    InvalidId {
        /// The id refused.
        id: ByteString,
        /// Why.
        error: IdError,
    },
    /// An event with this id is in the replay ring already: a client resuming from it would
    /// be placed after the wrong event.
    DuplicateId {
        /// The id refused.
        id: ByteString,
    },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::Closed => f.write_str("the hub or channel is closed"),
            PublishError::InvalidId { id, error } => {
                write!(f, "event id {id:?} refused: {error}")
            }
            PublishError::DuplicateId { id } => {
                write!(f, "event id {id:?} is already in the replay ring")
            }
        }
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishError::InvalidId { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// [`Hub::channel`](crate::Hub::channel) was asked for a new channel while
/// [`HubConfig::max_channels`](crate::HubConfig::max_channels) exist already and none could be
/// forgotten.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyChannels {
    /// The configured bound.
    pub max_channels: usize,
}

impl fmt::Display for TooManyChannels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the hub has its maximum of {} channels",
            self.max_channels
        )
    }
}

impl std::error::Error for TooManyChannels {}
