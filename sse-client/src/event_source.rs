//! The connection lifecycle of the WHATWG `EventSource`, as a stream.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use futures_core::{FusedStream, Stream};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use sse_codec::{Decoder, EventStream, Frame, StreamError};
use tokio::time::{Instant, Sleep};

use crate::builder::{Builder, Config};
use crate::error::Error;
use crate::idle::{BodyError, IdleBody};
use crate::item::{Item, Outcome};
use crate::ready_state::ReadyState;
use crate::response::{is_event_stream, retry_after};

/// The header a reconnecting client sends with the last event ID.
const LAST_EVENT_ID: &str = "last-event-id";

type ResponseFuture = Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send>>;

/// A reconnecting `text/event-stream` client: the browser's `EventSource`, as a
/// [`Stream`] of [`Item`]s.
///
/// Made by [`EventSource::builder`]. Nothing is sent until the stream is first polled. Then it
/// runs the WHATWG algorithm: each request carries `Accept: text/event-stream`,
/// `Cache-Control: no-cache` and, when the last event ID is not empty, `Last-Event-ID`; a 200
/// `text/event-stream` response is announced ([`Item::Open`]) and its events follow; anything
/// else fails the connection, or reestablishes it, as the [`RetryPolicy`](crate::RetryPolicy)
/// says, after the delay the [`Backoff`](crate::Backoff) gives. The stream ends after the
/// connection fails (the last item is an [`Item::Error`] with [`Outcome::Fail`]), after
/// [`close`](Self::close), or in one-shot mode when the body ends.
///
/// Dropping it closes the connection. It must be polled inside a tokio runtime (as reqwest
/// must).
pub struct EventSource {
    client: reqwest::Client,
    /// Sent again, identically, on every reconnect.
    request: reqwest::Request,
    config: Config,
    /// The decoder while no connection is open; while one is, it lives in `Phase::Open`.
    decoder: Decoder,
    phase: Phase,
    ready_state: ReadyState,
    /// Items to yield before anything else.
    queued: VecDeque<Item>,
    /// A request has been sent before: the next one is a reconnect.
    sent: bool,
    reconnect_count: u64,
    /// Reconnects since the last healthy connection.
    reconnects_in_a_row: u32,
    /// When the first of those reconnects was decided.
    unhealthy_since: Option<Instant>,
    /// When the current or last connection was announced.
    opened_at: Option<Instant>,
}

enum Phase {
    /// Nothing sent yet, or a reconnect is due at once.
    Start,
    /// Waiting for the response's headers.
    Connecting {
        response: ResponseFuture,
        idle: Option<(Duration, Pin<Box<Sleep>>)>,
    },
    /// Reading events. Boxed: the decoder is large next to the other phases.
    Open(Box<EventStream<IdleBody>>),
    /// Waiting to reestablish the connection.
    Waiting(Pin<Box<Sleep>>),
    /// Done for good.
    Closed,
}

impl EventSource {
    /// Starts configuring a client for `request`, a `reqwest::RequestBuilder` from the
    /// `reqwest::Client` to send it with.
    ///
    /// # Examples
    ///
    /// ```
    /// use sse_client::EventSource;
    ///
    /// let client = reqwest::Client::new();
    /// let request = client
    ///     .post("http://127.0.0.1:8080/v1/chat/completions")
    ///     .bearer_auth("token")
    ///     .json(&serde_json::json!({"stream": true}));
    /// let events = EventSource::builder(request).build()?;
    /// assert_eq!(events.ready_state(), sse_client::ReadyState::Connecting);
    /// # Ok::<(), sse_client::BuildError>(())
    /// ```
    pub fn builder(request: reqwest::RequestBuilder) -> Builder {
        let (client, request) = request.build_split();
        Builder::from_result(client, request)
    }

    pub(crate) fn new(
        client: reqwest::Client,
        request: reqwest::Request,
        config: Config,
        decoder: Decoder,
    ) -> Self {
        EventSource {
            client,
            request,
            config,
            decoder,
            phase: Phase::Start,
            ready_state: ReadyState::Connecting,
            queued: VecDeque::new(),
            sent: false,
            reconnect_count: 0,
            reconnects_in_a_row: 0,
            unhealthy_since: None,
            opened_at: None,
        }
    }

    /// The ready state.
    pub fn ready_state(&self) -> ReadyState {
        self.ready_state
    }

    /// The last event ID the next request would send as `Last-Event-ID`: `None` when the stream
    /// has not set one (nor was one seeded) or an empty `id:` cleared it.
    pub fn last_event_id(&self) -> Option<&str> {
        self.decoder().last_event_id_header()
    }

    /// The reconnection time: the server's last `retry:`, otherwise the configured default.
    /// The [`Backoff`](crate::Backoff) starts from it.
    pub fn reconnection_time(&self) -> Duration {
        self.decoder()
            .reconnection_time()
            .map_or(self.config.reconnection_time, Duration::from_millis)
    }

