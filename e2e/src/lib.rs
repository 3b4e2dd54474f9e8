//! The harness of the end-to-end tests: the examples run in-process and are read by a real
//! browser (headless Chromium driven over WebDriver) and by other people's SSE clients.
//!
//! - [`Browser`]: a Chromium session through `chromedriver`, one at a time, killed with
//!   everything it started when dropped.
//! - [`Proxy`]: a TCP relay between the browser and an example that can cut every open
//!   connection, hold new ones back, and records each request's head (to see the
//!   `Last-Event-ID` a reconnecting browser sends).
//! - [`skip_or_fail`]: what a test does when a browser or client it needs is not installed:
//!   outside CI it is skipped with a printed reason; with `CI=true` it fails.

mod browser;
mod proxy;
mod requirement;

pub use crate::browser::Browser;
pub use crate::proxy::{Proxy, RequestHead};
pub use crate::requirement::{find_program, in_ci, skip_or_fail};
