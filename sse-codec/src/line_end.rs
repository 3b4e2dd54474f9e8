//! Finding the next CR or LF (or NUL), fast for the short values SSE is mostly made of.

/// How many bytes are searched a word at a time before handing over to `memchr`, whose setup
/// costs more than a short line: most SSE lines (`event: x`, `id: 42`, small JSON data) are short.
const SHORT_LINE: usize = 64;

/// Each byte 0x01: subtracted from a word, it borrows through a zero byte.
pub(crate) const LOW_BITS: u64 = u64::from_ne_bytes([0x01; 8]);
/// Each byte's high bit: where a word-at-a-time test leaves its flags.
pub(crate) const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);
const LF: u64 = u64::from_ne_bytes([b'\n'; 8]);
const CR: u64 = u64::from_ne_bytes([b'\r'; 8]);

/// The position of the first CR or LF in `haystack`.
pub(crate) fn find_line_end(haystack: &[u8]) -> Option<usize> {
    find_short(
        haystack,
        |word| zero_bytes(word ^ LF) | zero_bytes(word ^ CR),
        |rest| memchr::memchr2(b'\n', b'\r', rest),
    )
}

/// The position of the first CR, LF or NUL in `haystack`: what an `id` must not contain.
pub(crate) fn find_line_end_or_nul(haystack: &[u8]) -> Option<usize> {
    find_short(
        haystack,
        |word| zero_bytes(word ^ LF) | zero_bytes(word ^ CR) | zero_bytes(word),
        |rest| memchr::memchr3(b'\n', b'\r', 0, rest),
    )
}

/// Searches `haystack` a word at a time for the bytes `flags` marks, up to [`SHORT_LINE`] bytes,
/// then hands the rest to `search`.
fn find_short(
    haystack: &[u8],
    flags: impl Fn(u64) -> u64,
    search: impl Fn(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let mut start = 0;
    while start + 8 <= haystack.len().min(SHORT_LINE) {
        let word = u64::from_le_bytes(haystack[start..start + 8].try_into().unwrap_or([0; 8]));
        let found = flags(word);
        if found != 0 {
            return Some(start + (found.trailing_zeros() / 8) as usize);
        }
        start += 8;
    }
    let rest = &haystack[start..];
    if rest.len() < 8 {
        // Under a word: the tail read as one word, padded with 0xFF, which is none of the bytes
        // searched for. A flag past the tail can only be a borrow from a real match below it,
        // and only the lowest flag counts: it is in the tail whenever there is one.
        let mut padded = [0xFFu8; 8];
        padded[..rest.len()].copy_from_slice(rest);
        let found = flags(u64::from_le_bytes(padded));
        return (found != 0).then(|| start + (found.trailing_zeros() / 8) as usize);
    }
    search(rest).map(|offset| start + offset)
}

/// A word with the high bit set in the lowest byte of `word` that is zero. Bytes above the first
/// zero byte may be flagged wrongly (a borrow carries into them), so only the lowest flag counts,
/// which is why the word is read little-endian.
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(LOW_BITS) & !word & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn agrees_with_a_plain_search_at_every_position_and_length() {
        for len in 0..80 {
            for position in 0..=len {
                for end in [b'\n', b'\r'] {
                    // Bytes just above and below the line ends, and 0x8A/0x8D, catch a wrong mask.
                    let mut haystack: Vec<u8> = (0..len)
                        .map(|i| [b'\x0B', b'\x0C', 0x8A, 0x8D, 0, b'a'][i % 6])
                        .collect();
                    if position < len {
                        haystack[position] = end;
                    }
                    let expected = haystack.iter().position(|b| *b == b'\n' || *b == b'\r');
                    assert_eq!(
                        find_line_end(&haystack),
                        expected,
                        "len {len} position {position}"
                    );
                }
            }
        }
    }
}
