//! The encoder: events, reconnection times and comments to `text/event-stream` bytes.
//!
//! Injection is impossible by construction: `event` and `id` values were checked when they were
//! set ([`FieldError`](crate::FieldError)), and data and comments are split into one field line
//! per line of text, on LF, CR and CRLF alike.

use bytes::{BufMut, Bytes, BytesMut};

use crate::event::{Event, Frame};
use crate::lines::{LineLayout, Lines, contains_line_break};

/// Data up to this long is written into room made for the whole frame at once.
const SMALL_DATA: usize = 256;

/// Frames up to this long are put together on the stack before they are appended.
const STACK_FRAME: usize = 128;

/// How much data is checked for line breaks and then copied at a time: small enough that the
/// copy finds it in the L1 cache and overlaps with the check of the next block, large enough
/// that each copy's setup is amortised (1 KiB was the fastest of 128 B to 16 KiB for 64 KiB of
/// data written to a buffer out of cache).
const COPY_BLOCK: usize = 1 << 10;

const DATA: &[u8] = b"data: ";
const EVENT: &[u8] = b"event: ";
const ID: &[u8] = b"id: ";
const RETRY: &[u8] = b"retry: ";
const NEWLINE_ID: &[u8] = b"\nid: ";
const NEWLINE_DATA: &[u8] = b"\ndata: ";
const COMMENT: &[u8] = b":";

impl Event {
    /// The exact number of bytes [`encode`](Self::encode) writes.
    pub fn encoded_len(&self) -> usize {
        self.encoded_len_with(LineLayout::of(self.data.as_bytes()))
    }

    fn encoded_len_with(&self, data: LineLayout) -> usize {
        self.header_len() + data.encoded_len(DATA.len()) + 1
    }

    /// Appends the event to `dst`, reserving its exact size first so that one allocation at most
    /// holds it.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_codec::Event;
    ///
    /// let mut buf = BytesMut::new();
    /// Event::new("line one\r\nline two").with_id("9").encode(&mut buf);
    /// assert_eq!(&buf[..], b"id: 9\ndata: line one\ndata: line two\n\n");
    /// ```
    pub fn encode(&self, dst: &mut BytesMut) {
        let data = self.data.as_bytes();
        let frame_start = dst.len();
        // Most data is one line: the frame is written on that guess, each block of data checked
        // for a line break just before it is copied (so the copy reads it from cache), and the
        // guess is undone at the first line break.
        let single_line_len = self.header_len() + DATA.len() + data.len() + 2;
        if data.len() <= SMALL_DATA {
            if !contains_line_break(data) {
                self.write_small(dst, single_line_len);
                return;
            }
        } else {
            dst.reserve(single_line_len);
            self.put_header(|piece| dst.extend_from_slice(piece));
            dst.extend_from_slice(DATA);
            if extend_single_line(dst, data) {
                dst.extend_from_slice(b"\n\n");
                return;
            }
            dst.truncate(frame_start);
        }
        let layout = LineLayout::of(data);
        dst.reserve(self.encoded_len_with(layout));
        self.write(dst, layout);
    }

    /// The bytes of the `event` and `id` lines.
    fn header_len(&self) -> usize {
        let event_type = self
            .event_type
            .as_ref()
            .map_or(0, |t| EVENT.len() + t.len() + 1);
        event_type + self.id.as_ref().map_or(0, |id| ID.len() + id.len() + 1)
    }

    /// Hands the `event` and `id` lines to `put`, piece by piece: the one writer of the
    /// header that the frame builders share (whatever they write into).
    #[inline(always)]
    fn put_header(&self, mut put: impl FnMut(&[u8])) {
        if let Some(event_type) = &self.event_type {
            put(EVENT);
            put(event_type.as_bytes());
            put(b"\n");
        }
        if let Some(id) = &self.id {
            put(ID);
            put(id.as_bytes());
            put(b"\n");
        }
    }

