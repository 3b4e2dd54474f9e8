//! Starting a server and reading its events.

use std::net::SocketAddr;

use actix_web::dev::ServerHandle;
use actix_web::middleware::{Compress, Condition};
use actix_web::rt::task::JoinHandle;
use actix_web::web::ServiceConfig;
use actix_web::{App, HttpServer};
pub(crate) use sse_test_support::{ended_by, frames, next_event, next_frame};

/// A running server, stopped (without waiting for its connections) when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    pub(crate) handle: ServerHandle,
    /// Completes when the server has stopped.
    pub(crate) task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// The full URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The stop command is sent at once; its future only reports completion.
        drop(self.handle.stop(false));
    }
}

/// Serves the routes `configure` adds, on two workers, with the server setting the crate
/// recommends for event streams: a client's half-close ends its connection.
pub(crate) fn serve<F>(configure: F) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    start(configure, Options::default())
}

/// Serves the routes `configure` adds behind actix-web's `Compress` middleware.
pub(crate) fn serve_compressed<F>(configure: F) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    let options = Options {
        compress: true,
        ..Options::default()
    };
    start(configure, options)
}

/// Serves the routes `configure` adds with actix-web's default settings, in which a connection
/// whose client has closed its side stays open until the server next writes to it.
pub(crate) fn serve_with_actix_defaults<F>(configure: F) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    let options = Options {
        allow_half_closed: true,
        ..Options::default()
    };
    start(configure, options)
}

#[derive(Default)]
struct Options {
    compress: bool,
    allow_half_closed: bool,
}

fn start<F>(configure: F, options: Options) -> Server
where
    F: Fn(&mut ServiceConfig) + Send + Clone + 'static,
{
    let compress = options.compress;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(Condition::new(compress, Compress::default()))
            .configure(configure.clone())
    })
    .workers(2)
    .h1_allow_half_closed(options.allow_half_closed)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    let task = Some(actix_web::rt::spawn(server));
    Server { addr, handle, task }
}
