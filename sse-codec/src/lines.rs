//! Splitting text into lines on LF, CR and CRLF, the three line ends of `text/event-stream`.

use crate::line_end::{HIGH_BITS, LOW_BITS, find_line_end, find_line_end_or_nul};

/// Values up to this long are looked at a word at a time; longer ones by their lowest byte,
/// which the compiler computes a vector at a time.
const WORD_CHECK_MAX: usize = 256;

/// The lowest byte that is none of CR (0x0D), LF (0x0A) and NUL: a value whose every byte is at
/// least this holds none of them, which one subtraction per word settles.
const ABOVE_LINE_BREAKS: u8 = b'\r' + 1;

/// Whether `text` holds a CR or LF: the question the encoder asks of every value, answered
/// without the position (only a refusal needs that). A short value is read in a few words with
/// no call and no copy, and only one holding a control byte is then searched exactly.
#[inline]
pub(crate) fn contains_line_break(text: &[u8]) -> bool {
    may_contain_line_break(text) && find_line_end(text).is_some()
}

/// Whether `text` holds a CR, LF or NUL: what an `id` must not contain.
#[inline]
pub(crate) fn contains_line_break_or_nul(text: &[u8]) -> bool {
    may_contain_line_break(text) && find_line_end_or_nul(text).is_some()
}

/// `false` only if `text` holds no CR, LF or NUL; `true` for any byte below
/// [`ABOVE_LINE_BREAKS`] (a tab, say), which the exact search then settles. This is cheaper than
/// the exact search: one comparison per byte rather than two or three, and for a short value no
/// call. Every byte is read at least once: the words overlap where the length is not a multiple
/// of theirs.
#[inline]
fn may_contain_line_break(text: &[u8]) -> bool {
    let len = text.len();
    let word_at = |at: usize| u64::from_le_bytes(text[at..at + 8].try_into().unwrap_or([0; 8]));
    let half_at = |at: usize| u32::from_le_bytes(text[at..at + 4].try_into().unwrap_or([0; 4]));
    let below = match len {
        0 => 0,
        // The first, middle and last byte are every byte; the rest of the word is 0xFF, which is
        // not below anything.
        1..=3 => bytes_below(u64::from_le_bytes([
            text[0],
            text[len / 2],
            text[len - 1],
            0xFF,
            0xFF,
            0xFF,
            0xFF,
            0xFF,
        ])),
        4..=7 => bytes_below(u64::from(half_at(0)) | u64::from(half_at(len - 4)) << 32),
        8..=WORD_CHECK_MAX => {
            let (words, _) = text.as_chunks::<8>();
            let mut below = bytes_below(word_at(len - 8));
            for word in words {
                below |= bytes_below(u64::from_le_bytes(*word));
            }
            below
        }
        _ => {
            return text.iter().fold(u8::MAX, |lowest, &byte| lowest.min(byte)) < ABOVE_LINE_BREAKS;
        }
    };
    below != 0
}

/// Non-zero if and only if a byte of `word` is below [`ABOVE_LINE_BREAKS`]. A borrow may flag
/// bytes above the lowest such byte, so which bytes are flagged is not exact, but whether any
/// is, is (the bound is under 0x80).
fn bytes_below(word: u64) -> u64 {
    word.wrapping_sub(LOW_BITS * u64::from(ABOVE_LINE_BREAKS)) & !word & HIGH_BITS
}

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

    fn naive_contains(text: &[u8], bytes: &[u8]) -> bool {
        text.iter().any(|byte| bytes.contains(byte))
    }

    #[test]
    fn the_prefilter_lets_text_without_control_bytes_through_at_every_length() {
        for len in (0..=300).chain([1000, 4096]) {
            let clean: Vec<u8> = (0..len)
                .map(|i| [b'\x0E', b'\x8E', 0x8A, 0x8D, 0x80, 0xFF, b'a'][i % 7])
                .collect();
            assert!(!may_contain_line_break(&clean), "len {len}");
        }
    }

    #[test]
    fn word_checks_agree_with_a_plain_search_at_every_position() {
        let lengths = [
            0usize, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65, 255, 256,
            257, 300,
        ];
        for len in lengths {
            // Bytes just above and below the searched ones (and with the high bit set) catch a
            // wrong mask or a borrow taken for a match.
            let filler: Vec<u8> = (0..len)
                .map(|i| [b'\x0E', b'\x8E', 0x8A, 0x8D, 0x80, 0xFF, b'a'][i % 7])
                .collect();
            assert!(!contains_line_break(&filler), "len {len}");
            assert!(!contains_line_break_or_nul(&filler), "len {len}");
            let mut tabs = filler.clone();
            if let Some(last) = tabs.last_mut() {
                *last = b'\t';
            }
            assert!(
                !contains_line_break_or_nul(&tabs),
                "a tab is no line break, len {len}"
            );
            for position in 0..len {
                for byte in [b'\n', b'\r', 0, b'\t', b'\x0B', b'\x0C'] {
                    let mut text = filler.clone();
                    text[position] = byte;
                    assert_eq!(
                        contains_line_break(&text),
                        naive_contains(&text, b"\r\n"),
                        "len {len} position {position} byte {byte}"
                    );
                    assert_eq!(
                        contains_line_break_or_nul(&text),
                        naive_contains(&text, b"\r\n\0"),
                        "len {len} position {position} byte {byte}"
                    );
                }
            }
        }
    }

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
