//! The response headers every event stream needs, whatever the framework.

/// The headers of a `text/event-stream` response, as lowercase `(name, value)` pairs for each
/// adapter to set in its framework's types:
///
/// - `content-type: text/event-stream`: what `EventSource` requires;
/// - `cache-control: no-cache`: a cache must not store or replay a live stream;
/// - `x-accel-buffering: no`: nginx (and proxies that honour it) must pass each event on at once
///   instead of buffering the response.
pub const RESPONSE_HEADERS: [(&str, &str); 3] = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-cache"),
    ("x-accel-buffering", "no"),
];
