//! Loopback tests: a real axum server on 127.0.0.1 (port 0), a real HTTP client (reqwest), and
//! the events decoded with sse-codec's `EventStream`.

mod compression;
mod disconnect;
mod errors;
mod headers;
mod http2;
mod hub;
mod keep_alive;
mod last_event_id;
mod server;
mod shutdown;
mod write_timeout;
