//! tokio-util codec impls, for `FramedRead` and `FramedWrite`.

use std::io;

use bytes::BytesMut;

use crate::decoder::Decoder;
use crate::error::DecodeError;
use crate::event::{Event, Frame};

/// The error of the tokio-util codec impls: a decoder limit, or the I/O error of the transport
/// (tokio-util's codec traits require errors to be constructible from `io::Error`).
///
/// Note that tokio-util's `FramedRead` ends the stream after the first error it yields; use
/// `EventStream` (feature `stream`) to keep reading past a limit error.
#[derive(Debug)]
#[non_exhaustive]
pub enum CodecError {
    /// A decoder limit was exceeded.
    Decode(DecodeError),
    /// Reading or writing the transport failed.
    Io(io::Error),
}

impl core::fmt::Display for CodecError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            CodecError::Decode(error) => error.fmt(f),
            CodecError::Io(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for CodecError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CodecError::Decode(error) => Some(error),
            CodecError::Io(error) => Some(error),
        }
    }
}

impl From<io::Error> for CodecError {
    fn from(error: io::Error) -> Self {
        CodecError::Io(error)
    }
}

impl From<DecodeError> for CodecError {
    fn from(error: DecodeError) -> Self {
        CodecError::Decode(error)
    }
}

/// Decodes frames from an `AsyncRead`.
///
/// # Examples
///
/// ```
/// use futures_util::StreamExt;
/// use sse_codec::Decoder;
/// use tokio_util::codec::FramedRead;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let body: &[u8] = b"data: one\n\ndata: two\n\n";
/// let mut frames = FramedRead::new(body, Decoder::new());
/// let mut data = Vec::new();
/// while let Some(frame) = frames.next().await {
///     data.push(frame.unwrap().into_event().unwrap().data().to_owned());
/// }
/// assert_eq!(data, ["one", "two"]);
/// # }
/// ```
impl tokio_util::codec::Decoder for Decoder {
    type Item = Frame;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, CodecError> {
        Ok(Decoder::decode(self, src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, CodecError> {
        Ok(Decoder::decode_eof(self, src)?)
    }
}

/// Encodes frames for an `AsyncWrite`: [`Frame`]s and [`Event`]s, by value or by reference.
#[derive(Clone, Copy, Debug, Default)]
pub struct Encoder;

impl tokio_util::codec::Encoder<Frame> for Encoder {
    type Error = io::Error;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> io::Result<()> {
        frame.encode(dst);
        Ok(())
    }
}

impl tokio_util::codec::Encoder<&Frame> for Encoder {
    type Error = io::Error;

    fn encode(&mut self, frame: &Frame, dst: &mut BytesMut) -> io::Result<()> {
        frame.encode(dst);
        Ok(())
    }
}

impl tokio_util::codec::Encoder<Event> for Encoder {
    type Error = io::Error;

    fn encode(&mut self, event: Event, dst: &mut BytesMut) -> io::Result<()> {
        event.encode(dst);
        Ok(())
    }
}

impl tokio_util::codec::Encoder<&Event> for Encoder {
    type Error = io::Error;

    fn encode(&mut self, event: &Event, dst: &mut BytesMut) -> io::Result<()> {
        event.encode(dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_util::codec::Encoder as _;

    #[test]
    fn encoder_output_decodes_back_through_the_trait() {
        let mut buf = BytesMut::new();
        let event = Event::new("a\nb").with_event_type("t").with_id("1");
        Encoder.encode(&event, &mut buf).unwrap();
        Encoder.encode(Frame::Retry(5), &mut buf).unwrap();
        let mut decoder = Decoder::new();
        let first = tokio_util::codec::Decoder::decode(&mut decoder, &mut buf).unwrap();
        assert_eq!(first, Some(Frame::Event(event)));
        assert_eq!(decoder.decode_eof(&mut buf).unwrap(), Some(Frame::Retry(5)));
        assert_eq!(decoder.decode_eof(&mut buf).unwrap(), None);
    }

    #[test]
    fn errors_say_what_failed_and_point_at_their_cause() {
        use std::error::Error as _;
        use std::string::ToString as _;
        let limit = CodecError::from(DecodeError::LineTooLong { limit: 8 });
        assert_eq!(
            limit.to_string(),
            DecodeError::LineTooLong { limit: 8 }.to_string()
        );
        let source = limit.source().expect("the limit is the source");
        assert_eq!(source.to_string(), limit.to_string());
        let io = CodecError::from(io::Error::other("socket closed"));
        assert_eq!(io.to_string(), "socket closed");
        assert_eq!(io.source().unwrap().to_string(), "socket closed");
    }

    #[test]
    fn decode_eof_through_the_trait_yields_what_is_buffered_then_starts_a_new_stream() {
        use tokio_util::codec::Decoder as Codec;
        let mut decoder = Decoder::new();
        let mut buf = BytesMut::from("data: a\n\ndata: b\n\nevent: cut\ndata: c");
        assert_eq!(
            Codec::decode_eof(&mut decoder, &mut buf).unwrap(),
            Some(Frame::Event(Event::new("a")))
        );
        assert_eq!(
            Codec::decode_eof(&mut decoder, &mut buf).unwrap(),
            Some(Frame::Event(Event::new("b")))
        );
        assert_eq!(Codec::decode_eof(&mut decoder, &mut buf).unwrap(), None);
        let mut next = BytesMut::from("\u{FEFF}data: d\n\n");
        assert_eq!(
            Codec::decode(&mut decoder, &mut next).unwrap(),
            Some(Frame::Event(Event::new("d")))
        );
    }
}
