//! The end-of-run summary on standard error.

use std::fmt;
use std::time::Duration;

use crate::ending::{Ending, humane_duration};

/// What a run counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Events shown (after `--event` filtering).
    pub(crate) shown: u64,
    /// Events received.
    pub(crate) received: u64,
    /// Bytes: of the body with `--raw`, of the events' data otherwise (the client hands out
    /// events, not the bytes they came in).
    pub(crate) bytes: u64,
    /// Requests sent after the first.
    pub(crate) reconnects: u64,
    /// How long the run took.
    pub(crate) elapsed: Duration,
}

/// The last line of a run: what it counted and why it ended.
#[derive(Debug)]
pub(crate) struct Summary<'a> {
    pub(crate) stats: Stats,
    pub(crate) ending: &'a Ending,
    /// Whether `bytes` counts the body (`--raw`) or the events' data.
    pub(crate) raw: bool,
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Stats {
            shown,
            received,
            bytes,
            reconnects,
            elapsed,
        } = self.stats;
        write!(f, "sse: {shown} {}", plural(shown, "event", "events"))?;
        if received != shown {
            write!(f, " ({received} received)")?;
        }
        let what = match (self.raw, bytes) {
            (true, 1) => "body byte",
            (true, _) => "body bytes",
            (false, 1) => "data byte",
            (false, _) => "data bytes",
        };
        write!(
            f,
            ", {bytes} {what}, {reconnects} {}, {}; {}",
            plural(reconnects, "reconnect", "reconnects"),
            humane_duration(elapsed),
            self.ending
        )
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_with_every_count() {
        let stats = Stats {
            shown: 2,
            received: 5,
            bytes: 120,
            reconnects: 1,
            elapsed: Duration::from_millis(2300),
        };
        let ending = Ending::MaxEvents(2);
        let summary = Summary {
            stats,
            ending: &ending,
            raw: false,
        };
        assert_eq!(
            summary.to_string(),
            "sse: 2 events (5 received), 120 data bytes, 1 reconnect, 2.3 s; --max-events 2 reached"
        );
        let stats = Stats {
            shown: 1,
            received: 1,
            ..stats
        };
        let summary = Summary {
            stats,
            ending: &Ending::NoContent,
            raw: true,
        };
        assert_eq!(
            summary.to_string(),
            "sse: 1 event, 120 body bytes, 1 reconnect, 2.3 s; the server answered 204 No Content"
        );
    }
}
