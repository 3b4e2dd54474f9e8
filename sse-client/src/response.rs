//! Reading what a response says about the connection.

use std::time::{Duration, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};

/// Whether the response's `Content-Type` is `text/event-stream`: its essence, case-insensitive,
/// parameters such as `charset` ignored (the WHATWG algorithm checks the MIME type essence).
pub(crate) fn is_event_stream(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

/// How long `Retry-After` asks to wait: delay seconds, or an HTTP date (a date in the past is
/// no wait). `None` when absent or unreadable.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(name: reqwest::header::HeaderName, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn event_stream_essence_with_parameters_and_case() {
        assert!(is_event_stream(&headers(CONTENT_TYPE, "text/event-stream")));
        assert!(is_event_stream(&headers(
            CONTENT_TYPE,
            "Text/Event-Stream; charset=utf-8"
        )));
        assert!(!is_event_stream(&headers(CONTENT_TYPE, "text/html")));
        assert!(!is_event_stream(&headers(
            CONTENT_TYPE,
            "text/event-streams"
        )));
        assert!(!is_event_stream(&HeaderMap::new()));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = httpdate::parse_http_date("Wed, 02 Dec 2026 15:00:00 GMT").unwrap();
        assert_eq!(
            retry_after(&headers(RETRY_AFTER, "120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after(&headers(RETRY_AFTER, "Wed, 02 Dec 2026 15:00:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after(&headers(RETRY_AFTER, "Wed, 02 Dec 2026 14:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(RETRY_AFTER, "soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
