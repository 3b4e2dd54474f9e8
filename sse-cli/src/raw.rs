//! `--raw`: the response body's bytes as they arrive, nothing else.
//!
//! `sse-client` hands out decoded items, never the bytes they came in, so this mode reads the
//! body with reqwest itself. It keeps to the same lifecycle in small: the bytes also go through
//! a decoder, whose last event ID is sent as `Last-Event-ID` on a reconnect and whose
//! reconnection time (the server's `retry:`) is the wait before it; 204, other statuses and
//! other content types end the run as they do without `--raw`.

use std::future::pending;
use std::io::{self, Write};
use std::time::Duration;

use bytes::BytesMut;
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::Url;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderMap};
use sse_client::{Backoff, DEFAULT_RECONNECTION_TIME};
use sse_codec::{Decoder, Frame};
use tokio::time::Instant;

use crate::cli::{ConnectionArgs, LimitArgs};
use crate::ending::Ending;
use crate::request::{http_client, request};
use crate::summary::Stats;

/// Copies the body of `url` to `out` until an ending; connection errors go to `errors`.
pub(crate) async fn raw(
    url: &Url,
    connection: &ConnectionArgs,
    limits: LimitArgs,
    out: &mut dyn Write,
    errors: &mut dyn Write,
) -> (Ending, Stats) {
    let started = Instant::now();
    let mut copy = Copy {
        url,
        connection,
        max_events: limits.max_events,
        out,
        errors,
        decoder: Decoder::new(),
        stats: Stats::default(),
    };
    if let Some(id) = &connection.last_event_id {
        copy.decoder = Decoder::new().with_last_event_id(id.as_str());
    }
    let deadline = async {
        match limits.timeout {
            Some(after) => tokio::time::sleep(after).await,
            None => pending().await,
        }
    };
    let ending = if limits.max_events == Some(0) {
        Ending::MaxEvents(0)
    } else {
        tokio::select! {
            ending = copy.run() => ending,
            () = deadline => Ending::TimedOut(limits.timeout.unwrap_or_default()),
            () = crate::interrupt::ctrl_c() => Ending::Interrupted,
        }
    };
    let mut stats = copy.stats;
    stats.elapsed = started.elapsed();
    (ending, stats)
}

struct Copy<'a> {
    url: &'a Url,
    connection: &'a ConnectionArgs,
    max_events: Option<u64>,
    out: &'a mut dyn Write,
    errors: &'a mut dyn Write,
    decoder: Decoder,
    stats: Stats,
}

impl Copy<'_> {
    async fn run(&mut self) -> Ending {
        let client = match http_client() {
            Ok(client) => client,
            Err(message) => return Ending::Failed(message),
        };
        let mut sent = false;
        loop {
            if sent {
                self.stats.reconnects += 1;
            }
            sent = true;
            let mut request = request(&client, self.url, self.connection)
                .header(ACCEPT, "text/event-stream")
                .header(CACHE_CONTROL, "no-cache");
            if let Some(id) = self.decoder.last_event_id_header() {
                request = request.header("last-event-id", id);
            }
            let lost = match request.send().await {
                Err(error) => format!("transport error: {error}"),
                Ok(response) => match self.read(response).await {
                    Ok(lost) => lost,
                    Err(ending) => return ending,
                },
            };
            if self.connection.no_reconnect {
                return Ending::Failed(lost);
            }
            let delay = self
                .decoder
                .reconnection_time()
                .map_or(DEFAULT_RECONNECTION_TIME, Duration::from_millis)
                .max(Backoff::DEFAULT_MIN_DELAY);
            let _ = writeln!(
                self.errors,
                "sse: {lost}; reconnecting in {} ms",
                delay.as_millis()
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// Copies one response's body. `Ok` with what went wrong when the connection is lost and
    /// may be reestablished, `Err` when the run ends.
    async fn read(&mut self, response: reqwest::Response) -> Result<String, Ending> {
        let status = response.status();
        if status == StatusCode::NO_CONTENT {
            return Err(Ending::NoContent);
        }
        if status != StatusCode::OK {
            return Err(Ending::Failed(format!("the server answered {status}")));
        }
        if !is_event_stream(response.headers()) {
            return Err(Ending::Failed(format!(
                "the response's content type is {:?}, not text/event-stream",
                response.headers().get(CONTENT_TYPE)
            )));
        }
        self.decoder.start_new_stream();
        let idle_timeout = self.connection.idle_timeout;
        let mut body = response.bytes_stream();
        let mut buf = BytesMut::new();
        loop {
            let next = match idle_timeout {
                Some(after) => match tokio::time::timeout(after, body.next()).await {
                    Ok(next) => next,
                    Err(_) => return Ok(format!("no bytes received for {} ms", after.as_millis())),
                },
                None => body.next().await,
            };
            let chunk = match next {
                Some(Ok(chunk)) => chunk,
                Some(Err(error)) => return Ok(format!("transport error: {error}")),
                None if self.connection.no_reconnect => return Err(Ending::StreamEnded),
                None => return Ok("the server ended the event stream".to_owned()),
            };
            self.write(&chunk)?;
            buf.extend_from_slice(&chunk);
            self.count_events(&mut buf)?;
        }
    }

    fn write(&mut self, chunk: &[u8]) -> Result<(), Ending> {
        self.stats.bytes += chunk.len() as u64;
        self.out
            .write_all(chunk)
            .and_then(|()| self.out.flush())
            .map_err(|error| match error.kind() {
                io::ErrorKind::BrokenPipe => Ending::OutputClosed,
                _ => Ending::Failed(format!("cannot write the output: {error}")),
            })
    }

    /// Decodes what arrived, for the last event ID, the reconnection time and `--max-events`.
    fn count_events(&mut self, buf: &mut BytesMut) -> Result<(), Ending> {
        loop {
            match self.decoder.decode(buf) {
                Ok(Some(Frame::Event(_))) => {
                    self.stats.received += 1;
                    self.stats.shown += 1;
                    if let Some(max) = self.max_events.filter(|&max| self.stats.shown >= max) {
                        return Err(Ending::MaxEvents(max));
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => return Ok(()),
                // An event over the decoder's limits is skipped; its bytes were written anyway.
                Err(_) => {}
            }
        }
    }
}

/// The WHATWG check: the MIME type essence is `text/event-stream`, parameters ignored.
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("text/event-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn content_type_essence() {
        let mut headers = HeaderMap::new();
        assert!(!is_event_stream(&headers));
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("Text/Event-Stream; charset=utf-8"),
        );
        assert!(is_event_stream(&headers));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_event_stream(&headers));
    }
}
