//! Running a decoder over a chunked stream, checking its bounds at every step.

use bytes::BytesMut;
use sse_codec::{DecodeError, Decoder, Frame, Limits};

/// One result of `decode`/`decode_eof`, with the decoder's last event ID right after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// A frame, or a limit the decoder reported.
    pub result: Result<Frame, DecodeError>,
    /// [`Decoder::last_event_id`] after this result.
    pub last_event_id: Option<String>,
}

/// Everything a decoder yielded for one stream, up to and including `decode_eof`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// Every result, in order.
    pub outputs: Vec<Output>,
    /// [`Decoder::last_event_id`] at the end.
    pub last_event_id: Option<String>,
    /// [`Decoder::reconnection_time`] at the end.
    pub reconnection_time: Option<u64>,
}

impl Transcript {
    /// The frames, without the errors.
    pub fn frames(&self) -> Vec<Frame> {
        self.outputs
            .iter()
            .filter_map(|output| output.result.clone().ok())
            .collect()
    }

    /// Whether a limit was reported.
    pub fn has_errors(&self) -> bool {
        self.outputs.iter().any(|output| output.result.is_err())
    }
}

/// Feeds `chunks` to `decoder` one after the other, draining it after each, then ends the stream
/// with `decode_eof`.
///
/// # Panics
///
/// When the decoder breaks a bound that holds whatever the input:
/// - after `decode` asks for more bytes, the buffer is empty: a partial line is the decoder's
///   own, so any buffer may come next;
/// - no decoded value is longer than the limit that covers it, and an error names the configured
///   limit.
///
/// The decoder's own buffers are private; what bounds them from outside is that no dispatched
/// event's data exceeds the event size limit (the memory-bound tests of sse-codec count them).
pub fn decode_stream<'a>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Transcript {
    let mut transcript = decode_until_cut(decoder, chunks);
    let mut buf = BytesMut::new();
    drain(
        decoder,
        &mut buf,
        &mut transcript.outputs,
        Decoder::decode_eof,
    );
    assert!(buf.is_empty(), "decode_eof left {} bytes", buf.len());
    transcript.last_event_id = decoder.last_event_id().map(str::to_owned);
    transcript.reconnection_time = decoder.reconnection_time();
    transcript
}

/// As [`decode_stream`], but the stream ends without `decode_eof`, as when its connection dies:
/// the caller starts the next one with [`Decoder::start_new_stream`].
pub fn decode_until_cut<'a>(
    decoder: &mut Decoder,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Transcript {
    let mut outputs = Vec::new();
    let mut buf = BytesMut::new();
    for chunk in chunks {
        buf.extend_from_slice(chunk);
        drain(decoder, &mut buf, &mut outputs, Decoder::decode);
        assert!(
            buf.is_empty(),
            "{} bytes left in the buffer after decode asked for more: {:?}",
            buf.len(),
            &buf[..buf.len().min(64)],
        );
    }
    Transcript {
        outputs,
        last_event_id: decoder.last_event_id().map(str::to_owned),
        reconnection_time: decoder.reconnection_time(),
    }
}

type DecodeFn = fn(&mut Decoder, &mut BytesMut) -> Result<Option<Frame>, DecodeError>;

fn drain(decoder: &mut Decoder, buf: &mut BytesMut, outputs: &mut Vec<Output>, decode: DecodeFn) {
    let limits = decoder.limits();
    loop {
        let result = match decode(decoder, buf) {
            Ok(None) => return,
            Ok(Some(frame)) => Ok(frame),
            Err(error) => Err(error),
        };
        match &result {
            Ok(frame) => assert_frame_within(frame, limits),
            Err(error) => assert_names_limit(*error, limits),
        }
        outputs.push(Output {
            result,
            last_event_id: decoder.last_event_id().map(str::to_owned),
        });
    }
}

fn assert_frame_within(frame: &Frame, limits: Limits) {
    match frame {
        // The event size limit bounds the data as text; the line limit bounds an event type or
        // id as text too, since the decoder keeps them across events.
        Frame::Event(event) => {
            let data = event.data().len();
            assert!(
                data <= limits.event_size(),
                "event data of {data} bytes passed the limit {}",
                limits.event_size()
            );
            if let Some(event_type) = event.explicit_event_type() {
                assert!(event_type.len() <= limits.line_len());
            }
            // The id may be the seeded one, which no limit covers; seeds are at most one byte.
            if let Some(id) = event.id() {
                assert!(id.len() <= limits.line_len().max(1));
            }
        }
        Frame::Comment(text) => assert!(min_input_len(text) <= limits.line_len()),
        Frame::Retry(_) => {}
    }
}

fn assert_names_limit(error: DecodeError, limits: Limits) {
    match error {
        DecodeError::LineTooLong { limit } => assert_eq!(limit, limits.line_len()),
        DecodeError::EventTooLarge { limit } => assert_eq!(limit, limits.event_size()),
        _ => panic!("unknown decode error {error:?}"),
    }
}

/// The fewest input bytes that decode to `text`: each U+FFFD (three bytes) may stand for a single
/// invalid input byte.
fn min_input_len(text: &str) -> usize {
    text.len() - 2 * text.matches('\u{FFFD}').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_records_frames_errors_and_ids() {
        let mut decoder = Decoder::new().with_limits(Limits::default().max_line_len(8));
        let stream: &[u8] = b"id: 1\ndata: a\n\ndata: too long\n\nretry: 5\n";
        let transcript = decode_stream(&mut decoder, stream.chunks(3));
        let results: Vec<_> = transcript
            .outputs
            .iter()
            .map(|o| o.result.clone())
            .collect();
        assert_eq!(
            results,
            [
                Ok(Frame::Event(sse_codec::Event::new("a").with_id("1"))),
                Err(DecodeError::LineTooLong { limit: 8 }),
                Ok(Frame::Retry(5)),
            ]
        );
        assert_eq!(transcript.outputs[0].last_event_id.as_deref(), Some("1"));
        assert_eq!(transcript.reconnection_time, Some(5));
    }

    #[test]
    fn replacement_characters_count_one_input_byte() {
        assert_eq!(min_input_len("a\u{FFFD}\u{FFFD}"), 3);
    }
}
