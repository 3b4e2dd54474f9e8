//! The `LastEventId` extractor.

use std::convert::Infallible;

use axum_core::extract::FromRequestParts;
use http::HeaderValue;
use http::request::Parts;
use sse_server::{LAST_EVENT_ID_HEADER, LastEventIdQuery, ResumeFrom};

/// Where a reconnecting client asks to resume: its `Last-Event-ID` header, read by
/// [`ResumeFrom::from_request`] (the rules are there).
///
/// Never rejects: a first connection has no header ([`ResumeFrom::Live`]), and a header no
/// client could have received from this server is [`ResumeFrom::Invalid`], which a hub answers
/// with a resync event.
///
/// For clients that cannot set headers, opt in to a query parameter by adding a
/// [`LastEventIdQuery`] as an extension; a header that is present still wins:
///
/// ```
/// use axum::{Extension, Router, routing::get};
/// use sse_axum::{LastEventId, LastEventIdQuery};
///
/// async fn handler(last: LastEventId) -> String {
///     last.id().unwrap_or("none").to_owned()
/// }
///
/// let app: Router = Router::new()
///     .route("/events", get(handler))
///     .layer(Extension(LastEventIdQuery::new("lastEventId")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LastEventId(pub ResumeFrom);

impl LastEventId {
    /// Reads the header, then the query parameter if a [`LastEventIdQuery`] extension is
    /// present and the header is not.
    pub fn from_parts(parts: &Parts) -> Self {
        LastEventId(ResumeFrom::from_request(
            parts
                .headers
                .get(LAST_EVENT_ID_HEADER)
                .map(HeaderValue::as_bytes),
            parts.uri.query(),
            parts.extensions.get::<LastEventIdQuery>(),
        ))
    }

    /// The id to resume after, if the request gave a valid one.
    pub fn id(&self) -> Option<&str> {
        self.0.id()
    }
}

impl From<&LastEventId> for ResumeFrom {
    fn from(last: &LastEventId) -> Self {
        last.0.clone()
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

    fn extracted(request: Request<()>) -> ResumeFrom {
        LastEventId::from_parts(&request.into_parts().0).0
    }

    #[test]
    fn header_is_read_and_absent_header_is_live() {
        let request = Request::builder()
            .header("Last-Event-ID", "17")
            .body(())
            .unwrap();
        assert_eq!(extracted(request), ResumeFrom::After("17".into()));
        assert_eq!(extracted(Request::new(())), ResumeFrom::Live);
    }

    #[test]
    fn a_value_no_client_could_have_received_is_invalid_and_not_replaced_by_the_query() {
        // `http` already refuses NUL, CR and LF in header values; a non-UTF-8 value gets through.
        let not_utf8 = http::HeaderValue::from_bytes(b"7\xFF").unwrap();
        let request = Request::builder()
            .uri("/?lastEventId=5")
            .extension(LastEventIdQuery::new("lastEventId"))
            .header("Last-Event-ID", not_utf8)
            .body(())
            .unwrap();
        assert_eq!(extracted(request), ResumeFrom::Invalid);
        let nul_in_query = Request::builder()
            .uri("/?lastEventId=7%00")
            .extension(LastEventIdQuery::new("lastEventId"))
            .body(())
            .unwrap();
        assert_eq!(extracted(nul_in_query), ResumeFrom::Invalid);
    }

    #[test]
    fn query_is_read_only_when_opted_in_and_the_header_wins() {
        let uri = "/events?lastEventId=5";
        assert_eq!(
            extracted(Request::builder().uri(uri).body(()).unwrap()),
            ResumeFrom::Live
        );
        let opted_in = || {
            Request::builder()
                .uri(uri)
                .extension(LastEventIdQuery::new("lastEventId"))
        };
        assert_eq!(
            extracted(opted_in().body(()).unwrap()),
            ResumeFrom::After("5".into())
        );
        let both = opted_in().header("last-event-id", "9").body(()).unwrap();
        assert_eq!(extracted(both), ResumeFrom::After("9".into()));
    }
}
