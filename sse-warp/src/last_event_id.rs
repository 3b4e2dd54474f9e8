//! Filters that extract the ID of the last event a reconnecting client received.

use std::convert::Infallible;

use http::HeaderValue;
use sse_server::{LAST_EVENT_ID_HEADER, LastEventIdQuery};
use warp::Filter;

/// Extracts the `Last-Event-ID` header as `Option<String>`; never rejects.
///
/// A first connection has no header, and a value no client could have received (empty, not
/// UTF-8, or with NUL, CR or LF) counts as absent: the filter extracts `None` then, which its
/// `Error = Infallible` states in the type. Non-ASCII UTF-8 IDs are kept.
///
/// # Examples
///
/// ```
/// use futures_util::stream;
/// use sse_warp::Event;
/// use warp::Filter;
///
/// let resume = warp::path("events")
///     .and(sse_warp::last_event_id())
///     .map(|last: Option<String>| {
///         let seen = last.unwrap_or_else(|| "nothing yet".to_owned());
///         sse_warp::reply(stream::iter([Event::new(seen)]))
///     });
/// ```
pub fn last_event_id() -> impl Filter<Extract = (Option<String>,), Error = Infallible> + Copy {
    // `warp::header::optional` would reject a value that is not visible ASCII, so a UTF-8 ID
    // would turn into an error response: read the raw value and fall back to `None` instead.
    warp::header::value(LAST_EVENT_ID_HEADER)
        .map(|value: HeaderValue| from_header(&value))
        .or(warp::any().map(|| None))
        .unify()
}

/// Like [`last_event_id`], and when the header is absent, reads the ID from the query
/// parameter `query` names, for clients that cannot set headers; never rejects.
///
/// The header wins when both are present: a browser updates the header on every reconnect,
/// while a query parameter may be left from the page's original URL.
///
/// # Examples
///
/// ```
/// use futures_util::stream;
/// use sse_warp::{Event, LastEventIdQuery};
/// use warp::Filter;
///
/// let resume = warp::path("events")
///     .and(sse_warp::last_event_id_or_query(LastEventIdQuery::new("lastEventId")))
///     .map(|last: Option<String>| sse_warp::reply(stream::iter([Event::new(last.unwrap_or_default())])));
/// ```
pub fn last_event_id_or_query(
    query: LastEventIdQuery,
) -> impl Filter<Extract = (Option<String>,), Error = Infallible> + Clone {
    let raw_query = warp::query::raw()
        .map(Some)
        .or(warp::any().map(|| None))
        .unify();
    last_event_id()
        .and(raw_query)
        .map(move |from_header: Option<String>, raw: Option<String>| {
            from_header.or_else(|| query.find(&raw?))
        })
}

fn from_header(value: &HeaderValue) -> Option<String> {
    sse_server::last_event_id(value.as_bytes()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn extracted(
        request: warp::test::RequestBuilder,
        filter: &(impl Filter<Extract = (Option<String>,), Error = Infallible> + 'static),
    ) -> Option<String> {
        request
            .filter(filter)
            .await
            .unwrap_or_else(|never| match never {})
    }

    #[tokio::test]
    async fn header_is_read_and_absent_header_is_none() {
        let request = warp::test::request().header("Last-Event-ID", "17");
        assert_eq!(
            extracted(request, &last_event_id()).await,
            Some("17".into())
        );
        assert_eq!(
            extracted(warp::test::request(), &last_event_id()).await,
            None
        );
    }

    #[tokio::test]
    async fn a_utf8_id_is_kept_and_a_value_no_client_could_have_received_is_none() {
        let utf8 = HeaderValue::from_bytes("caf\u{e9}".as_bytes()).unwrap();
        let request = warp::test::request().header("last-event-id", utf8);
        assert_eq!(
            extracted(request, &last_event_id()).await,
            Some("caf\u{e9}".into())
        );
        // `http` already refuses NUL, CR and LF in header values; a non-UTF-8 value gets through.
        let not_utf8 = HeaderValue::from_bytes(b"7\xFF").unwrap();
        let request = warp::test::request().header("last-event-id", not_utf8);
        assert_eq!(extracted(request, &last_event_id()).await, None);
        let request = warp::test::request().header("last-event-id", "");
        assert_eq!(extracted(request, &last_event_id()).await, None);
    }

    #[tokio::test]
    async fn query_is_read_when_the_header_is_absent_and_the_header_wins() {
        let filter = last_event_id_or_query(LastEventIdQuery::new("lastEventId"));
        let uri = "/events?topic=a&lastEventId=order%2F7";
        let request = warp::test::request().path(uri);
        assert_eq!(extracted(request, &filter).await, Some("order/7".into()));
        let both = warp::test::request().path(uri).header("last-event-id", "9");
        assert_eq!(extracted(both, &filter).await, Some("9".into()));
        let without = warp::test::request().path("/events");
        assert_eq!(extracted(without, &filter).await, None);
        let nul = warp::test::request().path("/events?lastEventId=7%00");
        assert_eq!(extracted(nul, &filter).await, None);
    }

    #[tokio::test]
    async fn the_plain_filter_ignores_the_query() {
        let request = warp::test::request().path("/events?lastEventId=5");
        assert_eq!(extracted(request, &last_event_id()).await, None);
    }
}
