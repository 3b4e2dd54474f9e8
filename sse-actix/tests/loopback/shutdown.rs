//! Graceful shutdown completes while SSE clients are connected.

use actix_web::web;
use futures_util::{Stream, StreamExt, stream};
use sse_actix::{Event, Shutdown, Sse};
use sse_test_support::open_streams_end_on_shutdown;

use crate::server::serve;

const CLIENTS: usize = 100;

async fn hello_until_shutdown(shutdown: web::Data<Shutdown>) -> Sse<impl Stream<Item = Event>> {
    let events = stream::iter([Event::new("hello")]).chain(stream::pending());
    Sse::new(events).shutdown(&shutdown)
}

#[actix_web::test]
async fn graceful_stop_with_100_open_streams_completes_within_a_second() {
    let shutdown = Shutdown::new();
    let data = web::Data::new(shutdown.clone());
    let mut server = serve(move |config| {
        config
            .app_data(data.clone())
            .route("/", web::get().to(hello_until_shutdown));
    });
    // As the crate docs say: trigger the streams' shutdown, then stop the server gracefully.
    let handle = server.handle.clone();
    let task = server.task.take().expect("server task");
    let stopped = async move {
        handle.stop(true).await;
        task.await.expect("server task").expect("server");
    };
    let took = open_streams_end_on_shutdown(&server.url("/"), CLIENTS, &shutdown, stopped).await;
    println!("graceful stop with {CLIENTS} open streams took {took:?}");
}
