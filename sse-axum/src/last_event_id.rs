//! The `LastEventId` extractor.

use std::convert::Infallible;

use axum_core::extract::FromRequestParts;
use http::request::Parts;
use sse_server::{LAST_EVENT_ID_HEADER, LastEventIdQuery, last_event_id};

/// The ID of the last event a reconnecting client received, from the `Last-Event-ID` header.
///
/// Never rejects: a first connection has no header, and a value no client could have received
/// (empty, not UTF-8, or with NUL, CR or LF) counts as absent, so the field is `None` then.
///
/// For clients that cannot set headers, opt in to a query parameter by adding a
/// [`LastEventIdQuery`] as an extension; the header still wins when both are present:
///
/// ```
/// use axum::{Extension, Router, routing::get};
/// use sse_axum::{LastEventId, LastEventIdQuery};
///
/// async fn handler(LastEventId(last): LastEventId) -> String {
///     last.unwrap_or_default()
/// }
///
/// let app: Router = Router::new()
///     .route("/events", get(handler))
///     .layer(Extension(LastEventIdQuery::new("lastEventId")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LastEventId(pub Option<String>);

impl LastEventId {
    /// Reads the ID from the header, then from the query parameter if a [`LastEventIdQuery`]
    /// extension is present.
    pub fn from_parts(parts: &Parts) -> Self {
        let from_header = parts
            .headers
            .get(LAST_EVENT_ID_HEADER)
            .and_then(|value| last_event_id(value.as_bytes()))
            .map(str::to_owned);
        let from_query = || {
            let query = parts.extensions.get::<LastEventIdQuery>()?;
            query.find(parts.uri.query()?)
        };
        LastEventId(from_header.or_else(from_query))
    }
}

impl<St: Send + Sync> FromRequestParts<St> for LastEventId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &St) -> Result<Self, Infallible> {
        Ok(LastEventId::from_parts(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Request;

    fn extracted(request: Request<()>) -> Option<String> {
        LastEventId::from_parts(&request.into_parts().0).0
    }

    #[test]
    fn header_is_read_and_absent_header_is_none() {
        let request = Request::builder()
            .header("Last-Event-ID", "17")
            .body(())
            .unwrap();
        assert_eq!(extracted(request), Some("17".into()));
        assert_eq!(extracted(Request::new(())), None);
    }

    #[test]
    fn a_value_no_client_could_have_received_is_none() {
        // `http` already refuses NUL, CR and LF in header values; a non-UTF-8 value gets through.
        let not_utf8 = http::HeaderValue::from_bytes(b"7\xFF").unwrap();
        let request = Request::builder()
            .header("Last-Event-ID", not_utf8)
            .body(())
            .unwrap();
        assert_eq!(extracted(request), None);
        let nul_in_query = Request::builder()
            .uri("/?lastEventId=7%00")
            .extension(LastEventIdQuery::new("lastEventId"))
            .body(())
            .unwrap();
        assert_eq!(extracted(nul_in_query), None);
    }

    #[test]
    fn query_is_read_only_when_opted_in_and_the_header_wins() {
        let uri = "/events?lastEventId=5";
        assert_eq!(
            extracted(Request::builder().uri(uri).body(()).unwrap()),
            None
        );
        let opted_in = || {
            Request::builder()
                .uri(uri)
                .extension(LastEventIdQuery::new("lastEventId"))
        };
        assert_eq!(extracted(opted_in().body(()).unwrap()), Some("5".into()));
        let both = opted_in().header("last-event-id", "9").body(()).unwrap();
        assert_eq!(extracted(both), Some("9".into()));
    }
}
