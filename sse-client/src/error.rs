//! Why a connection could not be used, and why a client could not be built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use sse_codec::DecodeError;

/// What went wrong with a connection. Every [`Item::Error`](crate::Item::Error) carries one,
/// with the [`Outcome`](crate::Outcome) that says what the client does next.
///
/// `Clone` (the transport error is shared behind an `Arc`, as `reqwest::Error` is not `Clone`)
/// but not `Eq`, for the same reason.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Error {
    /// The response's status was neither 200 nor 204.
    Status {
        /// The status.
        status: StatusCode,
        /// How long the response's `Retry-After` asked to wait (seconds or an HTTP date).
        retry_after: Option<Duration>,
    },
    /// `204 No Content`: the server tells the client to stop. Always fails the connection.
    NoContent,
    /// A 200 response whose `Content-Type` is not `text/event-stream`.
    ContentType {
        /// The content type the response had, if any.
        content_type: Option<HeaderValue>,
    },
    /// The request could not be sent or the body not read: connection refused or reset, TLS, a
    /// body cut off in the middle, a redirect loop, a timeout of the caller's `reqwest::Client`.
    Transport(Arc<reqwest::Error>),
    /// No bytes (not even a keep-alive comment) arrived for this long.
    IdleTimeout {
        /// The configured idle timeout.
        after: Duration,
    },
    /// The server ended the response body. The WHATWG algorithm treats this as a network error
    /// and reestablishes the connection.
    BodyEnded,
    /// A decoder limit was exceeded: that event was skipped and the connection goes on.
    Limit(DecodeError),
    /// The last event ID holds a control character that no HTTP header can carry: this request
    /// goes without `Last-Event-ID`.
    LastEventIdNotSendable,
    /// The request's body cannot be sent again (it is a stream), so there is no reconnect.
    RequestNotReplayable,
}

impl Error {
    /// The status, for [`Error::Status`] and [`Error::NoContent`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status { status, .. } => Some(*status),
            Error::NoContent => Some(StatusCode::NO_CONTENT),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Status { status, .. } => write!(f, "the server answered {status}"),
            Error::NoContent => f.write_str("the server answered 204 No Content: stop"),
            Error::ContentType {
                content_type: Some(content_type),
            } => write!(
                f,
                "the response's content type is {content_type:?}, not text/event-stream"
            ),
            Error::ContentType { content_type: None } => {
                f.write_str("the response has no content type, not text/event-stream")
            }
            Error::Transport(error) => write!(f, "transport error: {error}"),
            Error::IdleTimeout { after } => {
                write!(f, "no bytes received for {} ms", after.as_millis())
            }
            Error::BodyEnded => f.write_str("the server ended the event stream"),
            Error::Limit(error) => error.fmt(f),
            Error::LastEventIdNotSendable => f.write_str(
                "the last event ID contains a control character and cannot be sent as Last-Event-ID",
            ),
            Error::RequestNotReplayable => {
                f.write_str("the request body is a stream and cannot be sent again")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(&**error),
            Error::Limit(error) => Some(error),
            _ => None,
        }
    }
}

/// Why [`Builder::build`](crate::Builder::build) could not make a client.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The `reqwest::RequestBuilder` did not build (an invalid URL or header).
    Request(reqwest::Error),
    /// The request's body is a stream, which cannot be sent again on every reconnect.
    BodyNotReplayable,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Request(error) => write!(f, "invalid request: {error}"),
            BuildError::BodyNotReplayable => f.write_str(
                "the request body is a stream; an event source needs one it can send on every reconnect",
            ),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Request(error) => Some(error),
            BuildError::BodyNotReplayable => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn reqwest_error() -> reqwest::Error {
        reqwest::Client::new()
            .get("not a url")
            .build()
            .expect_err("a request to no URL does not build")
    }

    #[test]
    fn only_status_and_no_content_have_a_status() {
        let status = Error::Status {
            status: StatusCode::BAD_GATEWAY,
            retry_after: None,
        };
        assert_eq!(status.status(), Some(StatusCode::BAD_GATEWAY));
        assert_eq!(Error::NoContent.status(), Some(StatusCode::NO_CONTENT));
        assert_eq!(Error::BodyEnded.status(), None);
    }

    #[test]
    fn the_transport_and_limit_errors_are_the_sources() {
        let transport = Error::Transport(Arc::new(reqwest_error()));
        let source = transport.source().expect("a transport error has a source");
        assert_eq!(source.to_string(), reqwest_error().to_string());

        let limit = Error::Limit(DecodeError::LineTooLong { limit: 8 });
        let source = limit.source().expect("a limit error has a source");
        assert_eq!(
            source.to_string(),
            DecodeError::LineTooLong { limit: 8 }.to_string()
        );

        assert!(Error::NoContent.source().is_none());
        assert!(Error::BodyEnded.source().is_none());
    }

    #[test]
    fn build_errors_say_what_is_wrong_and_keep_the_request_error() {
        let request = BuildError::Request(reqwest_error());
        assert_eq!(
            request.to_string(),
            format!("invalid request: {}", reqwest_error())
        );
        assert_eq!(
            request.source().map(ToString::to_string),
            Some(reqwest_error().to_string())
        );

        let body = BuildError::BodyNotReplayable;
        assert!(
            body.to_string().contains("send on every reconnect"),
            "{body}"
        );
        assert!(body.source().is_none());
    }
}
