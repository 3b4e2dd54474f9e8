//! What an event source yields.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sse_codec::{ByteString, Event};

use crate::error::Error;

/// One item of an [`EventSource`](crate::EventSource) stream.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Item {
    /// The WHATWG "announce the connection": a response was accepted and the ready state is
    /// [`Open`](crate::ReadyState::Open). Comes once per connection, before its events.
    Open {
        /// The response's status (200).
        status: StatusCode,
        /// The response's headers.
        headers: HeaderMap,
    },
    /// A dispatched event, with the last event ID as of its dispatch in [`Event::id`].
    Event(Event),
    /// A comment line, such as a keep-alive; only when asked for
    /// ([`Builder::comments`](crate::Builder::comments)).
    Comment(ByteString),
    /// Something went wrong; `outcome` says what the client does about it.
    Error {
        /// What went wrong.
        error: Error,
        /// What happens next.
        outcome: Outcome,
    },
}

/// What the client does after an [`Item::Error`], in the WHATWG algorithm's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Nothing changes: the connection goes on (an event over a limit was skipped, or this
    /// request went without `Last-Event-ID`).
    Continue,
    /// "Reestablish the connection": the ready state is
    /// [`Connecting`](crate::ReadyState::Connecting) and the next request goes out after
    /// `delay`.
    Reestablish {
        /// How long the client waits before the next request.
        delay: Duration,
    },
    /// "Fail the connection": the ready state is [`Closed`](crate::ReadyState::Closed) and the
    /// stream ends after this item.
    Fail,
}

impl Outcome {
    /// Whether the client will send another request (or go on with this connection).
    pub const fn will_retry(self) -> bool {
        !matches!(self, Outcome::Fail)
    }
}
