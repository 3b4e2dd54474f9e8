//! The response headers every event stream needs, whatever the framework.

/// The headers of a `text/event-stream` response, as lowercase `(name, value)` pairs for each
/// adapter to set in its framework's types:
///
/// - `content-type: text/event-stream`: what `EventSource` requires;
/// - `cache-control: no-cache, no-transform`: a cache must not replay a live stream without
///   asking the server (`no-cache`), and an intermediary must not transform the body
///   (`no-transform`, RFC 9111 5.2.2.6): proxies and load balancers that compress on the fly,
///   and so gather a stream's small frames into larger compressed blocks, leave such a response
///   alone (HAProxy's compression, for one, skips it);
/// - `x-accel-buffering: no`: nginx (and proxies that honour it) must pass each event on at once
///   instead of buffering the response.
pub const RESPONSE_HEADERS: [(&str, &str); 3] = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-cache, no-transform"),
    ("x-accel-buffering", "no"),
];
