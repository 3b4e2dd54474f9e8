//! A recording as frames to send again: timing, ids and where a resumed client starts.

use std::sync::Arc;
use std::time::Duration;

use futures_util::Stream;
use futures_util::stream;
use sse_codec::{DEFAULT_EVENT_TYPE, Event, Frame};

use crate::entry::Entry;
use crate::recording::Recording;

/// A frame and when it came, in seconds since the recording started.
#[derive(Clone, Debug, PartialEq)]
struct TimedFrame {
    t: f64,
    frame: Frame,
    /// For an event: the last event ID once it is dispatched (where a resume starts after).
    last_event_id: Option<String>,
}

/// The frames of a recording, ready to be played to any number of clients.
#[derive(Clone, Debug)]
pub(crate) struct Replay {
    frames: Arc<[TimedFrame]>,
    /// When the recorded stream opened: the first frame is played this long after a request.
    start: f64,
    speed: f64,
    repeat: bool,
}

impl Replay {
    /// The frames of `recording`: its events, retry times and comments. Opens, errors and
    /// reconnects of the recording leave only their timing.
    ///
    /// An event carries an `id:` field only where the last event ID changed, and an empty one
    /// where it was cleared, so a client ends up with the same last event IDs as the recorder.
    ///
    /// # Errors
    ///
    /// An event type or id that cannot go on the wire (a line break: the file was edited).
    pub(crate) fn new(recording: &Recording, speed: f64, repeat: bool) -> Result<Self, String> {
        let mut frames = Vec::new();
        let mut last_event_id: Option<&str> = None;
        for (index, timed) in recording.entries.iter().enumerate() {
            let line = index + 2;
            let frame = match &timed.entry {
                Entry::Event {
                    event_type,
                    data,
                    id,
                } => {
                    let mut event = Event::new(data.as_str());
                    if event_type != DEFAULT_EVENT_TYPE {
                        event = event
                            .try_with_event_type(event_type.as_str())
                            .map_err(|error| format!("line {line}: {error}"))?;
                    }
                    if id.as_deref() != last_event_id {
                        event = event
                            .try_with_id(id.as_deref().unwrap_or(""))
                            .map_err(|error| format!("line {line}: {error}"))?;
                        last_event_id = id.as_deref();
                    }
                    Frame::Event(event)
                }
                Entry::Retry { ms } => Frame::Retry(*ms),
                Entry::Comment { text } => Frame::comment(text.as_str()),
                _ => continue,
            };
            frames.push(TimedFrame {
                t: timed.t,
                frame,
                last_event_id: last_event_id.map(str::to_owned),
            });
        }
        let start = recording
            .entries
            .iter()
            .find(|timed| matches!(timed.entry, Entry::Open { .. }))
            .map_or(0.0, |timed| timed.t);
        Ok(Replay {
            frames: frames.into(),
            start,
            speed,
            repeat,
        })
    }

    /// How many events the recording holds.
    pub(crate) fn events(&self) -> usize {
        self.frames
            .iter()
            .filter(|timed| matches!(timed.frame, Frame::Event(_)))
            .count()
    }

    /// The frames for a request with this `Last-Event-ID`: everything after the event that set
    /// that id, or everything when no event did. `None` when nothing is left to play (the
    /// client saw the last event and the recording does not loop): answer 204 so that it stops.
    pub(crate) fn frames_after(
        &self,
        last_event_id: Option<&str>,
    ) -> Option<impl Stream<Item = Frame> + Send + 'static> {
        let resumed = last_event_id.and_then(|id| {
            self.frames.iter().position(
                |timed| matches!(&timed.frame, Frame::Event(event) if event.id() == Some(id)),
            )
        });
        let (next, since) = match resumed {
            Some(index) => (index + 1, self.frames[index].t),
            None => (0, self.start),
        };
        let can_start_over = self.repeat && !self.frames.is_empty();
        if next >= self.frames.len() && !can_start_over {
            return None;
        }
        let replay = self.clone();
        Some(stream::unfold(
            (replay, next, since),
            |(replay, mut next, mut since)| async move {
                if next >= replay.frames.len() {
                    if !replay.repeat || replay.frames.is_empty() {
                        return None;
                    }
                    next = 0;
                    since = replay.start;
                }
                let timed = &replay.frames[next];
                tokio::time::sleep(scaled(timed.t - since, replay.speed)).await;
                let frame = timed.frame.clone();
                since = timed.t;
                Some((frame, (replay, next + 1, since)))
            },
        ))
    }
}

