//! Configuring an [`EventSource`].

use std::time::Duration;

use sse_codec::{ByteString, Decoder, Limits};

use crate::backoff::Backoff;
use crate::error::BuildError;
use crate::event_source::EventSource;
use crate::retry_policy::RetryPolicy;

/// The decoder limits of a client unless [`Builder::limits`] says otherwise: 11 MiB per line
/// and per event, so that a 10 MiB event (a large JSON snapshot, an image, a long completion
/// sent whole) passes even on one line. By the codec's accounting, a peer can then make one
/// connection hold about 55 MiB between reads ([`Limits::max_held_bytes`]) and 66 MiB for a
/// moment during one ([`Limits::max_peak_bytes`]).
pub const DEFAULT_LIMITS: Limits = Limits::unbounded()
    .max_line_len(11 * 1024 * 1024)
    .max_event_size(11 * 1024 * 1024);

/// The reconnection time until the server sends `retry:`: 3 seconds, as in Chromium.
pub const DEFAULT_RECONNECTION_TIME: Duration = Duration::from_secs(3);

/// What an [`EventSource`] does, fixed when it is built.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    pub(crate) policy: RetryPolicy,
    pub(crate) backoff: Backoff,
    pub(crate) reconnection_time: Duration,
    pub(crate) idle_timeout: Option<Duration>,
}

/// Configures an [`EventSource`]; made by [`EventSource::builder`] or [`Builder::new`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sse_client::{Backoff, EventSource, RetryPolicy};
///
/// let client = reqwest::Client::new();
/// let events = EventSource::builder(client.get("http://127.0.0.1:8080/events"))
///     .retry_policy(RetryPolicy::RetryServerErrors)
///     .backoff(Backoff::exponential().max_attempts(20))
///     .idle_timeout(Duration::from_secs(45))
///     .last_event_id("1041")
///     .build()?;
/// assert_eq!(events.last_event_id(), Some("1041"));
/// # Ok::<(), sse_client::BuildError>(())
/// ```
#[derive(Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct Builder {
    client: reqwest::Client,
    request: Result<reqwest::Request, reqwest::Error>,
    config: Config,
    limits: Limits,
    comments: bool,
    last_event_id: Option<ByteString>,
}

impl Builder {
    /// Streams from `request`, sent with `client` (its TLS, proxy, redirect policy, cookies and
    /// timeouts are kept). The request (method, URL, headers, body) is sent again, identically,
    /// on every reconnect, with `Accept`, `Cache-Control` and `Last-Event-ID` set as the WHATWG
    /// algorithm says.
    pub fn new(client: reqwest::Client, request: reqwest::Request) -> Self {
        Self::from_result(client, Ok(request))
    }

    pub(crate) fn from_result(
        client: reqwest::Client,
        request: Result<reqwest::Request, reqwest::Error>,
    ) -> Self {
        Builder {
            client,
            request,
            config: Config {
                policy: RetryPolicy::default(),
                backoff: Backoff::default(),
                reconnection_time: DEFAULT_RECONNECTION_TIME,
                idle_timeout: None,
            },
            limits: DEFAULT_LIMITS,
            comments: false,
            last_event_id: None,
        }
    }

    /// Which outcomes reconnect ([`RetryPolicy::Standard`] by default).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.config.policy = policy;
        self
    }

    /// When to reconnect, and when to give up ([`Backoff::exponential`] by default).
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.config.backoff = backoff;
        self
    }

    /// The reconnection time until the server sets one with `retry:`
    /// ([`DEFAULT_RECONNECTION_TIME`] by default).
    pub fn reconnection_time(mut self, reconnection_time: Duration) -> Self {
        self.config.reconnection_time = reconnection_time;
        self
    }

    /// Treats a connection that received no bytes for `timeout` (waiting for the response
    /// included) as a network error, so that a silently dead connection is noticed. Set it above
    /// the server's keep-alive interval. Off by default.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.idle_timeout = Some(timeout);
        self
    }

    /// The decoder's limits ([`DEFAULT_LIMITS`] by default).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Yields comment lines as [`Item::Comment`](crate::Item::Comment) (off by default, as in a
    /// browser).
    pub fn comments(mut self, comments: bool) -> Self {
        self.comments = comments;
        self
    }

    /// Seeds the last event ID: the first request carries it as `Last-Event-ID`, to resume a
    /// stream this program read before.
    pub fn last_event_id(mut self, id: impl Into<ByteString>) -> Self {
        self.last_event_id = Some(id.into());
        self
    }

    /// Makes the client. Nothing is sent until the stream is first polled.
    ///
    /// # Errors
    ///
    /// [`BuildError::Request`] when the request builder holds an error (an invalid URL or
    /// header), [`BuildError::BodyNotReplayable`] when the body is a stream, which could not be
    /// sent again on a reconnect.
    pub fn build(self) -> Result<EventSource, BuildError> {
        let request = self.request.map_err(BuildError::Request)?;
        if request.try_clone().is_none() {
            return Err(BuildError::BodyNotReplayable);
        }
        let mut decoder = Decoder::new()
            .with_limits(self.limits)
            .with_comments(self.comments);
        if let Some(id) = self.last_event_id {
            decoder = decoder.with_last_event_id(id);
        }
        Ok(EventSource::new(self.client, request, self.config, decoder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1024 * 1024;

    #[test]
    fn the_default_limits_hold_what_their_docs_say() {
        assert_eq!(DEFAULT_LIMITS.max_held_bytes() / MIB, 55);
        assert_eq!(DEFAULT_LIMITS.max_peak_bytes() / MIB, 66);
    }
}