    /// How many times the client has reconnected (requests sent after the first).
    pub fn reconnect_count(&self) -> u64 {
        self.reconnect_count
    }

    /// Drops the current connection (or the wait for the next one) and reconnects at once, with
    /// the last event ID. Does nothing once [`Closed`](ReadyState::Closed).
    pub fn restart(&mut self) {
        if self.ready_state == ReadyState::Closed {
            return;
        }
        self.end_connection();
        self.note_connection_end(Instant::now());
        self.ready_state = ReadyState::Connecting;
        self.phase = Phase::Start;
    }

    /// The `close()` method: drops the connection; the stream ends. Items already queued are
    /// dropped too.
    pub fn close(&mut self) {
        self.end_connection();
        self.queued.clear();
        self.ready_state = ReadyState::Closed;
        self.phase = Phase::Closed;
    }

    fn decoder(&self) -> &Decoder {
        match &self.phase {
            Phase::Open(events) => events.decoder(),
            _ => &self.decoder,
        }
    }

    /// Takes the decoder back from an open connection, which is dropped.
    fn end_connection(&mut self) {
        if let Phase::Open(events) = std::mem::replace(&mut self.phase, Phase::Closed) {
            self.decoder = (*events).into_decoder();
        }
    }

    /// Sends the request again (or for the first time).
    fn connect(&mut self) {
        if self.sent {
            self.reconnect_count += 1;
        }
        self.sent = true;
        let Some(mut request) = self.request.try_clone() else {
            self.fail(Error::RequestNotReplayable);
            return;
        };
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.remove(LAST_EVENT_ID);
        // "If the EventSource object's last event ID string is not the empty string", set
        // `Last-Event-ID` to it, encoded as UTF-8.
        if let Some(id) = self.decoder.last_event_id_header() {
            match HeaderValue::from_bytes(id.as_bytes()) {
                Ok(value) => {
                    headers.insert(LAST_EVENT_ID, value);
                }
                Err(_) => self.queued.push_back(Item::Error {
                    error: Error::LastEventIdNotSendable,
                    outcome: Outcome::Continue,
                }),
            }
        }
        self.ready_state = ReadyState::Connecting;
        self.phase = Phase::Connecting {
            response: Box::pin(self.client.execute(request)),
            idle: self
                .config
                .idle_timeout
                .map(|after| (after, Box::pin(tokio::time::sleep(after)))),
        };
    }

    /// What the WHATWG "processResponse" steps do with a response.
    fn process_response(&mut self, mut response: reqwest::Response) {
        let status = response.status();
        let headers = response.headers();
        if status == StatusCode::OK && is_event_stream(headers) {
            // "Announce the connection", then interpret the body line by line.
            let headers = std::mem::take(response.headers_mut());
            let body = IdleBody::new(response, self.config.idle_timeout);
            let decoder = std::mem::take(&mut self.decoder);
            // `with_decoder` starts a new stream: nothing of an event cut off with the last
            // connection leaks into this one, while the last event ID and reconnection time
            // carry over.
            self.phase = Phase::Open(Box::new(EventStream::with_decoder(body, decoder)));
            self.ready_state = ReadyState::Open;
            self.opened_at = Some(Instant::now());
            self.queued.push_back(Item::Open { status, headers });
        } else if status == StatusCode::NO_CONTENT {
            self.fail(Error::NoContent);
        } else if status != StatusCode::OK {
            let retry_after = retry_after(headers, SystemTime::now());
            let error = Error::Status {
                status,
                retry_after,
            };
            if self.config.policy.retries_status(status) {
                self.reestablish(error, retry_after.unwrap_or(Duration::ZERO));
            } else {
                self.fail(error);
            }
        } else {
            let error = Error::ContentType {
                content_type: headers.get(CONTENT_TYPE).cloned(),
            };
            if self.config.policy.retries_content_type() {
                self.reestablish(error, Duration::ZERO);
            } else {
                self.fail(error);
            }
        }
    }

    /// A network error or the end of the body: "reestablish the connection", unless the policy
    /// never reconnects.
    fn connection_lost(&mut self, error: Error) {
        if self.config.policy.reconnects() {
            self.reestablish(error, Duration::ZERO);
        } else {
            self.fail(error);
        }
    }

