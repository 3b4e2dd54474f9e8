//! How a fuzz input's leading bytes choose the decoder's settings.
//!
//! A byte-stream target's input is a small header, then the stream itself, so that a plain
//! `text/event-stream` with one header byte in front is already a meaningful seed:
//!
//! ```text
//! flags            bit 0: report comments
//!                  bits 1-2: seeded last event ID (0 or 3: none, 1: "", 2: "7")
//!                  bit 3: small limits, read from the next two bytes
//! [line limit]     u8, only with bit 3
//! [event limit]    u8, only with bit 3
//! ...              target-specific bytes (chunk lengths), then the stream
//! ```
//!
//! Missing bytes read as zero, so every input is valid.

use sse_codec::{Decoder, Limits};

/// A fuzz input, read from the front.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    rest: &'a [u8],
}

/// The decoder settings an input's header chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    /// Report comment lines as frames.
    pub comments: bool,
    /// The last event ID the decoder starts with.
    pub last_event_id: Option<&'static str>,
    /// The limits in force.
    pub limits: Limits,
}

impl<'a> Input<'a> {
    /// Wraps libFuzzer's bytes.
    pub fn new(bytes: &'a [u8]) -> Self {
        Input { rest: bytes }
    }

    /// The next byte, or 0 when the input is used up.
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&first, rest)) => {
                self.rest = rest;
                first
            }
            None => 0,
        }
    }

    /// Up to `len` next bytes.
    pub fn bytes(&mut self, len: usize) -> &'a [u8] {
        let (taken, rest) = self.rest.split_at(len.min(self.rest.len()));
        self.rest = rest;
        taken
    }

    /// Reads the settings header (see the module docs).
    pub fn setup(&mut self) -> Setup {
        let flags = self.byte();
        let last_event_id = match (flags >> 1) & 0b11 {
            1 => Some(""),
            2 => Some("7"),
            _ => None,
        };
        let limits = if flags & 0b1000 != 0 {
            Limits::default()
                .max_line_len(usize::from(self.byte()))
                .max_event_size(usize::from(self.byte()))
        } else {
            Limits::default()
        };
        Setup {
            comments: flags & 1 != 0,
            last_event_id,
            limits,
        }
    }

    /// Everything not read yet: the stream.
    pub fn rest(self) -> &'a [u8] {
        self.rest
    }
}

impl Setup {
    /// A fresh decoder with these settings.
    pub fn decoder(&self) -> Decoder {
        let decoder = Decoder::new()
            .with_limits(self.limits)
            .with_comments(self.comments);
        match self.last_event_id {
            Some(id) => decoder.with_last_event_id(id),
            None => decoder,
        }
    }

    /// The same settings without limits.
    pub fn unbounded(self) -> Self {
        Setup {
            limits: Limits::unbounded(),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_with_small_limits_then_stream() {
        let mut input = Input::new(b"\x0d\x05\x09data: x\n\n");
        let setup = input.setup();
        assert!(setup.comments);
        assert_eq!(setup.last_event_id, Some("7"));
        assert_eq!(
            setup.limits,
            Limits::default().max_line_len(5).max_event_size(9)
        );
        assert_eq!(input.rest(), b"data: x\n\n");
    }

    #[test]
    fn short_input_reads_as_zeros() {
        let mut input = Input::new(b"\x08");
        let setup = input.setup();
        assert_eq!(
            setup.limits,
            Limits::default().max_line_len(0).max_event_size(0)
        );
        assert_eq!(input.bytes(4), b"");
        assert_eq!(input.byte(), 0);
    }
}
