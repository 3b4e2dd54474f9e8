//! The run: items from the event source become entries, until an ending.

use std::future::pending;
use std::time::Duration;

use futures_util::StreamExt;
use sse_client::{Error, EventSource, Item, Outcome};
use tokio::time::Instant;

use crate::cli::LimitArgs;
use crate::ending::Ending;
use crate::entry::{Entry, TimedEntry};
use crate::sink::Sink;
use crate::summary::Stats;

/// What to show and when to stop.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// The URL requested, for the `open` entry.
    pub(crate) url: String,
    pub(crate) limits: LimitArgs,
    /// Only these event types (all when empty).
    pub(crate) event_types: Vec<String>,
    /// Show comments.
    pub(crate) comments: bool,
}

/// Runs `source` into `sink` until an ending, which is written last as a `closed` entry.
pub(crate) async fn watch(
    source: EventSource,
    plan: &Plan,
    sink: &mut dyn Sink,
) -> (Ending, Stats) {
    let mut run = Run {
        source,
        plan,
        sink,
        started: Instant::now(),
        stats: Stats::default(),
        reconnection_time: None,
    };
    run.reconnection_time = Some(run.source.reconnection_time());
    let ending = run.until_ending().await;
    run.stats.reconnects = run.source.reconnect_count();
    // Drop the connection before the last line, so that a server sees the client leave.
    drop(run.source);
    run.stats.elapsed = run.started.elapsed();
    let closed = TimedEntry::new(
        Entry::Closed {
            reason: ending.to_string(),
        },
        run.stats.elapsed,
    );
    let ending = match run.sink.entry(&closed).and_then(|()| run.sink.finish()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => write_error_ending(&error),
        _ => ending,
    };
    (ending, run.stats)
}

struct Run<'a> {
    source: EventSource,
    plan: &'a Plan,
    sink: &'a mut dyn Sink,
    started: Instant,
    stats: Stats,
    reconnection_time: Option<Duration>,
}

impl Run<'_> {
    async fn until_ending(&mut self) -> Ending {
        if let Some(0) = self.plan.limits.max_events {
            return Ending::MaxEvents(0);
        }
        let timeout = self.plan.limits.timeout;
        let deadline = async {
            match timeout {
                Some(after) => tokio::time::sleep(after).await,
                None => pending().await,
            }
        };
        tokio::pin!(deadline);
        let interrupted = crate::interrupt::ctrl_c();
        tokio::pin!(interrupted);
        loop {
            let item = tokio::select! {
                item = self.source.next() => item,
                () = &mut deadline => return Ending::TimedOut(timeout.unwrap_or_default()),
                () = &mut interrupted => return Ending::Interrupted,
            };
            if let Err(ending) = self.handle(item) {
                return ending;
            }
        }
    }

    /// One item; `Err` ends the run.
    fn handle(&mut self, item: Option<Item>) -> Result<(), Ending> {
        // The client keeps `retry:` to itself; a change shows after the frame that set it, before
        // the item that followed.
        let reconnection_time = self.source.reconnection_time();
        if self.reconnection_time != Some(reconnection_time) {
            self.reconnection_time = Some(reconnection_time);
            let ms = u64::try_from(reconnection_time.as_millis()).unwrap_or(u64::MAX);
            self.emit(Entry::Retry { ms })?;
        }
        match item {
            // Only a one-shot connection ends without a failure: the body ended.
            None => Err(Ending::StreamEnded),
            Some(Item::Open { status, .. }) => self.emit(Entry::Open {
                status: status.as_u16(),
                url: self.plan.url.clone(),
            }),
            Some(Item::Event(event)) => {
                self.stats.received += 1;
                self.stats.bytes += event.data().len() as u64;
                let wanted = self.plan.event_types.is_empty()
                    || self
                        .plan
                        .event_types
                        .iter()
                        .any(|t| t == event.event_type());
                if !wanted {
                    return Ok(());
                }
                self.stats.shown += 1;
                self.emit(Entry::Event {
                    event_type: event.event_type().to_owned(),
                    data: event.data().to_owned(),
                    id: event.id().map(str::to_owned),
                })?;
                match self.plan.limits.max_events {
                    Some(max) if self.stats.shown >= max => Err(Ending::MaxEvents(max)),
                    _ => Ok(()),
                }
            }
            Some(Item::Comment(text)) if self.plan.comments => self.emit(Entry::Comment {
                text: text.to_string(),
            }),
            Some(Item::Error { error, outcome }) => {
                let reconnect_in_ms = match outcome {
                    Outcome::Reestablish { delay } => u64::try_from(delay.as_millis()).ok(),
                    _ => None,
                };
                self.emit(Entry::Error {
                    message: error.to_string(),
                    retrying: outcome.will_retry(),
                    reconnect_in_ms,
                })?;
                match (outcome, error) {
                    (Outcome::Fail, Error::NoContent) => Err(Ending::NoContent),
                    (Outcome::Fail, error) => Err(Ending::Failed(error.to_string())),
                    _ => Ok(()),
                }
            }
            Some(_) => Ok(()),
        }
    }

    fn emit(&mut self, entry: Entry) -> Result<(), Ending> {
        let timed = TimedEntry::new(entry, self.started.elapsed());
        self.sink
            .entry(&timed)
            .map_err(|error| write_error_ending(&error))
    }
}

/// The ending a failed write makes: a closed pipe is the reader's choice, anything else a
/// failure.
fn write_error_ending(error: &std::io::Error) -> Ending {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        Ending::OutputClosed
    } else {
        Ending::Failed(format!("cannot write the output: {error}"))
    }
}
