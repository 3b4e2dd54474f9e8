//! Running an example's router in the test's runtime.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;

/// How long a page may take to get what a test waits for, on a slow, shared machine.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// A listener on a free port of 127.0.0.1.
pub(crate) async fn listen() -> TcpListener {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1")
}

/// Serves `app` on `listener` until the test ends; returns the address.
pub(crate) fn serve(listener: TcpListener, app: axum::Router) -> SocketAddr {
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// The entries of a page's `sseLog` for events of type `kind`, as (`lastEventId`, data) pairs.
pub(crate) fn events_of(log: &[Value], kind: &str) -> Vec<(String, String)> {
    log.iter()
        .filter(|entry| entry["kind"] == kind)
        .map(|entry| {
            let text = |field: &str| entry[field].as_str().unwrap_or_default().to_owned();
            (text("id"), text("data"))
        })
        .collect()
}

/// How many entries of the log are of `kind` ("open", "error", an event type).
pub(crate) fn count_of(log: &[Value], kind: &str) -> usize {
    log.iter().filter(|entry| entry["kind"] == kind).count()
}

/// An actix-web server on its own thread and actix runtime; stopped when dropped.
pub(crate) struct ActixServer {
    addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
}

impl ActixServer {
    /// Serves the routes `configure` adds, on a free port of 127.0.0.1.
    pub(crate) fn start(
        configure: impl Fn(&mut actix_web::web::ServiceConfig) + Clone + Send + 'static,
    ) -> ActixServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (handle_sender, handle) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = move || actix_web::App::new().configure(configure.clone());
                let server = actix_web::HttpServer::new(app)
                    .workers(1)
                    .h1_allow_half_closed(false)
                    .listen(listener)
                    .expect("actix-web serves on the listener")
                    .run();
                let _ = handle_sender.send(server.handle());
                server.await
            })
        });
        let handle = handle
            .recv_timeout(Duration::from_secs(10))
            .expect("the actix-web server starts");
        ActixServer { addr, handle }
    }

    /// Where it listens.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for ActixServer {
    fn drop(&mut self) {
        // The stop command is sent at once; the thread ends with the server.
        drop(self.handle.stop(false));
    }
}

/// Serves warp `routes` on a free port of 127.0.0.1 until the test ends.
pub(crate) async fn serve_warp<F>(routes: F) -> SocketAddr
where
    F: warp::Filter + Clone + Send + Sync + 'static,
    F::Extract: warp::Reply,
{
    let listener = listen().await;
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(warp::serve(routes).incoming(listener).run());
    addr
}
