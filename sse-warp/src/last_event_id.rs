//! Filters that extract where a reconnecting client asks to resume.

use std::convert::Infallible;

use http::HeaderValue;
use sse_server::{LAST_EVENT_ID_HEADER, LastEventIdQuery, ResumeFrom};
use warp::Filter;

/// Extracts the `Last-Event-ID` header as a [`ResumeFrom`], read by
/// [`ResumeFrom::from_request`] (the rules are there); never rejects.
///
/// A first connection has no header ([`ResumeFrom::Live`]), and a header no client could have
/// received from this server is [`ResumeFrom::Invalid`], which a hub answers with a resync
/// event; the filter's `Error = Infallible` states in the type that it never rejects.
/// Non-ASCII UTF-8 ids are kept.
///
/// # Examples
///
/// ```
/// use futures_util::stream;
/// use sse_warp::{Event, ResumeFrom};
/// use warp::Filter;
///
/// let resume = warp::path("events")
///     .and(sse_warp::last_event_id())
///     .map(|from: ResumeFrom| {
///         let seen = from.id().unwrap_or("nothing yet").to_owned();
///         sse_warp::reply(stream::iter([Event::new(seen)]))
///     });
/// ```
pub fn last_event_id() -> impl Filter<Extract = (ResumeFrom,), Error = Infallible> + Copy {
    raw_header().map(|header: Option<HeaderValue>| {
        ResumeFrom::from_request(header.as_ref().map(HeaderValue::as_bytes), None, None)
    })
}

/// Like [`last_event_id`], and when the header is absent, reads the id from the query
/// parameter `query` names, for clients that cannot set headers; never rejects.
///
/// A header that is present wins, even when it is invalid: a browser updates the header on
/// every reconnect, while a query parameter may be left from the page's original URL.
///
/// # Examples
///
/// ```
/// use futures_util::stream;
/// use sse_warp::{Event, LastEventIdQuery, ResumeFrom};
/// use warp::Filter;
///
/// let resume = warp::path("events")
///     .and(sse_warp::last_event_id_or_query(LastEventIdQuery::new("lastEventId")))
///     .map(|from: ResumeFrom| {
///         sse_warp::reply(stream::iter([Event::new(from.id().unwrap_or_default().to_owned())]))
///     });
/// ```
pub fn last_event_id_or_query(
    query: LastEventIdQuery,
) -> impl Filter<Extract = (ResumeFrom,), Error = Infallible> + Clone {
    let raw_query = warp::query::raw()
        .map(Some)
        .or(warp::any().map(|| None))
        .unify();
    raw_header()
        .and(raw_query)
        .map(move |header: Option<HeaderValue>, raw: Option<String>| {
            ResumeFrom::from_request(
                header.as_ref().map(HeaderValue::as_bytes),
                raw.as_deref(),
                Some(&query),
            )
        })
}

/// The raw header value, if present. `warp::header::optional` would reject a value that is not
/// visible ASCII, so a UTF-8 id would turn into an error response.
fn raw_header() -> impl Filter<Extract = (Option<HeaderValue>,), Error = Infallible> + Copy {
    warp::header::value(LAST_EVENT_ID_HEADER)
        .map(Some)
        .or(warp::any().map(|| None))
        .unify()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn extracted(
        request: warp::test::RequestBuilder,
        filter: &(impl Filter<Extract = (ResumeFrom,), Error = Infallible> + 'static),
    ) -> ResumeFrom {
        request
            .filter(filter)
            .await
            .unwrap_or_else(|never| match never {})
    }

    #[tokio::test]
    async fn header_is_read_and_absent_header_is_live() {
        let request = warp::test::request().header("Last-Event-ID", "17");
        assert_eq!(
            extracted(request, &last_event_id()).await,
            ResumeFrom::After("17".into())
        );
        assert_eq!(
            extracted(warp::test::request(), &last_event_id()).await,
            ResumeFrom::Live
        );
    }

    #[tokio::test]
    async fn a_utf8_id_is_kept_and_a_value_no_client_could_have_received_is_invalid() {
        let utf8 = HeaderValue::from_bytes("caf\u{e9}".as_bytes()).unwrap();
        let request = warp::test::request().header("last-event-id", utf8);
        assert_eq!(
            extracted(request, &last_event_id()).await,
            ResumeFrom::After("caf\u{e9}".into())
        );
        // `http` already refuses NUL, CR and LF in header values; a non-UTF-8 value gets through.
        let not_utf8 = HeaderValue::from_bytes(b"7\xFF").unwrap();
        let request = warp::test::request().header("last-event-id", not_utf8);
        assert_eq!(
            extracted(request, &last_event_id()).await,
            ResumeFrom::Invalid
        );
        let request = warp::test::request().header("last-event-id", "");
        assert_eq!(extracted(request, &last_event_id()).await, ResumeFrom::Live);
    }

    #[tokio::test]
    async fn query_is_read_when_the_header_is_absent_and_the_header_wins() {
        let filter = last_event_id_or_query(LastEventIdQuery::new("lastEventId"));
        let uri = "/events?topic=a&lastEventId=order%2F7";
        let request = warp::test::request().path(uri);
        assert_eq!(
            extracted(request, &filter).await,
            ResumeFrom::After("order/7".into())
        );
        let both = warp::test::request().path(uri).header("last-event-id", "9");
        assert_eq!(
            extracted(both, &filter).await,
            ResumeFrom::After("9".into())
        );
        let invalid = HeaderValue::from_bytes(b"\xFF").unwrap();
        let invalid_header = warp::test::request()
            .path(uri)
            .header("last-event-id", invalid);
        assert_eq!(
            extracted(invalid_header, &filter).await,
            ResumeFrom::Invalid
        );
        let without = warp::test::request().path("/events");
        assert_eq!(extracted(without, &filter).await, ResumeFrom::Live);
        let nul = warp::test::request().path("/events?lastEventId=7%00");
        assert_eq!(extracted(nul, &filter).await, ResumeFrom::Invalid);
    }

    #[tokio::test]
    async fn the_plain_filter_ignores_the_query() {
        let request = warp::test::request().path("/events?lastEventId=5");
        assert_eq!(extracted(request, &last_event_id()).await, ResumeFrom::Live);
    }
}
