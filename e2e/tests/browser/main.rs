//! The examples in headless Chromium: events render in the page, named events reach their
//! listeners, `end_event` closes the source for good, and a page whose connection drops
//! reconnects by itself, sends `Last-Event-ID` and gets exactly the events it missed.
//!
//! Each test runs an example's own app in-process on 127.0.0.1, usually behind an `e2e::Proxy`
//! that plays the network failing. Without Chromium these tests are skipped,
//! except under `CI=true`, where that is a failure.

#[path = "../../../sse-warp/examples/broadcast/app.rs"]
mod broadcast_app;
#[path = "../../../sse-axum/examples/chat/app.rs"]
mod chat_app;
#[path = "../../../sse-actix/examples/custom_events/app.rs"]
mod custom_events_app;
#[path = "../../../sse-axum/examples/messages/app.rs"]
mod messages_app;
#[path = "../../../sse-warp/examples/sentences/app.rs"]
mod sentences_app;

mod broadcast;
mod chat;
mod custom_events;
mod messages;
mod sentences;
mod server;
mod ten_sources;
