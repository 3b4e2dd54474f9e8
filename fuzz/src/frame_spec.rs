//! Arbitrary frames for the round-trip target, and what the encoder must make of them.

use arbitrary::Arbitrary;
use sse_codec::{Event, FieldError, Frame};

/// A frame as a caller might ask for it, with values that may be refused.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum FrameSpec {
    /// An event built with the checked (`try_`) setters.
    Event {
        /// Passed to `try_with_event_type` when set.
        event_type: Option<String>,
        /// Passed to `Event::new`.
        data: String,
        /// Passed to `try_with_id` when set.
        id: Option<String>,
    },
    /// `Frame::Retry`.
    Retry(u64),
    /// `Frame::comment`.
    Comment(String),
}

/// What one line of an encoded frame is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldLine {
    /// A field, by name.
    Field(String),
    /// A comment line.
    Comment,
    /// A blank line (the end of an event).
    Blank,
}

impl FrameSpec {
    /// Builds the frame through the codec's API.
    ///
    /// # Errors
    ///
    /// The codec's refusal of an event type or id.
    pub fn build(&self) -> Result<Frame, FieldError> {
        Ok(match self {
            FrameSpec::Event {
                event_type,
                data,
                id,
            } => {
                let mut event = Event::new(data.as_str());
                if let Some(event_type) = event_type {
                    event = event.try_with_event_type(event_type.as_str())?;
                }
                if let Some(id) = id {
                    event = event.try_with_id(id.as_str())?;
                }
                Frame::Event(event)
            }
            FrameSpec::Retry(millis) => Frame::Retry(*millis),
            FrameSpec::Comment(text) => Frame::comment(text.as_str()),
        })
    }

    /// The error `build` must return, worked out without the codec: the first CR or LF of the
    /// event type, else the first CR, LF or NUL of the id.
    pub fn expected_refusal(&self) -> Option<FieldError> {
        let FrameSpec::Event { event_type, id, .. } = self else {
            return None;
        };
        if let Some(position) = event_type.as_deref().and_then(|t| t.find(['\r', '\n'])) {
            return Some(FieldError::LineBreakInEventType { position });
        }
        let id = id.as_deref()?;
        let position = id.find(['\r', '\n', '\0'])?;
        Some(if id.as_bytes()[position] == 0 {
            FieldError::NulInId { position }
        } else {
            FieldError::LineBreakInId { position }
        })
    }

    /// The lines an accepted frame must encode to: only the fields that were set.
    pub fn expected_field_lines(&self) -> Vec<FieldLine> {
        let field = |name: &str| FieldLine::Field(name.to_owned());
        match self {
            FrameSpec::Event {
                event_type,
                data,
                id,
            } => {
                let mut lines = Vec::new();
                // An empty event type is no event type.
                if event_type.as_deref().is_some_and(|t| !t.is_empty()) {
                    lines.push(field("event"));
                }
                if id.is_some() {
                    lines.push(field("id"));
                }
                lines.extend(text_lines(data).iter().map(|_| field("data")));
                lines.push(FieldLine::Blank);
                lines
            }
            FrameSpec::Retry(_) => vec![field("retry")],
            FrameSpec::Comment(text) => text_lines(text)
                .iter()
                .map(|_| FieldLine::Comment)
                .collect(),
        }
    }

    /// What a decoder reports for the accepted frame, given the last event ID before it: data line
    /// breaks arrive as LF, a comment arrives line by line, an event without an id carries the
    /// last one.
    pub fn expected_decoded(&self, last_event_id: &mut Option<String>) -> Vec<Frame> {
        match self {
            FrameSpec::Event {
                event_type,
                data,
                id,
            } => {
                if id.is_some() {
                    last_event_id.clone_from(id);
                }
                let mut event = Event::new(text_lines(data).join("\n"));
                if let Some(event_type) = event_type {
                    event = event.with_event_type(event_type.as_str());
                }
                if let Some(id) = last_event_id {
                    event = event.with_id(id.as_str());
                }
                vec![Frame::Event(event)]
            }
            FrameSpec::Retry(millis) => vec![Frame::Retry(*millis)],
            FrameSpec::Comment(text) => text_lines(text).into_iter().map(Frame::comment).collect(),
        }
    }
}

/// The lines of `text` split on CRLF, CR and LF; a trailing line break leaves an empty last line.
fn text_lines(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split(['\r', '\n'])
        .map(str::to_owned)
        .collect()
}

/// Classifies every LF-terminated line of an encoded frame.
///
/// # Panics
///
/// If the encoding does not end with LF, or holds a CR: the encoder ends lines with LF only.
pub fn field_lines(encoded: &[u8]) -> Vec<FieldLine> {
    assert!(!encoded.contains(&b'\r'), "CR in encoding {encoded:?}");
    let body = encoded
        .strip_suffix(b"\n")
        .unwrap_or_else(|| panic!("encoding not ended by LF: {encoded:?}"));
    body.split(|&byte| byte == b'\n')
        .map(|line| match line {
            [] => FieldLine::Blank,
            [b':', ..] => FieldLine::Comment,
            _ => {
                let name = line.split(|&byte| byte == b':').next().unwrap_or_default();
                FieldLine::Field(String::from_utf8_lossy(name).into_owned())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_lines_and_frames_of_an_event() {
        let spec = FrameSpec::Event {
            event_type: Some(String::new()),
            data: "a\r\nb\r".to_owned(),
            id: None,
        };
        let field = |name: &str| FieldLine::Field(name.to_owned());
        assert_eq!(
            spec.expected_field_lines(),
            [
                field("data"),
                field("data"),
                field("data"),
                FieldLine::Blank
            ]
        );
        let mut last_id = Some("3".to_owned());
        assert_eq!(
            spec.expected_decoded(&mut last_id),
            [Frame::Event(Event::new("a\nb\n").with_id("3"))]
        );
    }

    #[test]
    fn refusal_prefers_the_event_type_and_names_nul() {
        let spec = |event_type: &str, id: &str| FrameSpec::Event {
            event_type: Some(event_type.to_owned()),
            data: String::new(),
            id: Some(id.to_owned()),
        };
        assert_eq!(
            spec("a\nb", "\0").expected_refusal(),
            Some(FieldError::LineBreakInEventType { position: 1 })
        );
        assert_eq!(
            spec("ab", "x\0\n").expected_refusal(),
            Some(FieldError::NulInId { position: 1 })
        );
        assert_eq!(spec("ab", "x").expected_refusal(), None);
    }

    #[test]
    fn classifies_encoded_lines() {
        let field = |name: &str| FieldLine::Field(name.to_owned());
        assert_eq!(
            field_lines(b"id: 1\n:c\ndata\n\n"),
            [
                field("id"),
                FieldLine::Comment,
                field("data"),
                FieldLine::Blank
            ]
        );
    }
}
