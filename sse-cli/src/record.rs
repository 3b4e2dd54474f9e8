//! `sse record`: what a stream sends, with its timing, to a file.

use crate::cli::RecordArgs;
use crate::ending::{EXIT_USAGE, Ending};
use crate::recording::RecordingWriter;
use crate::request::event_source;
use crate::summary::{Stats, Summary};
use crate::watch::{Plan, watch};

/// Records until an ending; returns the exit status (the same as watching's).
pub(crate) async fn record(args: &RecordArgs) -> u8 {
    let prepared = event_source(&args.url, &args.connection).and_then(|source| {
        RecordingWriter::create(&args.output, args.url.as_str()).map(|writer| (source, writer))
    });
    let (source, mut writer) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("sse record: {message}");
            return EXIT_USAGE;
        }
    };
    let plan = Plan {
        url: args.url.to_string(),
        limits: args.limits,
        event_types: Vec::new(),
        // Keep-alives are part of the stream's timing: they are recorded and replayed.
        comments: true,
    };
    let (ending, stats): (Ending, Stats) = watch(source, &plan, &mut writer).await;
    if !args.quiet {
        eprintln!(
            "{}",
            Summary {
                stats,
                ending: &ending,
                raw: false
            }
        );
    }
    ending.exit_status()
}
