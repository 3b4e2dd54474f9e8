//! The specification vectors of `testdata/vectors.toml`, run against the decoder at many
//! chunkings, and against the reference algorithm whole.

mod support;

use std::collections::HashSet;

use serde::Deserialize;
use sse_codec::{Decoder, Event, Frame};

use support::{decode_chunks, split_at_positions};

const VECTORS: &str = include_str!("../testdata/vectors.toml");

/// Chunk sizes tried besides the whole input, one byte at a time and every split in two.
const FIXED_CHUNK_SIZES: [usize; 4] = [2, 3, 7, 64];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    comments: Option<bool>,
    last_event_id: Option<String>,
    expect: Vec<ExpectedFrame>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFrame {
    data: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
    id: Option<String>,
    /// An integer, or a string for values past `i64::MAX`, where TOML integers stop.
    retry: Option<toml::Value>,
    comment: Option<String>,
}

impl ExpectedFrame {
    fn to_frame(&self, case: &str) -> Frame {
        match (&self.data, &self.retry, &self.comment) {
            (Some(data), None, None) => {
                let mut event = Event::new(data.as_str());
                if let Some(event_type) = &self.event_type {
                    event = event.with_event_type(event_type.as_str());
                }
                if let Some(id) = &self.id {
                    event = event.with_id(id.as_str());
                }
                Frame::Event(event)
            }
            (None, Some(millis), None) if self.event_type.is_none() && self.id.is_none() => {
                Frame::Retry(match millis {
                    toml::Value::Integer(millis) => u64::try_from(*millis).expect("retry >= 0"),
                    toml::Value::String(text) => text.parse().expect("retry text is a u64"),
                    other => panic!("case {case:?}: retry = {other}"),
                })
            }
            (None, None, Some(text)) if self.event_type.is_none() && self.id.is_none() => {
                Frame::comment(text.as_str())
            }
            _ => panic!("case {case:?}: a frame is one of data (+type, id), retry or comment"),
        }
    }
}

impl Case {
    fn input_bytes(&self) -> Vec<u8> {
        unescape(&self.input).unwrap_or_else(|error| panic!("case {:?}: {error}", self.name))
    }

    /// The comment settings to run: the one given, or both.
    fn comment_modes(&self) -> Vec<bool> {
        match self.comments {
            Some(comments) => vec![comments],
            None => vec![false, true],
        }
    }

    fn expected(&self, comments: bool) -> Vec<Frame> {
        let frames = self.expect.iter().map(|frame| frame.to_frame(&self.name));
        if comments {
            return frames.collect();
        }
        let frames: Vec<Frame> = frames.collect();
        assert!(
            self.comments != Some(false) || !frames.iter().any(is_comment),
            "case {:?} expects comments from a decoder that does not report them",
            self.name
        );
        frames
            .into_iter()
            .filter(|frame| !is_comment(frame))
            .collect()
    }

    fn decoder(&self, comments: bool) -> Decoder {
        let decoder = Decoder::new().with_comments(comments);
        match &self.last_event_id {
            Some(id) => decoder.with_last_event_id(id.as_str()),
            None => decoder,
        }
    }
}

fn is_comment(frame: &Frame) -> bool {
    matches!(frame, Frame::Comment(_))
}

/// The vector file's own escapes inside a TOML literal string; see the file's header.
fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        rest = tail;
        if byte != b'\\' {
            bytes.push(byte);
            continue;
        }
        let (&kind, tail) = rest.split_first().ok_or("a lone backslash at the end")?;
        rest = tail;
        bytes.push(match kind {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'0' => 0,
            b'\\' => b'\\',
            b'x' => {
                let hex = rest.get(..2).ok_or("\\x needs two hex digits")?;
                rest = &rest[2..];
                let hex = std::str::from_utf8(hex).map_err(|error| error.to_string())?;
                u8::from_str_radix(hex, 16).map_err(|error| format!("\\x{hex}: {error}"))?
            }
            other => return Err(format!("unknown escape \\{}", char::from(other))),
        });
    }
    Ok(bytes)
}

fn cases() -> Vec<Case> {
    toml::from_str::<VectorFile>(VECTORS)
        .expect("testdata/vectors.toml parses")
        .case
}

/// Every way the loader cuts an input: named, as chunks.
fn chunkings(input: &[u8]) -> Vec<(String, Vec<&[u8]>)> {
    let mut chunkings = vec![
        ("whole".to_owned(), vec![input]),
        ("one byte at a time".to_owned(), input.chunks(1).collect()),
    ];
    for cut in 0..=input.len() {
        chunkings.push((format!("split at {cut}"), split_at_positions(input, &[cut])));
    }
    for size in FIXED_CHUNK_SIZES {
        chunkings.push((format!("chunks of {size}"), input.chunks(size).collect()));
    }
    chunkings
}

#[test]
fn every_vector_decodes_the_same_at_every_chunking() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in cases() {
        let input = case.input_bytes();
        for comments in case.comment_modes() {
            let expected: Vec<_> = case.expected(comments).into_iter().map(Ok).collect();
            for (chunking, chunks) in chunkings(&input) {
                runs += 1;
                let got = decode_chunks(&mut case.decoder(comments), chunks);
                if got != expected {
                    failures.push(format!(
                        "{:?} (comments {comments}, {chunking}):\n  expected {expected:?}\n  got      {got:?}",
                        case.name
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The property tests compare the decoder with the reference; this keeps the reference honest.
#[test]
fn the_reference_algorithm_agrees_with_every_vector() {
    for case in cases() {
        for comments in case.comment_modes() {
            assert_eq!(
                sse_reference::interpret(
                    &case.input_bytes(),
                    comments,
                    case.last_event_id.as_deref()
                ),
                case.expected(comments),
                "case {:?}, comments {comments}",
                case.name
            );
        }
    }
}

#[test]
fn vector_names_are_unique_and_the_file_covers_every_section() {
    let cases = cases();
    let mut names = HashSet::new();
    for case in &cases {
        assert!(names.insert(&case.name), "duplicate case {:?}", case.name);
    }
    assert!(cases.len() >= 90, "only {} cases", cases.len());
    assert!(cases.iter().any(|case| case.last_event_id.is_some()));
    assert!(cases.iter().any(|case| case.comments == Some(true)));
}

#[test]
fn the_escapes_of_the_vector_file() {
    assert_eq!(
        unescape(r"a\n\r\t\0\\\xEF\xbb\xBF").unwrap(),
        b"a\n\r\t\0\\\xEF\xBB\xBF"
    );
    assert!(unescape(r"\q").is_err());
    assert!(unescape(r"\x4").is_err());
    assert!(unescape("\\").is_err());
}
