//! A naive reference for the WHATWG "event stream interpretation" algorithm.
//!
//! It takes the whole stream at once and follows the specification's steps in the order they are
//! written, with no attention to speed, chunking or memory: decode the bytes as UTF-8 (stripping
//! one leading byte order mark, replacing invalid sequences with U+FFFD), split into lines on
//! CRLF, LF and CR, and interpret each complete line. sse-codec's tests and fuzz targets check the
//! real decoder against it.

use sse_codec::{ByteString, Event, Frame};

/// What the algorithm yields for a stream, and what it leaves for the next connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interpretation {
    /// The frames, in order.
    pub frames: Vec<Frame>,
    /// The event source's last event ID string at the end: the last event ID buffer's value at
    /// the last dispatch, or the seed when nothing was dispatched.
    pub last_event_id: Option<String>,
    /// The event stream's reconnection time at the end, if a `retry` field set it (or it was
    /// seeded).
    pub reconnection_time: Option<u64>,
}

/// What the algorithm yields for `stream`, fed whole.
///
/// `comments` reports comment lines as frames (the decoder's `with_comments`); `last_event_id`
/// seeds the last event ID (the decoder's `with_last_event_id`).
pub fn interpret(stream: &[u8], comments: bool, last_event_id: Option<&str>) -> Vec<Frame> {
    interpret_stream(stream, comments, last_event_id, None).frames
}

/// The streams of successive connections of one event source, each parsed as a stream of its
/// own: a byte order mark is stripped from each, and what one leaves unfinished (a last line
/// without a line end, an event without its blank line, an `id` not yet dispatched) is
/// discarded with it. Only the last event ID string and the reconnection time carry over to the
/// next connection, whose last event ID buffer starts from that string (as browsers seed the
/// parser of a reconnection).
pub fn interpret_connections(
    streams: &[&[u8]],
    comments: bool,
    last_event_id: Option<&str>,
) -> Interpretation {
    let mut all = Interpretation {
        last_event_id: last_event_id.map(str::to_owned),
        ..Interpretation::default()
    };
    for stream in streams {
        let next = interpret_stream(
            stream,
            comments,
            all.last_event_id.as_deref(),
            all.reconnection_time,
        );
        all.frames.extend(next.frames);
        all.last_event_id = next.last_event_id;
        all.reconnection_time = next.reconnection_time;
    }
    all
}

/// [`interpret`], with the reconnection time seeded too, and what is left at the end.
pub fn interpret_stream(
    stream: &[u8],
    comments: bool,
    last_event_id: Option<&str>,
    reconnection_time: Option<u64>,
) -> Interpretation {
    let text = String::from_utf8_lossy(stream);
    // "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);

    let mut frames = Vec::new();
    let mut data = String::new();
    let mut event_type = String::new();
    let mut id_buffer: Option<String> = last_event_id.map(str::to_owned);
    let mut last_event_id: Option<String> = id_buffer.clone();
    let mut reconnection_time = reconnection_time;

    for line in complete_lines(text) {
        if line.is_empty() {
            // Dispatch the event.
            // The last event ID string takes the buffer's value at every dispatch.
            last_event_id = id_buffer.clone();
            if data.is_empty() {
                event_type.clear();
                continue;
            }
            if data.ends_with('\n') {
                data.pop();
            }
            let mut event = Event::new(std::mem::take(&mut data));
            if !event_type.is_empty() {
                event = event.with_event_type(std::mem::take(&mut event_type));
            }
            if let Some(id) = &last_event_id {
                event = event.with_id(ByteString::from(id.as_str()));
            }
            frames.push(Frame::Event(event));
            continue;
        }
        if let Some(comment) = line.strip_prefix(':') {
            if comments {
                frames.push(Frame::comment(comment.to_owned()));
            }
            continue;
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match name {
            "event" => event_type = value.to_owned(),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "id" if !value.contains('\0') => id_buffer = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    reconnection_time = Some(millis);
                    frames.push(Frame::Retry(millis));
                }
            }
            _ => {}
        }
    }
    // End of stream: pending data is discarded.
    Interpretation {
        frames,
        last_event_id,
        reconnection_time,
    }
}

/// The lines of `text` that end with CRLF, LF or CR; the unterminated rest is dropped.
fn complete_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(end) = rest.find(['\r', '\n']) {
        lines.push(&rest[..end]);
        let after = if rest[end..].starts_with("\r\n") {
            end + 2
        } else {
            end + 1
        };
        rest = &rest[after..];
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_connection_keeps_only_the_last_event_id_and_reconnection_time() {
        let first: &[u8] = b"retry: 5\nid: 1\ndata: a\n\nid: 2\nevent: e\ndata: lost";
        let second: &[u8] = b"\xEF\xBB\xBFdata: b\n\n";
        let all = interpret_connections(&[first, second], false, None);
        assert_eq!(
            all.frames,
            [
                Frame::Retry(5),
                Frame::Event(Event::new("a").with_id("1")),
                Frame::Event(Event::new("b").with_id("1")),
            ]
        );
        assert_eq!(all.last_event_id.as_deref(), Some("1"));
        assert_eq!(all.reconnection_time, Some(5));
    }

    #[test]
    fn the_algorithm_on_a_small_stream() {
        let frames = interpret(
            b"\xEF\xBB\xBFid: 1\ndata: a\r\ndata:b\r\r:c\nretry: 10\nevent: e\ndata\n\nx",
            true,
            None,
        );
        assert_eq!(
            frames,
            [
                Frame::Event(Event::new("a\nb").with_id("1")),
                Frame::comment("c"),
                Frame::Retry(10),
                Frame::Event(Event::new("").with_event_type("e").with_id("1")),
            ]
        );
    }
}
