//! Which outcomes of a request end the stream and which reestablish the connection.

use reqwest::StatusCode;

/// What the client does after a connection ends or a response cannot be used.
///
/// Pick one of the named policies; the timing of reconnects is [`Backoff`](crate::Backoff)'s.
///
/// | what happened | [`Standard`](Self::Standard) | [`RetryServerErrors`](Self::RetryServerErrors) | [`OneShot`](Self::OneShot) |
/// | --- | --- | --- | --- |
/// | network error, idle timeout | reestablish | reestablish | fail |
/// | body ended | reestablish | reestablish | stream ends |
/// | 204 No Content | fail | fail | fail |
/// | 5xx, 429 | fail | reestablish, after `Retry-After` | fail |
/// | 200 with another content type | fail | reestablish | fail |
/// | any other status | fail | fail | fail |
///
/// # Examples
///
/// ```
/// use sse_client::RetryPolicy;
///
/// assert_eq!(RetryPolicy::default(), RetryPolicy::Standard);
/// assert!(RetryPolicy::RetryServerErrors.retries_status(reqwest::StatusCode::TOO_MANY_REQUESTS));
/// assert!(!RetryPolicy::Standard.retries_status(reqwest::StatusCode::SERVICE_UNAVAILABLE));
/// assert!(!RetryPolicy::OneShot.reconnects());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryPolicy {
    /// The WHATWG algorithm as a browser runs it: a network error or the end of the body
    /// reestablishes the connection; a status other than 200, or another content type, fails it
    /// for good.
    #[default]
    Standard,
    /// As [`Standard`](Self::Standard), and also reestablishes after a 5xx or 429 status
    /// (waiting at least what `Retry-After` asks) and after a 200 with another content type:
    /// what a load balancer or proxy answers while the server behind it restarts.
    RetryServerErrors,
    /// Never reconnects: the end of the body ends the stream, as an LLM completion ends when its
    /// body does. Errors fail the connection.
    OneShot,
}

impl RetryPolicy {
    /// Whether a network error or the end of the body reestablishes the connection.
    pub const fn reconnects(self) -> bool {
        !matches!(self, RetryPolicy::OneShot)
    }

    /// Whether a response with this status (other than 200 and 204) reestablishes the
    /// connection.
    pub fn retries_status(self, status: StatusCode) -> bool {
        matches!(self, RetryPolicy::RetryServerErrors)
            && (status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether a 200 response with a content type other than `text/event-stream` reestablishes
    /// the connection.
    pub const fn retries_content_type(self) -> bool {
        matches!(self, RetryPolicy::RetryServerErrors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_opt_in_policy_retries_statuses() {
        for status in [500, 502, 503, 429] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(RetryPolicy::RetryServerErrors.retries_status(status));
            assert!(!RetryPolicy::Standard.retries_status(status));
            assert!(!RetryPolicy::OneShot.retries_status(status));
        }
        for status in [400, 401, 403, 404, 410] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(!RetryPolicy::RetryServerErrors.retries_status(status));
        }
    }
}
