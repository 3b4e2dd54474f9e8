//! Decodes a `text/event-stream` from standard input and prints each frame as it completes.
//!
//! ```text
//! printf 'event: tick\ndata: 42\n\n' | cargo run -p sse-codec@0.1.0 --example decode
//! ```
//!
//! (`@0.1.0`: the benchmarks depend on the published `sse-codec` 0.3 too, so the bare name is
//! ambiguous in this workspace.)
//!
//! Input is read in small pieces on purpose: frames come out the moment their blank line
//! arrives, however the bytes are split.

use std::io::{self, Read, Write};

use bytes::BytesMut;
use sse_codec::{Decoder, Frame};

fn main() -> io::Result<()> {
    let mut decoder = Decoder::new().with_comments(true);
    let mut buf = BytesMut::new();
    let mut chunk = [0u8; 512];
    let mut stdin = io::stdin().lock();
    let mut out = io::stdout().lock();
    loop {
        let read = stdin.read(&mut chunk)?;
        buf.extend_from_slice(&chunk[..read]);
        loop {
            let decoded = if read == 0 {
                decoder.decode_eof(&mut buf)
            } else {
                decoder.decode(&mut buf)
            };
            match decoded {
                Ok(Some(frame)) => print_frame(&mut out, &frame)?,
                Ok(None) => break,
                Err(error) => writeln!(out, "error: {error}")?,
            }
        }
        if read == 0 {
            return Ok(());
        }
    }
}

fn print_frame(out: &mut impl Write, frame: &Frame) -> io::Result<()> {
    match frame {
        Frame::Event(event) => writeln!(
            out,
            "event type={:?} id={:?} data={:?}",
            event.event_type(),
            event.id(),
            event.data()
        ),
        Frame::Retry(millis) => writeln!(out, "retry {millis} ms"),
        Frame::Comment(text) => writeln!(out, "comment {text:?}"),
    }
}
