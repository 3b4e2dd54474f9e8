//! `sse`: watch, filter, assert on, record and replay Server-Sent Events streams.
//!
//! `curl -N` shows a stream's raw bytes; `sse` shows its events, one block at a time, with
//! JSON data indented, and reconnects with `Last-Event-ID` as a browser's `EventSource` does
//! (it runs on `sse-client`). For scripts and CI it writes JSON lines (`--json`) and ends with
//! an exit status that says how the stream ended. `sse record` keeps a stream, with its
//! timing, in a file; `sse serve` plays that file as an SSE endpoint, so a stream seen once
//! becomes a fixture for tests.
//!
//! ```sh
//! sse http://127.0.0.1:3000/events                     # watch
//! sse --json -n 5 --timeout 10s http://127.0.0.1:3000/events   # assert: 5 events in 10 s
//! sse record http://127.0.0.1:3000/events -o prices.jsonl -n 20
//! sse serve prices.jsonl --listen 127.0.0.1:4000 --speed 2
//! ```
//!
//! `sse --help` documents every flag and the exit statuses (0: `--max-events` reached or the
//! server closed the stream for good; 1: the client failed for good or `--timeout` ran out; 2:
//! bad arguments; 130: Ctrl-C). The workspace README describes the recording format.
//!
//! # Why these dependencies
//!
//! - `sse-client`: the `EventSource` lifecycle (reconnects, `Last-Event-ID`, `retry:`, idle
//!   timeout); `sse-codec` decodes the bytes of `--raw` for the same purposes.
//! - `clap` (derive): flags documented once, in the doc comments that are `--help`, with typed
//!   parsing and a usage error (exit status 2) that names the flag.
//! - `anstream` and `anstyle`: the colour decision (NO_COLOR, CLICOLOR, CLICOLOR_FORCE, TERM,
//!   whether the output is a terminal) and styles as plain values.
//! - `serde` and `serde_json`: the JSON lines, the recording, and checking that event data is
//!   JSON before indenting it.
//! - `reqwest`: the HTTP client `sse-client` takes (rustls for `https://`).
//! - `axum` and `sse-axum`: `sse serve`'s endpoint, with the workspace's encoder.
//! - `tokio`: the runtime, timers, and Ctrl-C.

mod cli;
mod duration;
mod ending;
mod entry;
mod human;
mod interrupt;
mod pretty_json;
mod raw;
mod record;
mod recording;
mod replay;
mod request;
mod serve;
mod sink;
mod summary;
mod watch;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, WatchArgs};
use crate::ending::{EXIT_FAILED, EXIT_USAGE};
use crate::human::{Human, Look};
use crate::sink::{JsonLines, Sink};
use crate::summary::Summary;
use crate::watch::{Plan, watch};

fn main() -> ExitCode {
    // Exits with status 2 and a message naming the flag on bad arguments.
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("sse: cannot start the runtime: {error}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let status = runtime.block_on(async {
        match &cli.command {
            Some(Command::Record(args)) => record::record(args).await,
            Some(Command::Serve(args)) => serve::serve(args).await,
            None => watch_command(&cli.watch).await,
        }
    });
    ExitCode::from(status)
}

/// `sse [OPTIONS] <URL>`; returns the exit status.
async fn watch_command(args: &WatchArgs) -> u8 {
    let Some(url) = &args.url else {
        eprintln!("sse: a URL is required (see sse --help)");
        return EXIT_USAGE;
    };
    let (ending, stats) = if args.raw {
        let mut errors: Box<dyn io::Write> = if args.quiet {
            Box::new(io::sink())
        } else {
            Box::new(io::stderr())
        };
        raw::raw(
            url,
            &args.connection,
            args.limits,
            &mut io::stdout(),
            &mut *errors,
        )
        .await
    } else {
        let source = match request::event_source(url, &args.connection) {
            Ok(source) => source,
            Err(message) => {
                eprintln!("sse: {message}");
                return EXIT_USAGE;
            }
        };
        let plan = Plan {
            url: url.to_string(),
            limits: args.limits,
            event_types: args.event_types.clone(),
            comments: args.comments,
        };
        let stdout = io::stdout().lock();
        let mut sink: Box<dyn Sink> = if args.json {
            Box::new(JsonLines::new(stdout))
        } else {
            match Human::new(stdout, Look::for_stdout(!args.no_pretty), plan.url.clone()) {
                Ok(human) => Box::new(human),
                Err(error) => {
                    eprintln!("sse: cannot write the output: {error}");
                    return EXIT_FAILED;
                }
            }
        };
        watch(source, &plan, &mut *sink).await
    };
    if !args.quiet {
        eprintln!(
            "{}",
            Summary {
                stats,
                ending: &ending,
                raw: args.raw
            }
        );
    }
    ending.exit_status()
}
