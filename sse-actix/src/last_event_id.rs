//! The `LastEventId` extractor.

use std::convert::Infallible;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use sse_server::{LAST_EVENT_ID_HEADER, LastEventIdQuery, last_event_id};

/// The ID of the last event a reconnecting client received, from the `Last-Event-ID` header.
///
/// Never fails: a first connection has no header, and a value no client could have received
/// (empty, not UTF-8, or with NUL, CR or LF) counts as absent, so the field is `None` then.
///
/// For clients that cannot set headers, opt in to a query parameter by registering a
/// [`LastEventIdQuery`] with `app_data`, as actix-web's extractors take their configuration;
/// the header still wins when both are present:
///
/// ```
/// use actix_web::{App, web};
/// use sse_actix::{LastEventId, LastEventIdQuery};
///
/// async fn handler(LastEventId(last): LastEventId) -> String {
///     last.unwrap_or_default()
/// }
///
/// let app = App::new()
///     .app_data(LastEventIdQuery::new("lastEventId"))
///     .route("/events", web::get().to(handler));
/// # drop(app);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LastEventId(pub Option<String>);

impl LastEventId {
    /// Reads the ID from the header, then from the query parameter if a [`LastEventIdQuery`] is
    /// registered as app data.
    pub fn from_request_head(request: &HttpRequest) -> Self {
        let from_header = request
            .headers()
            .get(LAST_EVENT_ID_HEADER)
            .and_then(|value| last_event_id(value.as_bytes()))
            .map(str::to_owned);
        let from_query = || {
            let query = request.app_data::<LastEventIdQuery>()?;
            query.find(request.query_string())
        };
        LastEventId(from_header.or_else(from_query))
    }
}

impl FromRequest for LastEventId {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Ok(LastEventId::from_request_head(request)))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::HeaderValue;
    use actix_web::test::TestRequest;

    use super::*;

    fn extracted(request: TestRequest) -> Option<String> {
        LastEventId::from_request_head(&request.to_http_request()).0
    }

    #[test]
    fn header_is_read_and_absent_header_is_none() {
        let request = TestRequest::default().insert_header(("Last-Event-ID", "17"));
        assert_eq!(extracted(request), Some("17".into()));
        assert_eq!(extracted(TestRequest::default()), None);
    }

    #[test]
    fn a_value_no_client_could_have_received_is_none() {
        // Header values with NUL, CR or LF are refused by the header map; non-UTF-8 gets through.
        let not_utf8 = HeaderValue::from_bytes(b"7\xFF").unwrap();
        let request = TestRequest::default().insert_header(("Last-Event-ID", not_utf8));
        assert_eq!(extracted(request), None);
        let nul_in_query = TestRequest::with_uri("/?lastEventId=7%00")
            .app_data(LastEventIdQuery::new("lastEventId"));
        assert_eq!(extracted(nul_in_query), None);
    }

    #[test]
    fn query_is_read_only_when_opted_in_and_the_header_wins() {
        let uri = "/events?lastEventId=5";
        assert_eq!(extracted(TestRequest::with_uri(uri)), None);
        let opted_in = || TestRequest::with_uri(uri).app_data(LastEventIdQuery::new("lastEventId"));
        assert_eq!(extracted(opted_in()), Some("5".into()));
        let both = opted_in().insert_header(("last-event-id", "9"));
        assert_eq!(extracted(both), Some("9".into()));
    }

    #[actix_web::test]
    async fn extractor_never_fails() {
        let (request, mut payload) = TestRequest::default().to_http_parts();
        let extracted = LastEventId::from_request(&request, &mut payload).await;
        assert_eq!(extracted, Ok(LastEventId(None)));
    }
}
