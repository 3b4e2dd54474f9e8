//! `Last-Event-ID`: where a reconnecting client says how far it got.

use std::borrow::Cow;

/// The request header a reconnecting `EventSource` sends, in the lower case HTTP/2 requires.
pub const LAST_EVENT_ID_HEADER: &str = "last-event-id";

/// The last event ID in a `Last-Event-ID` header value, if it is one a client could have
/// received.
///
/// Absent (`None`) when the value is empty (a browser sends no header then), is not UTF-8, or
/// contains NUL, CR or LF: the decoder ignores an `id` field with NUL, and no id with a line
/// break can be received, so such a value did not come from this stream.
///
/// # Examples
///
/// ```
/// use sse_server::last_event_id;
///
/// assert_eq!(last_event_id(b"42"), Some("42"));
/// assert_eq!(last_event_id(b""), None);
/// assert_eq!(last_event_id(b"4\x002"), None);
/// assert_eq!(last_event_id(b"\xFF"), None);
/// ```
pub fn last_event_id(header_value: &[u8]) -> Option<&str> {
    let id = std::str::from_utf8(header_value).ok()?;
    is_receivable(id).then_some(id)
}

fn is_receivable(id: &str) -> bool {
    !id.is_empty() && !id.bytes().any(|byte| matches!(byte, 0 | b'\r' | b'\n'))
}

/// Opt-in: read the last event ID from a query parameter, for clients that cannot set headers
/// (a polyfill that puts the ID in the URL it reconnects to).
///
/// The header wins when both are present: a browser updates the header on every reconnect,
/// while a query parameter may be left from the page's original URL.
///
/// # Examples
///
/// ```
/// use sse_server::LastEventIdQuery;
///
/// let query = LastEventIdQuery::new("lastEventId");
/// assert_eq!(query.find("topic=a&lastEventId=order%2F7"), Some("order/7".to_owned()));
/// assert_eq!(query.find("topic=a"), None);
/// assert_eq!(query.find("lastEventId=a%0Ab"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LastEventIdQuery {
    param: Cow<'static, str>,
}

impl LastEventIdQuery {
    /// Reads the parameter `param` (form-urlencoded, as `URLSearchParams` writes it).
    pub fn new(param: impl Into<Cow<'static, str>>) -> Self {
        LastEventIdQuery {
            param: param.into(),
        }
    }

    /// The parameter's name.
    pub fn param(&self) -> &str {
        &self.param
    }

    /// The last event ID in `query` (the part of the URL after `?`), decoded; `None` when the
    /// parameter is missing or its first occurrence is not an ID a client could have received
    /// (see [`last_event_id`]).
    pub fn find(&self, query: &str) -> Option<String> {
        let (_, value) =
            form_urlencoded::parse(query.as_bytes()).find(|(name, _)| *name == *self.param)?;
        is_receivable(&value).then(|| value.into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_the_decoder_ignores_makes_the_header_absent() {
        for bad in [&b"a\rb"[..], b"a\nb", b"a\0b", b"\n", b"\0"] {
            assert_eq!(last_event_id(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn non_ascii_ids_survive() {
        assert_eq!(last_event_id("événement-9".as_bytes()), Some("événement-9"));
    }

    #[test]
    fn query_value_is_form_decoded() {
        let query = LastEventIdQuery::new("id");
        assert_eq!(query.find("id=a+b%20c"), Some("a b c".to_owned()));
        assert_eq!(query.find("x=1&id=7&id=8"), Some("7".to_owned()));
        assert_eq!(query.find("id="), None);
        assert_eq!(query.find("id=%00"), None);
        assert_eq!(query.find("idx=7"), None);
    }
}
