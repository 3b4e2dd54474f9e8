//! The `LastEventId` extractor.

use std::convert::Infallible;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::HeaderValue;
use actix_web::{FromRequest, HttpRequest};
use sse_server::{LAST_EVENT_ID_HEADER, LastEventIdQuery, ResumeFrom};

/// Where a reconnecting client asks to resume: its `Last-Event-ID` header, read by
/// [`ResumeFrom::from_request`] (the rules are there).
///
/// Never fails: a first connection has no header ([`ResumeFrom::Live`]), and a header no
/// client could have received from this server is [`ResumeFrom::Invalid`], which a hub answers
/// with a resync event.
///
/// For clients that cannot set headers, opt in to a query parameter by registering a
/// [`LastEventIdQuery`] with `app_data`, as actix-web's extractors take their configuration;
/// a header that is present still wins:
///
/// ```
/// use actix_web::{App, web};
/// use sse_actix::{LastEventId, LastEventIdQuery};
///
/// async fn handler(last: LastEventId) -> String {
///     last.id().unwrap_or("none").to_owned()
/// }
///
/// let app = App::new()
///     .app_data(LastEventIdQuery::new("lastEventId"))
///     .route("/events", web::get().to(handler));
/// # drop(app);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LastEventId(pub ResumeFrom);

impl LastEventId {
    /// Reads the header, then the query parameter if a [`LastEventIdQuery`] is registered as
    /// app data and the header is absent.
    pub fn from_request_head(request: &HttpRequest) -> Self {
        LastEventId(ResumeFrom::from_request(
            request
                .headers()
                .get(LAST_EVENT_ID_HEADER)
                .map(HeaderValue::as_bytes),
            Some(request.query_string()),
            request.app_data::<LastEventIdQuery>(),
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

impl FromRequest for LastEventId {
    type Error = Infallible;
    type Future = Ready<Result<Self, Infallible>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Ok(LastEventId::from_request_head(request)))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn extracted(request: TestRequest) -> ResumeFrom {
        LastEventId::from_request_head(&request.to_http_request()).0
    }

    #[test]
    fn header_is_read_and_absent_header_is_live() {
        let request = TestRequest::default().insert_header(("Last-Event-ID", "17"));
        assert_eq!(extracted(request), ResumeFrom::After("17".into()));
        assert_eq!(extracted(TestRequest::default()), ResumeFrom::Live);
    }

    #[test]
    fn a_value_no_client_could_have_received_is_invalid_and_not_replaced_by_the_query() {
        // Header values with NUL, CR or LF are refused by the header map; non-UTF-8 gets through.
        let not_utf8 = HeaderValue::from_bytes(b"7\xFF").unwrap();
        let request = TestRequest::with_uri("/?lastEventId=5")
            .app_data(LastEventIdQuery::new("lastEventId"))
            .insert_header(("Last-Event-ID", not_utf8));
        assert_eq!(extracted(request), ResumeFrom::Invalid);
        let nul_in_query = TestRequest::with_uri("/?lastEventId=7%00")
            .app_data(LastEventIdQuery::new("lastEventId"));
        assert_eq!(extracted(nul_in_query), ResumeFrom::Invalid);
    }

    #[test]
    fn query_is_read_only_when_opted_in_and_the_header_wins() {
        let uri = "/events?lastEventId=5";
        assert_eq!(extracted(TestRequest::with_uri(uri)), ResumeFrom::Live);
        let opted_in = || TestRequest::with_uri(uri).app_data(LastEventIdQuery::new("lastEventId"));
        assert_eq!(extracted(opted_in()), ResumeFrom::After("5".into()));
        let both = opted_in().insert_header(("last-event-id", "9"));
        assert_eq!(extracted(both), ResumeFrom::After("9".into()));
    }

    #[actix_web::test]
    async fn extractor_never_fails() {
        let (request, mut payload) = TestRequest::default().to_http_parts();
        let extracted = LastEventId::from_request(&request, &mut payload).await;
        assert_eq!(extracted, Ok(LastEventId(ResumeFrom::Live)));
    }
}
