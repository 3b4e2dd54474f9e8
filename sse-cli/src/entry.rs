//! What the client saw, one entry at a time: the `--json` lines and the lines of a recording.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One thing that happened on the stream. Serialized with a `kind` field naming the variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Entry {
    /// A response was accepted: the stream is open.
    Open {
        /// The response's status (200).
        status: u16,
        /// The URL requested.
        url: String,
    },
    /// An event was dispatched.
    Event {
        /// The event type (`message` when the stream named none).
        #[serde(rename = "type")]
        event_type: String,
        /// The data.
        data: String,
        /// The last event ID at the event's dispatch; `None` when there is none.
        id: Option<String>,
    },
    /// The server set the reconnection time.
    Retry {
        /// The reconnection time in milliseconds.
        ms: u64,
    },
    /// A comment line, such as a keep-alive.
    Comment {
        /// The text after the colon.
        text: String,
    },
    /// Something went wrong with the connection.
    Error {
        /// What went wrong.
        message: String,
        /// Whether the client goes on (reconnecting, or on the same connection).
        retrying: bool,
        /// How long the client waits before reconnecting, when it does.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reconnect_in_ms: Option<u64>,
    },
    /// The command ended.
    Closed {
        /// Why.
        reason: String,
    },
}

/// An entry with its time: the shape of every `--json` line and every line of a recording
/// after its header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct TimedEntry {
    /// What happened.
    #[serde(flatten)]
    pub(crate) entry: Entry,
    /// Seconds since the start of the command, with microsecond precision.
    pub(crate) t: f64,
}

impl TimedEntry {
    /// `entry`, at `elapsed` since the start.
    pub(crate) fn new(entry: Entry, elapsed: Duration) -> Self {
        TimedEntry {
            entry,
            t: seconds(elapsed),
        }
    }

    /// One JSON line, without its line end.
    pub(crate) fn to_json_line(&self) -> String {
        // Serializing strings, numbers and options into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `elapsed` as seconds, rounded to the microsecond so that lines stay short.
pub(crate) fn seconds(elapsed: Duration) -> f64 {
    elapsed.as_micros() as f64 / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_kind_and_t() {
        let line = TimedEntry::new(
            Entry::Event {
                event_type: "price".into(),
                data: "{\"p\":1}".into(),
                id: None,
            },
            Duration::from_millis(1500),
        )
        .to_json_line();
        assert_eq!(
            line,
            r#"{"kind":"event","type":"price","data":"{\"p\":1}","id":null,"t":1.5}"#
        );
        let error = TimedEntry::new(
            Entry::Error {
                message: "x".into(),
                retrying: false,
                reconnect_in_ms: None,
            },
            Duration::ZERO,
        );
        assert_eq!(
            error.to_json_line(),
            r#"{"kind":"error","message":"x","retrying":false,"t":0.0}"#
        );
    }

    #[test]
    fn lines_read_back() {
        for entry in [
            Entry::Open {
                status: 200,
                url: "http://a/".into(),
            },
            Entry::Retry { ms: 2000 },
            Entry::Comment {
                text: "ping".into(),
            },
            Entry::Event {
                event_type: "message".into(),
                data: "a\nb".into(),
                id: Some("7".into()),
            },
            Entry::Closed {
                reason: "done".into(),
            },
        ] {
            let timed = TimedEntry::new(entry, Duration::from_micros(1_234_567));
            let back: TimedEntry = serde_json::from_str(&timed.to_json_line()).unwrap();
            assert_eq!(back, timed);
        }
    }
}
