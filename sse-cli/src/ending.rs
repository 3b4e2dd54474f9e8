//! Why a command ended, and the exit status that tells a script.

use std::fmt;
use std::time::Duration;

/// Why the command ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    /// `--max-events` events were shown.
    MaxEvents(u64),
    /// The server answered `204 No Content`: the WHATWG way to stop a client.
    NoContent,
    /// The body ended and the client was not to reconnect (`--no-reconnect`).
    StreamEnded,
    /// The client failed for good: an HTTP error status, a wrong content type, a connection
    /// error with `--no-reconnect`, or a write that failed.
    Failed(String),
    /// `--timeout` ran out first.
    TimedOut(Duration),
    /// Ctrl-C.
    Interrupted,
    /// Whoever read the output went away (`sse URL | head -n 3`): not a failure.
    OutputClosed,
}

/// Exit status for success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit status for a client that failed for good.
pub(crate) const EXIT_FAILED: u8 = 1;
/// Exit status for bad arguments (clap uses it for its own errors too).
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit status after Ctrl-C, as shells report a process ended by SIGINT.
pub(crate) const EXIT_INTERRUPTED: u8 = 130;

impl Ending {
    /// The documented exit status.
    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            Ending::MaxEvents(_)
            | Ending::NoContent
            | Ending::StreamEnded
            | Ending::OutputClosed => EXIT_OK,
            Ending::Failed(_) | Ending::TimedOut(_) => EXIT_FAILED,
            Ending::Interrupted => EXIT_INTERRUPTED,
        }
    }
}

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::MaxEvents(n) => write!(f, "--max-events {n} reached"),
            Ending::NoContent => f.write_str("the server answered 204 No Content"),
            Ending::StreamEnded => f.write_str("the server ended the stream"),
            Ending::Failed(message) => f.write_str(message),
            Ending::TimedOut(after) => {
                write!(f, "--timeout {} ran out", humane_duration(*after))
            }
            Ending::Interrupted => f.write_str("interrupted"),
            Ending::OutputClosed => f.write_str("the output was closed"),
        }
    }
}

/// `1.5 s`, `250 ms`: the way the summary and the status line write a duration.
pub(crate) fn humane_duration(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_as_documented() {
        assert_eq!(Ending::MaxEvents(3).exit_status(), 0);
        assert_eq!(Ending::NoContent.exit_status(), 0);
        assert_eq!(Ending::StreamEnded.exit_status(), 0);
        assert_eq!(Ending::OutputClosed.exit_status(), 0);
        assert_eq!(Ending::Failed("x".into()).exit_status(), 1);
        assert_eq!(Ending::TimedOut(Duration::from_secs(1)).exit_status(), 1);
        assert_eq!(Ending::Interrupted.exit_status(), 130);
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(humane_duration(Duration::from_millis(250)), "250 ms");
        assert_eq!(humane_duration(Duration::from_millis(2000)), "2.0 s");
        assert_eq!(
            Ending::TimedOut(Duration::from_millis(1500)).to_string(),
            "--timeout 1.5 s ran out"
        );
    }
}
