//! `sse serve`: a recording as an SSE endpoint on any path.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sse_axum::{
    DEFAULT_WRITE_TIMEOUT, KeepAlive, LastEventId, Shutdown, Sse, WriteTimeoutListener,
};

use crate::cli::ServeArgs;
use crate::ending::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::recording::Recording;
use crate::replay::Replay;

/// Serves `args.file` until Ctrl-C; returns the exit status.
pub(crate) async fn serve(args: &ServeArgs) -> u8 {
    let replay = match Recording::read(&args.file)
        .and_then(|recording| Replay::new(&recording, args.speed, args.repeat))
    {
        Ok(replay) => replay,
        Err(message) => {
            eprintln!("sse serve: {message}");
            return EXIT_USAGE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("sse serve: cannot listen on {}: {error}", args.listen);
            return EXIT_FAILED;
        }
    };
    let address = listener
        .local_addr()
        .map_or_else(|_| args.listen.to_string(), |a| a.to_string());
    eprintln!(
        "sse serve: {} ({} events) on http://{address}/ (any path)",
        args.file.display(),
        replay.events()
    );
    let shutdown = Shutdown::new();
    let app = Router::new()
        .fallback(play)
        .with_state((replay, shutdown.clone()));
    // A client that stops reading is dropped once its writes have been blocked for the
    // timeout, and a connection still open that long after Ctrl-C (an HTTP/2 stream held by
    // flow control) is dropped then: neither can hold a connection or the Ctrl-C.
    let listener = WriteTimeoutListener::new(listener, DEFAULT_WRITE_TIMEOUT)
        .drop_after_shutdown(&shutdown, DEFAULT_WRITE_TIMEOUT);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            crate::interrupt::ctrl_c().await;
            shutdown.trigger();
        })
        .await;
    match served {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("sse serve: {error}");
            EXIT_FAILED
        }
    }
}

/// Plays the recording from where the client's `Last-Event-ID` says, or answers 204 when the
/// client has seen it all.
async fn play(
    State((replay, shutdown)): State<(Replay, Shutdown)>,
    LastEventId(last): LastEventId,
) -> Response {
    match replay.frames_after(last.id()) {
        // The recording holds the original keep-alives, at their times.
        Some(frames) => Sse::new(frames)
            .keep_alive(KeepAlive::disabled())
            .shutdown(&shutdown)
            .into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