/// `seconds` of the recording at `speed`: never negative (a hand-edited file may go back in
/// time), and at most a day, so that no file can ask for a sleep past what the clock holds.
fn scaled(seconds: f64, speed: f64) -> Duration {
    const DAY: f64 = 86_400.0;
    let seconds = (seconds / speed).clamp(0.0, DAY);
    Duration::try_from_secs_f64(seconds).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use futures_util::StreamExt;

    use super::*;
    use crate::entry::TimedEntry;
    use crate::recording::Header;

    fn recording(entries: Vec<Entry>) -> Recording {
        Recording {
            header: Header {
                format: "sse-recording".into(),
                version: 1,
                url: "http://x/".into(),
                started_unix_ms: 0,
            },
            entries: entries
                .into_iter()
                .enumerate()
                .map(|(i, entry)| TimedEntry::new(entry, Duration::from_millis(i as u64)))
                .collect(),
        }
    }

    fn event(data: &str, id: Option<&str>) -> Entry {
        Entry::Event {
            event_type: "message".into(),
            data: data.into(),
            id: id.map(Into::into),
        }
    }

    async fn played(replay: &Replay, last: Option<&str>) -> Option<Vec<Frame>> {
        Some(replay.frames_after(last)?.collect().await)
    }

    #[tokio::test]
    async fn ids_only_where_they_change_and_resume_after_the_one_that_set_it() {
        let replay = Replay::new(
            &recording(vec![
                Entry::Open {
                    status: 200,
                    url: "u".into(),
                },
                Entry::Retry { ms: 100 },
                event("a", Some("1")),
                event("b", Some("1")),
                event("c", None),
                Entry::Error {
                    message: "cut".into(),
                    retrying: true,
                    reconnect_in_ms: Some(1),
                },
                event("d", Some("2")),
            ]),
            1000.0,
            false,
        )
        .unwrap();
        assert_eq!(replay.events(), 4);
        let all = played(&replay, None).await.unwrap();
        assert_eq!(
            all,
            [
                Frame::Retry(100),
                Frame::Event(Event::new("a").with_id("1")),
                Frame::Event(Event::new("b")),
                Frame::Event(Event::new("c").with_id("")),
                Frame::Event(Event::new("d").with_id("2")),
            ]
        );
        assert_eq!(played(&replay, Some("1")).await.unwrap(), all[2..]);
        assert_eq!(played(&replay, Some("unknown")).await.unwrap(), all);
        assert_eq!(played(&replay, Some("2")).await, None);
    }

    #[tokio::test]
    async fn a_loop_starts_over() {
        let replay = Replay::new(&recording(vec![event("a", Some("1"))]), 1000.0, true).unwrap();
        let frames: Vec<Frame> = replay
            .frames_after(Some("1"))
            .unwrap()
            .take(3)
            .collect()
            .await;
        assert_eq!(frames.len(), 3);
        let empty = Replay::new(&recording(vec![]), 1.0, true).unwrap();
        assert!(played(&empty, None).await.is_none());
    }

    #[test]
    fn a_line_break_in_an_edited_file_is_refused() {
        let bad = recording(vec![event("a", Some("1\n2"))]);
        assert!(
            Replay::new(&bad, 1.0, false)
                .unwrap_err()
                .starts_with("line 2")
        );
    }

    #[test]
    fn timing_is_scaled_and_bounded() {
        assert_eq!(scaled(1.0, 2.0), Duration::from_millis(500));
        assert_eq!(scaled(-5.0, 1.0), Duration::ZERO);
        assert_eq!(scaled(1e300, 1e-300), Duration::from_secs(86_400));
    }
}
