//! `Last-Event-ID`: where a reconnecting client says how far it got.

use std::borrow::Cow;

use bytestring::ByteString;

use crate::hub::MAX_EVENT_ID_LEN;

/// The request header a reconnecting `EventSource` sends, in the lower case HTTP/2 requires.
pub const LAST_EVENT_ID_HEADER: &str = "last-event-id";

/// Where a client asks its stream to start, read from its request's `Last-Event-ID`: the one
/// value every adapter's extractor gives and [`Channel::subscribe`](crate::Channel::subscribe)
/// takes.
///
/// [`from_request`](Self::from_request) reads it, with these rules:
///
/// - no header: [`Live`](Self::Live) (a first connection), or the opted-in query parameter
///   ([`LastEventIdQuery`]) if the request has one;
/// - a header with an empty value: [`Live`](Self::Live) (the stream reset the client's last
///   event ID; a browser then sends no header at all);
/// - a header with an id a client could have received: [`After`](Self::After);
/// - a header that is not UTF-8, contains NUL, CR or LF, or is longer than
///   [`MAX_EVENT_ID_LEN`]: [`Invalid`](Self::Invalid). It names a position, just not one this
///   server ever gave, so it must not be taken as "no id": a hub answers it with a resync
///   event, and an app resuming by itself should treat it as an unknown id.
///
/// A header that is present always wins over the query parameter, even when invalid: a browser
/// updates the header on every reconnect, while a query parameter may be left from the page's
/// original URL.
///
/// # Examples
///
/// ```
/// use sse_server::{LastEventIdQuery, ResumeFrom};
///
/// assert_eq!(ResumeFrom::from_header(b"42"), ResumeFrom::After("42".into()));
/// assert_eq!(ResumeFrom::from_header(b""), ResumeFrom::Live);
/// assert_eq!(ResumeFrom::from_header(b"4\x002"), ResumeFrom::Invalid);
/// assert_eq!(ResumeFrom::from_header(b"\xFF"), ResumeFrom::Invalid);
///
/// let query = LastEventIdQuery::new("lastEventId");
/// let from_query = ResumeFrom::from_request(None, Some("lastEventId=7"), Some(&query));
/// assert_eq!(from_query.id(), Some("7"));
/// let header_wins = ResumeFrom::from_request(Some(b"\xFF"), Some("lastEventId=7"), Some(&query));
/// assert_eq!(header_wins, ResumeFrom::Invalid);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum ResumeFrom {
    /// No last event ID: start with the events published from now on.
    #[default]
    Live,
    /// The id of the last event the client received: continue after it.
    After(ByteString),
    /// A `Last-Event-ID` no client could have received from this server.
    Invalid,
}

impl ResumeFrom {
    /// The value of a `Last-Event-ID` header that is present.
    pub fn from_header(value: &[u8]) -> Self {
        let Ok(id) = std::str::from_utf8(value) else {
            return ResumeFrom::Invalid;
        };
        ResumeFrom::from_id(id)
    }

    /// The value of an id given as text: empty is [`Live`](Self::Live); one that could not have
    /// come from an `id:` field, or is too long for a header, is [`Invalid`](Self::Invalid).
    pub fn from_id(id: &str) -> Self {
        if id.is_empty() {
            ResumeFrom::Live
        } else if sse_codec::check_id(id).is_err() || id.len() > MAX_EVENT_ID_LEN {
            ResumeFrom::Invalid
        } else {
            ResumeFrom::After(ByteString::from(id))
        }
    }

    /// Where a request asks to start: its `Last-Event-ID` header value (`None` when absent),
    /// or, only when the header is absent and `param` says which parameter to read, its query
    /// string (the part of the URL after `?`). Every adapter's extractor is this function.
    pub fn from_request(
        header: Option<&[u8]>,
        query: Option<&str>,
        param: Option<&LastEventIdQuery>,
    ) -> Self {
        match (header, query, param) {
            (Some(value), _, _) => ResumeFrom::from_header(value),
            (None, Some(query), Some(param)) => param.find(query).unwrap_or_default(),
            (None, _, _) => ResumeFrom::Live,
        }
    }

