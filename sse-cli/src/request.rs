//! The request and the event source, from the connection flags.

use reqwest::{Method, Url};
use sse_client::{EventSource, RetryPolicy};

use crate::cli::ConnectionArgs;

/// The HTTP client: reqwest's defaults (redirects followed, rustls for `https://`), with this
/// tool's name as the user agent.
pub(crate) fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .user_agent(concat!("sse/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| format!("cannot make an HTTP client: {error}"))
}

/// The request the flags describe: `--method`, else POST with `--data`, else GET; every
/// `--header`; the body.
pub(crate) fn request(
    client: &reqwest::Client,
    url: &Url,
    connection: &ConnectionArgs,
) -> reqwest::RequestBuilder {
    let method = connection
        .method
        .clone()
        .unwrap_or(if connection.data.is_some() {
            Method::POST
        } else {
            Method::GET
        });
    let mut request = client.request(method, url.clone());
    for (name, value) in &connection.headers {
        request = request.header(name, value);
    }
    if let Some(data) = &connection.data {
        request = request.body(data.clone());
    }
    request
}

/// The event source for the flags. Comments are always asked for: a keep-alive is also when a
/// change of the reconnection time becomes visible ([`crate::watch::watch`] shows comments only with
/// `--comments`).
pub(crate) fn event_source(url: &Url, connection: &ConnectionArgs) -> Result<EventSource, String> {
    let client = http_client()?;
    let mut builder = EventSource::builder(request(&client, url, connection))
        .comments(true)
        .retry_policy(if connection.no_reconnect {
            RetryPolicy::OneShot
        } else {
            RetryPolicy::Standard
        });
    if let Some(timeout) = connection.idle_timeout {
        builder = builder.idle_timeout(timeout);
    }
    if let Some(id) = &connection.last_event_id {
        builder = builder.last_event_id(id.as_str());
    }
    builder.build().map_err(|error| error.to_string())
}
