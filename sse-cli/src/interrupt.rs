//! Ctrl-C as a future that only ever completes on a Ctrl-C.

use std::future::pending;

/// Completes when the process receives Ctrl-C (SIGINT). If the handler cannot be installed,
/// it never completes: the command then runs until its other endings, rather than ending at
/// once as if interrupted.
pub(crate) async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        pending::<()>().await;
    }
}