    /// Writes a frame of one short data line, `len` bytes. A frame that fits
    /// [`STACK_FRAME`] is put together on the stack and appended in one copy, so that the
    /// destination takes a few wide stores rather than being zeroed and then written piece by
    /// piece; a larger one is written into room made for it at once.
    fn write_small(&self, dst: &mut BytesMut, len: usize) {
        let mut frame = [0u8; STACK_FRAME];
        if let Some(frame) = frame.get_mut(..len) {
            self.fill_single_line(frame);
            dst.extend_from_slice(frame);
        } else {
            let start = dst.len();
            dst.resize(start + len, 0);
            self.fill_single_line(&mut dst[start..]);
        }
    }

    /// Fills `out`, exactly the frame's length, with the frame of one data line: one length
    /// check per piece, and the constant pieces copied without a call.
    // Inlined into both branches of `write_small`, so that in the stack one every offset is
    // known to fit the array.
    #[inline(always)]
    fn fill_single_line(&self, out: &mut [u8]) {
        let mut out = Cursor(out);
        self.put_header(|piece| out.put(piece));
        out.put(DATA);
        out.put(self.data.as_bytes());
        out.put(b"\n\n");
    }

    /// Appends the event to any [`BufMut`], without reserving.
    ///
    /// # Panics
    ///
    /// Panics if `dst` cannot grow and has less room than [`encoded_len`](Self::encoded_len), as
    /// [`BufMut::put_slice`] does.
    pub fn encode_to<B: BufMut>(&self, dst: &mut B) {
        self.write(dst, LineLayout::of(self.data.as_bytes()));
    }

    /// The event as one frozen frame: encode once, then clone the `Bytes` to every connection.
    pub fn to_bytes(&self) -> Bytes {
        let mut buf = BytesMut::new();
        self.encode(&mut buf);
        buf.freeze()
    }

    fn write<B: BufMut>(&self, dst: &mut B, data: LineLayout) {
        // Each field's line end is written together with the next field's name: fewer, larger
        // copies, which is most of the cost of a small event.
        let mut line_end: &[u8] = b"";
        if let Some(event_type) = &self.event_type {
            dst.put_slice(EVENT);
            dst.put_slice(event_type.as_bytes());
            line_end = b"\n";
        }
        if let Some(id) = &self.id {
            dst.put_slice(if line_end.is_empty() { ID } else { NEWLINE_ID });
            dst.put_slice(id.as_bytes());
            line_end = b"\n";
        }
        if data.is_single_line() {
            dst.put_slice(if line_end.is_empty() {
                DATA
            } else {
                NEWLINE_DATA
            });
            dst.put_slice(self.data.as_bytes());
        } else {
            dst.put_slice(line_end);
            put_lines(dst, DATA, self.data.as_bytes(), data);
            dst.put_u8(b'\n');
            return;
        }
        dst.put_slice(b"\n\n");
    }
}

impl Frame {
    /// The exact number of bytes [`encode`](Self::encode) writes.
    pub fn encoded_len(&self) -> usize {
        match self {
            Frame::Event(event) => event.encoded_len(),
            Frame::Retry(millis) => RETRY.len() + decimal_len(*millis) + 1,
            Frame::Comment(text) => LineLayout::of(text.as_bytes()).encoded_len(COMMENT.len()),
        }
    }

    /// Appends the frame to `dst`, reserving its exact size first.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use sse_codec::Frame;
    ///
    /// let mut buf = BytesMut::new();
    /// Frame::Retry(3000).encode(&mut buf);
    /// Frame::comment("keep-alive").encode(&mut buf);
    /// assert_eq!(&buf[..], b"retry: 3000\n:keep-alive\n");
    /// ```
    pub fn encode(&self, dst: &mut BytesMut) {
        match self {
            Frame::Event(event) => event.encode(dst),
            _ => {
                dst.reserve(self.encoded_len());
                self.encode_to(dst);
            }
        }
    }

