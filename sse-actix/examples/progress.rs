//! A live "job progress" page: `/` shows a progress bar fed by an `EventSource` on `/events`.
//!
//! ```sh
//! cargo run -p sse-actix --example progress
//! ```
//!
//! Then open <http://127.0.0.1:8080/>, or watch the raw stream with
//! `curl -N http://127.0.0.1:8080/events`. Reload the page mid-job and it resumes where it was
//! (the browser sends `Last-Event-ID`). Ctrl-C ends every open stream with a `bye` event, then
//! stops the server at once instead of after its 30-second shutdown timeout.

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, Responder, get, web};
use futures_util::{Stream, StreamExt, stream};
use sse_actix::{DEFAULT_WRITE_TIMEOUT, Event, KeepAlive, LastEventId, ResumeFrom, Shutdown, Sse};

const STEP: Duration = Duration::from_millis(300);

#[get("/")]
async fn page() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(PAGE)
}

/// The job's progress from where the client left off: one `progress` event per percent, with
/// the percent as its ID, then a `done` event.
#[get("/events")]
async fn events(
    LastEventId(last): LastEventId,
    shutdown: web::Data<Shutdown>,
) -> Sse<impl Stream<Item = Event>> {
    Sse::new(progress_after(&last))
        .retry(Duration::from_secs(2))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .shutdown(&shutdown)
}

/// `progress` events from the percent after `last`, then `done`.
pub(crate) fn progress_after(last: &ResumeFrom) -> impl Stream<Item = Event> + use<> {
    // Ids are percents: any other value (the header is the client's word) starts the bar over.
    let resumed_at: u32 = last
        .id()
        .and_then(|id| id.parse().ok())
        .filter(|&percent| percent <= 100)
        .unwrap_or(0);
    let progress = stream::iter(resumed_at + 1..=100).then(|percent| async move {
        actix_web::rt::time::sleep(STEP).await;
        Event::new(percent.to_string())
            .with_event_type("progress")
            .with_id(percent.to_string())
    });
    let done = stream::once(async { Event::new("job finished").with_event_type("done") });
    progress.chain(done)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let shutdown = Shutdown::new();
    let data = web::Data::new(shutdown.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .service(page)
            .service(events)
    })
    // Ctrl-C is handled below: the event streams must end before the server waits for its
    // connections.
    .disable_signals()
    // A client that goes away is noticed at once, not at the next keep-alive.
    .h1_allow_half_closed(false)
    // A page that stops reading is dropped once its writes have been blocked for the timeout,
    // so it can hold neither a connection nor the stop.
    .on_connect(sse_actix::write_timeout(DEFAULT_WRITE_TIMEOUT))
    .bind(("127.0.0.1", 8080))?
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            shutdown.trigger_with(Event::new("server restarting").with_event_type("bye"));
            handle.stop(true).await;
        }
    });
    println!("job progress at http://127.0.0.1:8080/ (Ctrl-C to stop)");
    server.await
}

const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>Job progress</title>
<h1>Job progress</h1>
<progress id="bar" max="100" value="0"></progress> <span id="percent">0%</span>
<p id="status">connecting…</p>
<script>
  const events = new EventSource("/events");
  const show = (text) => (document.getElementById("status").textContent = text);
  events.onopen = () => show("running");
  events.addEventListener("progress", (e) => {
    document.getElementById("bar").value = Number(e.data);
    document.getElementById("percent").textContent = e.data + "%";
  });
  events.addEventListener("done", (e) => { show(e.data); events.close(); });
  events.addEventListener("bye", (e) => show(e.data + ", reconnecting…"));
  events.onerror = () => show("connection lost, retrying…");
</script>
"#;