    /// The id to resume after, if the request gave a valid one.
    pub fn id(&self) -> Option<&str> {
        match self {
            ResumeFrom::After(id) => Some(id),
            ResumeFrom::Live | ResumeFrom::Invalid => None,
        }
    }
}

/// `None` is [`ResumeFrom::Live`]; an id is read as [`ResumeFrom::from_id`] reads it.
impl From<Option<&str>> for ResumeFrom {
    fn from(id: Option<&str>) -> Self {
        id.map_or(ResumeFrom::Live, ResumeFrom::from_id)
    }
}

impl From<&ResumeFrom> for ResumeFrom {
    fn from(from: &ResumeFrom) -> Self {
        from.clone()
    }
}

/// Opt-in: read the last event ID from a query parameter when the request has no
/// `Last-Event-ID` header, for clients that cannot set headers (a polyfill that puts the ID in
/// the URL it reconnects to). See [`ResumeFrom::from_request`].
///
/// # Examples
///
/// ```
/// use sse_server::{LastEventIdQuery, ResumeFrom};
///
/// let query = LastEventIdQuery::new("lastEventId");
/// assert_eq!(query.find("topic=a&lastEventId=order%2F7"), Some(ResumeFrom::After("order/7".into())));
/// assert_eq!(query.find("topic=a"), None);
/// assert_eq!(query.find("lastEventId=a%0Ab"), Some(ResumeFrom::Invalid));
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

    /// The first occurrence of the parameter in `query` (the part of the URL after `?`),
    /// decoded and read as [`ResumeFrom::from_id`] reads it; `None` when it is missing.
    pub fn find(&self, query: &str) -> Option<ResumeFrom> {
        let (_, value) =
            form_urlencoded::parse(query.as_bytes()).find(|(name, _)| *name == *self.param)?;
        Some(ResumeFrom::from_id(&value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_no_client_could_have_received_is_invalid_not_absent() {
        let long = "7".repeat(MAX_EVENT_ID_LEN + 1);
        for bad in [
            &b"a\rb"[..],
            b"a\nb",
            b"a\0b",
            b"\n",
            b"\0",
            b"7\xFF",
            long.as_bytes(),
        ] {
            assert_eq!(ResumeFrom::from_header(bad), ResumeFrom::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn non_ascii_ids_survive() {
        assert_eq!(
            ResumeFrom::from_header("événement-9".as_bytes()).id(),
            Some("événement-9")
        );
    }

    #[test]
    fn a_present_header_is_never_replaced_by_the_query() {
        let param = LastEventIdQuery::new("id");
        let query = Some("id=5");
        let cases: [(Option<&[u8]>, ResumeFrom); 4] = [
            (None, ResumeFrom::After("5".into())),
            (Some(b"9"), ResumeFrom::After("9".into())),
            (Some(b"\xFF"), ResumeFrom::Invalid),
            (Some(b""), ResumeFrom::Live),
        ];
        for (header, expected) in cases {
            assert_eq!(
                ResumeFrom::from_request(header, query, Some(&param)),
                expected
            );
        }
        assert_eq!(
            ResumeFrom::from_request(None, query, None),
            ResumeFrom::Live,
            "not opted in"
        );
        assert_eq!(
            ResumeFrom::from_request(None, None, Some(&param)),
            ResumeFrom::Live
        );
    }

    #[test]
    fn query_value_is_form_decoded() {
        let query = LastEventIdQuery::new("id");
        assert_eq!(
            query.find("id=a+b%20c"),
            Some(ResumeFrom::After("a b c".into()))
        );
        assert_eq!(
            query.find("x=1&id=7&id=8"),
            Some(ResumeFrom::After("7".into()))
        );
        assert_eq!(query.find("id="), Some(ResumeFrom::Live));
        assert_eq!(query.find("id=%00"), Some(ResumeFrom::Invalid));
        assert_eq!(query.find("idx=7"), None);
    }

    #[test]
    fn options_convert_as_ids() {
        assert_eq!(ResumeFrom::from(None), ResumeFrom::Live);
        assert_eq!(ResumeFrom::from(Some("")), ResumeFrom::Live);
        assert_eq!(ResumeFrom::from(Some("3")), ResumeFrom::After("3".into()));
        assert_eq!(ResumeFrom::from(Some("3\n")), ResumeFrom::Invalid);
    }
}