    /// Appends the frame to any [`BufMut`], without reserving.
    ///
    /// # Panics
    ///
    /// Panics if `dst` cannot grow and has less room than [`encoded_len`](Self::encoded_len).
    pub fn encode_to<B: BufMut>(&self, dst: &mut B) {
        match self {
            Frame::Event(event) => event.encode_to(dst),
            Frame::Retry(millis) => {
                let mut digits = [0u8; 20];
                put_field(dst, RETRY, format_decimal(*millis, &mut digits));
            }
            Frame::Comment(text) => {
                put_lines(
                    dst,
                    COMMENT,
                    text.as_bytes(),
                    LineLayout::of(text.as_bytes()),
                );
            }
        }
    }

    /// The frame as one frozen `Bytes`, ready to be shared by any number of connections.
    pub fn to_bytes(&self) -> Bytes {
        let mut buf = BytesMut::new();
        self.encode(&mut buf);
        buf.freeze()
    }
}

/// Appends `data` to `dst` block by block while it has no line break. Returns `false` at the
/// first block that has one, with `dst` holding the blocks before it.
fn extend_single_line(dst: &mut BytesMut, data: &[u8]) -> bool {
    for block in data.chunks(COPY_BLOCK) {
        if contains_line_break(block) {
            return false;
        }
        dst.extend_from_slice(block);
    }
    true
}

/// Writes pieces one after another into a slice sized for all of them.
struct Cursor<'a>(&'a mut [u8]);

impl Cursor<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let (piece, rest) = core::mem::take(&mut self.0).split_at_mut(bytes.len());
        piece.copy_from_slice(bytes);
        self.0 = rest;
    }
}

fn put_field<B: BufMut>(dst: &mut B, name: &[u8], value: &[u8]) {
    dst.put_slice(name);
    dst.put_slice(value);
    dst.put_u8(b'\n');
}

/// Writes one `prefix` line per line of `text`.
fn put_lines<B: BufMut>(dst: &mut B, prefix: &[u8], text: &[u8], layout: LineLayout) {
    if layout.is_single_line() {
        put_field(dst, prefix, text);
        return;
    }
    for line in Lines::new(text) {
        put_field(dst, prefix, line);
    }
}

fn decimal_len(mut value: u64) -> usize {
    let mut len = 1;
    while value >= 10 {
        value /= 10;
        len += 1;
    }
    len
}

