//! Splitting text into lines on LF, CR and CRLF, the three line ends of `text/event-stream`.

use crate::line_end::find_line_end;

/// How `text` breaks into lines: enough to size its encoding without writing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LineLayout {
    lines: usize,
    /// Bytes of `text` taken by line breaks (a CRLF counts two).
    break_bytes: usize,
    text_len: usize,
}

impl LineLayout {
    /// Measures `text` in one pass.
    pub(crate) fn of(text: &[u8]) -> Self {
        let mut layout = LineLayout {
            lines: 1,
            break_bytes: 0,
            text_len: text.len(),
        };
        // Most text is one short line: a word-at-a-time look settles it without memchr's setup.
        let Some(first_break) = find_line_end(text) else {
            return layout;
        };
        let mut after_cr = None;
        for position in memchr::memchr2_iter(b'\r', b'\n', &text[first_break..])
            .map(|offset| first_break + offset)
        {
            let is_cr = text[position] == b'\r';
            layout.break_bytes += 1;
            // The LF of a CRLF belongs to the line break the CR started.
            if !is_cr && after_cr == Some(position) {
                continue;
            }
            layout.lines += 1;
            after_cr = is_cr.then_some(position + 1);
        }
        layout
    }

    pub(crate) fn is_single_line(&self) -> bool {
        self.lines == 1
    }

    /// The size of the text written as one `prefix`ed, LF-terminated line per line.
    pub(crate) fn encoded_len(&self, prefix_len: usize) -> usize {
        self.lines * (prefix_len + 1) + self.text_len - self.break_bytes
    }
}

/// The lines of a text, without their line ends. Text ending with a line break has a last,
/// empty line, so that no line break is lost in a round trip.
#[derive(Clone, Debug)]
pub(crate) struct Lines<'a> {
    rest: Option<&'a [u8]>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Self {
        Lines { rest: Some(text) }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest?;
        let Some(end) = find_line_end(rest) else {
            self.rest = None;
            return Some(rest);
        };
        let break_len = if rest[end..].starts_with(b"\r\n") {
            2
        } else {
            1
        };
        self.rest = Some(&rest[end + break_len..]);
        Some(&rest[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn splits_on_lf_cr_and_crlf() {
        let lines: Vec<&[u8]> = Lines::new(b"a\nb\rc\r\nd\n\re").collect();
        assert_eq!(lines, [&b"a"[..], b"b", b"c", b"d", b"", b"e"]);
    }

    #[test]
    fn layout_agrees_with_the_lines() {
        for text in [
            &b""[..],
            b"x",
            b"\r\n",
            b"\n\r",
            b"\r\r",
            b"a\r\r\nb\n",
            b"\r\r\n\n",
            b"\r\n\r\n\n",
        ] {
            let lines: Vec<&[u8]> = Lines::new(text).collect();
            let layout = LineLayout::of(text);
            let expected: usize = lines.iter().map(|line| 2 + line.len() + 1).sum();
            assert_eq!(layout.encoded_len(2), expected, "{text:?}");
            assert_eq!(layout.is_single_line(), lines.len() == 1);
        }
    }
}
