//! HTTP/2: over TLS with `bind_rustls_0_23` (actix-web adds ALPN `h2` and `http/1.1` itself),
//! and in cleartext with prior knowledge on `bind_auto_h2c`.

use actix_web::web::{self, ServiceConfig};
use actix_web::{App, HttpServer};
use futures_util::stream;
use sse_actix::{Event, Sse};
use sse_test_support::{
    DropWatch, IDLE_PATH, PACED_PATH, Paced, WATCHED_PATH, h2c_client, http2_scenarios,
    https_client, idle_keep_alive, self_signed_server_config,
};

/// The routes [`http2_scenarios`] reads.
fn scenario_routes(
    paced: &Paced,
    watch: &DropWatch,
) -> impl Fn(&mut ServiceConfig) + Send + Clone + 'static {
    let paced = paced.clone();
    let watched = watch.streams();
    move |config: &mut ServiceConfig| {
        let paced = paced.clone();
        let watched = watched.clone();
        config
            .route(
                PACED_PATH,
                web::get().to(move || {
                    let events = paced.events();
                    async move { Sse::new(events) }
                }),
            )
            .route(
                IDLE_PATH,
                web::get().to(|| async {
                    Sse::new(stream::pending::<Event>()).keep_alive(idle_keep_alive())
                }),
            )
            .route(
                WATCHED_PATH,
                // actix-web's HTTP/2 dispatcher waits on the body alone and learns of the
                // client's RST_STREAM only when it next sends: keep-alive is what finds out.
                web::get().to(move || {
                    let events = watched.hello_then_wait();
                    async move { Sse::new(events).keep_alive(idle_keep_alive()) }
                }),
            );
    }
}

#[actix_web::test]
async fn over_tls_with_alpn_h2() {
    let (paced, mut watch) = (Paced::new(), DropWatch::new());
    let routes = scenario_routes(&paced, &watch);
    let server = HttpServer::new(move || App::new().configure(routes.clone()))
        .workers(1)
        .disable_signals()
        .bind_rustls_0_23(("127.0.0.1", 0), self_signed_server_config())
        .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    http2_scenarios(
        &https_client(),
        &format!("https://{addr}"),
        &paced,
        &mut watch,
    )
    .await;
    handle.stop(false).await;
}

#[actix_web::test]
async fn in_cleartext_with_prior_knowledge() {
    let (paced, mut watch) = (Paced::new(), DropWatch::new());
    let routes = scenario_routes(&paced, &watch);
    let server = HttpServer::new(move || App::new().configure(routes.clone()))
        .workers(1)
        .disable_signals()
        .bind_auto_h2c(("127.0.0.1", 0))
        .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    http2_scenarios(&h2c_client(), &format!("http://{addr}"), &paced, &mut watch).await;
    handle.stop(false).await;
}