fn format_decimal(mut value: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &digits[start..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn encoded(frame: &Frame) -> Vec<u8> {
        let mut buf = BytesMut::new();
        frame.encode(&mut buf);
        assert_eq!(
            buf.len(),
            frame.encoded_len(),
            "encoded_len is exact for {frame:?}"
        );
        buf.to_vec()
    }

    #[test]
    fn empty_data_still_writes_a_data_line() {
        assert_eq!(encoded(&Event::new("").into()), b"data: \n\n");
    }

    #[test]
    fn data_is_split_on_every_kind_of_line_break() {
        let frame = Event::new("a\nb\rc\r\nd\n").into();
        assert_eq!(
            encoded(&frame),
            b"data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n"
        );
    }

    #[test]
    fn fields_in_order_type_id_data() {
        let frame = Event::new("x").with_id("").with_event_type("t").into();
        assert_eq!(encoded(&frame), b"event: t\nid: \ndata: x\n\n");
    }

    #[test]
    fn leading_space_in_a_value_is_kept_after_the_separator_space() {
        assert_eq!(encoded(&Event::new(" x").into()), b"data:  x\n\n");
    }

    #[test]
    fn retry_in_decimal_milliseconds() {
        for (millis, text) in [
            (0, "0"),
            (9, "9"),
            (10, "10"),
            (u64::MAX, "18446744073709551615"),
        ] {
            assert_eq!(
                encoded(&Frame::Retry(millis)),
                alloc::format!("retry: {text}\n").as_bytes()
            );
        }
    }

    #[test]
    fn comments_one_line_each() {
        assert_eq!(encoded(&Frame::comment("")), b":\n");
        assert_eq!(encoded(&Frame::comment("a\r\nb")), b":a\n:b\n");
    }

    #[test]
    fn to_bytes_holds_exactly_the_frame() {
        let event = Event::new("a\nb").with_event_type("t");
        let bytes = event.to_bytes();
        assert_eq!(bytes.len(), event.encoded_len());
    }

    #[test]
    fn data_of_every_length_around_the_size_steps_encodes_as_its_lines() {
        for len in [
            0,
            1,
            SMALL_DATA - 1,
            SMALL_DATA,
            SMALL_DATA + 1,
            3 * COPY_BLOCK + 5,
        ] {
            // A line break nowhere, in the first byte, the last byte, and past the first block.
            for break_at in [
                None,
                Some(0),
                Some(len / 2),
                len.checked_sub(1),
                Some(COPY_BLOCK),
            ] {
                let mut data = alloc::vec![b'x'; len];
                if let Some(slot) = break_at.and_then(|at| data.get_mut(at)) {
                    *slot = b'\n';
                }
                let data = alloc::string::String::from_utf8(data).unwrap();
                let event = Event::new(data.as_str()).with_event_type("t").with_id("1");
                let mut expected = b"event: t\nid: 1\n".to_vec();
                for line in data.split('\n') {
                    expected.extend_from_slice(b"data: ");
                    expected.extend_from_slice(line.as_bytes());
                    expected.push(b'\n');
                }
                expected.push(b'\n');
                let mut buf = BytesMut::from(&b"before"[..]);
                event.encode(&mut buf);
                assert_eq!(&buf[..6], b"before");
                assert!(buf[6..] == expected[..], "len {len} break {break_at:?}");
                assert_eq!(encoded(&Frame::Event(event)), expected);
            }
        }
    }

    #[test]
    fn frames_around_the_stack_frame_size_are_whole() {
        // `event: t\nid: 1\ndata: ` and the blank line take 23 bytes: frames of one byte under,
        // exactly and one byte over the stack frame.
        for len in [STACK_FRAME - 24, STACK_FRAME - 23, STACK_FRAME - 22] {
            let data = "d".repeat(len);
            let event = Event::new(data.as_str()).with_event_type("t").with_id("1");
            let expected = alloc::format!("event: t\nid: 1\ndata: {data}\n\n");
            let mut buf = BytesMut::from(&b"before"[..]);
            event.encode(&mut buf);
            assert_eq!(expected.len(), len + 23);
            assert_eq!(&buf[6..], expected.as_bytes(), "data of {len}");
            assert_eq!(encoded(&Frame::Event(event)), expected.as_bytes());
        }
    }

    #[test]
    fn control_bytes_that_are_no_line_break_stay_in_one_data_line() {
        for len in [5, SMALL_DATA, SMALL_DATA + 1, 3 * COPY_BLOCK + 5] {
            let mut data = alloc::vec![b'x'; len];
            data[len / 2] = b'\t';
            data[len - 1] = 0x0B;
            let data = alloc::string::String::from_utf8(data).unwrap();
            let mut expected = b"data: ".to_vec();
            expected.extend_from_slice(data.as_bytes());
            expected.extend_from_slice(b"\n\n");
            assert_eq!(encoded(&Event::new(data).into()), expected, "len {len}");
        }
    }

    #[test]
    fn a_frame_encodes_an_event_as_the_event_does() {
        let event = Event::new("a\nb").with_event_type("t").with_id("1");
        let mut direct = BytesMut::new();
        event.encode(&mut direct);
        assert_eq!(encoded(&Frame::Event(event)), direct.to_vec());
        assert_eq!(&direct[..], b"event: t\nid: 1\ndata: a\ndata: b\n\n");
    }
}