    /// "Reestablish the connection": ready state `Connecting`, an error item, a wait of at
    /// least `at_least`, then a new request. Fails instead when the backoff's limits are
    /// reached.
    fn reestablish(&mut self, error: Error, at_least: Duration) {
        self.end_connection();
        let backoff = self.config.backoff;
        let now = Instant::now();
        self.note_connection_end(now);
        if backoff
            .limits_attempts()
            .is_some_and(|limit| self.reconnects_in_a_row >= limit)
        {
            self.fail(error);
            return;
        }
        let delay = backoff
            .delay(
                self.reconnection_time(),
                self.reconnects_in_a_row,
                fastrand::f64(),
            )
            .max(at_least);
        let since = *self.unhealthy_since.get_or_insert(now);
        // A reconnect due past the end of time (`retry:` or `Retry-After` can be that large)
        // is past any limit.
        let due = now.checked_add(delay);
        if backoff
            .limits_elapsed()
            .is_some_and(|limit| due.is_none_or(|due| due.duration_since(since) > limit))
        {
            self.fail(error);
            return;
        }
        self.reconnects_in_a_row = self.reconnects_in_a_row.saturating_add(1);
        self.ready_state = ReadyState::Connecting;
        self.phase = Phase::Waiting(Box::pin(tokio::time::sleep(delay)));
        self.queued.push_back(Item::Error {
            error,
            outcome: Outcome::Reestablish { delay },
        });
    }

    /// A connection ends (or the request failed): one that stayed open long enough was healthy,
    /// and the backoff starts over.
    fn note_connection_end(&mut self, now: Instant) {
        let healthy_after = self.config.backoff.healthy_after();
        let healthy = self
            .opened_at
            .take()
            .is_some_and(|opened| now.duration_since(opened) >= healthy_after);
        if healthy {
            self.reconnects_in_a_row = 0;
            self.unhealthy_since = None;
        }
    }

    /// "Fail the connection": ready state `Closed`, a last error item, the end of the stream.
    fn fail(&mut self, error: Error) {
        self.end_connection();
        self.ready_state = ReadyState::Closed;
        self.phase = Phase::Closed;
        self.queued.push_back(Item::Error {
            error,
            outcome: Outcome::Fail,
        });
    }

    /// The body ended cleanly.
    fn body_ended(&mut self) {
        if self.config.policy.reconnects() {
            self.reestablish(Error::BodyEnded, Duration::ZERO);
        } else {
            self.end_connection();
            self.ready_state = ReadyState::Closed;
            self.phase = Phase::Closed;
        }
    }
}

impl Stream for EventSource {
    type Item = Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.queued.pop_front() {
                return Poll::Ready(Some(item));
            }
            match &mut this.phase {
                Phase::Start => this.connect(),
                Phase::Connecting { response, idle } => match response.as_mut().poll(cx) {
                    Poll::Ready(Ok(response)) => this.process_response(response),
                    Poll::Ready(Err(error)) => {
                        let error = Error::Transport(Arc::new(error));
                        // A request that cannot be built will not build next time either: the
                        // WHATWG "known to be futile" case.
                        if matches!(&error, Error::Transport(e) if e.is_builder()) {
                            this.fail(error);
                        } else {
                            this.connection_lost(error);
                        }
                    }
                    Poll::Pending => {
                        let timed_out = match idle {
                            Some((after, sleep)) => {
                                sleep.as_mut().poll(cx).is_ready().then_some(*after)
                            }
                            None => None,
                        };
                        match timed_out {
                            Some(after) => this.connection_lost(Error::IdleTimeout { after }),
                            None => return Poll::Pending,
                        }
                    }
                },
                Phase::Open(events) => match Pin::new(&mut **events).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Some(Ok(Frame::Event(event)))) => {
                        return Poll::Ready(Some(Item::Event(event)));
                    }
                    Poll::Ready(Some(Ok(Frame::Comment(comment)))) => {
                        return Poll::Ready(Some(Item::Comment(comment)));
                    }
                    // The decoder keeps the reconnection time; there is nothing to yield.
                    Poll::Ready(Some(Ok(Frame::Retry(_)))) => {}
                    Poll::Ready(Some(Err(StreamError::Decode(error)))) => {
                        return Poll::Ready(Some(Item::Error {
                            error: Error::Limit(error),
                            outcome: Outcome::Continue,
                        }));
                    }
                    Poll::Ready(Some(Err(StreamError::Source(BodyError::Transport(error))))) => {
                        this.connection_lost(Error::Transport(Arc::new(error)));
                    }
                    Poll::Ready(Some(Err(StreamError::Source(BodyError::Idle(after))))) => {
                        this.connection_lost(Error::IdleTimeout { after });
                    }
                    Poll::Ready(None) => this.body_ended(),
                },
                Phase::Waiting(sleep) => match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => this.connect(),
                    Poll::Pending => return Poll::Pending,
                },
                Phase::Closed => return Poll::Ready(None),
            }
        }
    }
}

impl FusedStream for EventSource {
    fn is_terminated(&self) -> bool {
        matches!(self.phase, Phase::Closed) && self.queued.is_empty()
    }
}

impl fmt::Debug for EventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSource")
            .field("method", self.request.method())
            .field("url", &self.request.url().as_str())
            .field("ready_state", &self.ready_state)
            .field("last_event_id", &self.last_event_id())
            .field("reconnection_time", &self.reconnection_time())
            .field("reconnect_count", &self.reconnect_count)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_source_can_move_to_another_task() {
        fn is_send<T: Send + 'static>() {}
        is_send::<EventSource>();
        is_send::<Item>();
    }
}
