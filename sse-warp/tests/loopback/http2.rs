//! HTTP/2: over TLS (ALPN `h2`, a certificate made by the test) with `sse_warp::serve_tls`,
//! and in cleartext with prior knowledge with `sse_warp::serve`.

use std::sync::Arc;

use futures_util::stream;
use sse_test_support::{
    DropWatch, IDLE_PATH, PACED_PATH, Paced, WATCHED_PATH, h2c_client, http2_scenarios,
    https_client, idle_keep_alive, self_signed_server_config,
};
use sse_warp::{DEFAULT_WRITE_TIMEOUT, Event};
use tokio::net::TcpListener;
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::{Filter, Reply};

/// The routes [`http2_scenarios`] reads.
fn scenario_routes(paced: &Paced, watch: &DropWatch) -> BoxedFilter<(Response,)> {
    let paced = paced.clone();
    let watched = watch.streams();
    let paced =
        warp::path(&PACED_PATH[1..]).map(move || sse_warp::reply(paced.events()).into_response());
    let idle = warp::path(&IDLE_PATH[1..]).map(|| {
        sse_warp::reply(stream::pending::<Event>())
            .keep_alive(idle_keep_alive())
            .into_response()
    });
    let watched = warp::path(&WATCHED_PATH[1..])
        .map(move || sse_warp::reply(watched.hello_then_wait()).into_response());
    paced.or(idle).unify().or(watched).unify().boxed()
}

#[tokio::test]
async fn over_tls_with_alpn_h2() {
    let (paced, mut watch) = (Paced::new(), DropWatch::new());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(sse_warp::serve_tls(
        warp::service(scenario_routes(&paced, &watch)),
        listener,
        Arc::new(self_signed_server_config()),
        DEFAULT_WRITE_TIMEOUT,
        std::future::pending(),
    ));
    http2_scenarios(
        &https_client(),
        &format!("https://{addr}"),
        &paced,
        &mut watch,
    )
    .await;
}

#[tokio::test]
async fn in_cleartext_with_prior_knowledge() {
    let (paced, mut watch) = (Paced::new(), DropWatch::new());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(sse_warp::serve(
        warp::service(scenario_routes(&paced, &watch)),
        listener,
        DEFAULT_WRITE_TIMEOUT,
        std::future::pending(),
    ));
    http2_scenarios(&h2c_client(), &format!("http://{addr}"), &paced, &mut watch).await;
}
