//! Turning field bytes into text, as the specification's UTF-8 decode step does.

use alloc::borrow::Cow;
use alloc::string::String;
use bytes::Bytes;
use bytestring::ByteString;

/// `block[range]` as text without copying, replacing each invalid sequence with U+FFFD exactly
/// as `String::from_utf8_lossy` (and the WHATWG UTF-8 decoder) does. One UTF-8 check: the block
/// it is cut from is at hand for the rare value that needs the lossy path
/// (`ByteString::try_from` drops its input when that is not UTF-8).
///
/// Lossy decoding per field is the same as decoding the whole stream first: line ends, colons
/// and spaces are ASCII, which the decoder never folds into an invalid sequence.
pub(crate) fn text_from_slice(block: &Bytes, range: core::ops::Range<usize>) -> ByteString {
    match ByteString::try_from(block.slice(range.clone())) {
        Ok(text) => text,
        Err(_) => lossy(&block[range]),
    }
}

/// `bytes` as text in memory of its own, so that a value kept for long (an event type, the last
/// event ID) never holds on to a large input buffer.
pub(crate) fn text_copied(bytes: &[u8]) -> ByteString {
    match core::str::from_utf8(bytes) {
        Ok(text) => ByteString::from(text),
        Err(_) => lossy(bytes),
    }
}

/// The length of `bytes` as text: each invalid sequence becomes U+FFFD, three bytes, as in
/// `String::from_utf8_lossy`. What a decoded value costs in memory, whatever its chunking.
pub(crate) fn decoded_len(bytes: &[u8]) -> usize {
    if core::str::from_utf8(bytes).is_ok() {
        return bytes.len();
    }
    bytes
        .utf8_chunks()
        .map(|chunk| {
            let replacement = if chunk.invalid().is_empty() {
                0
            } else {
                char::REPLACEMENT_CHARACTER.len_utf8()
            };
            chunk.valid().len() + replacement
        })
        .sum()
}

/// The most that `raw_len` input bytes can take once decoded.
pub(crate) const fn max_decoded_len(raw_len: usize) -> usize {
    raw_len.saturating_mul(char::REPLACEMENT_CHARACTER.len_utf8())
}

/// Whether `raw_len` input bytes could decode to more than `limit` bytes of text: when they
/// cannot, their text need not be measured. A prefilter only: measuring whenever it says yes
/// gives the exact answer.
pub(crate) const fn could_decode_past(raw_len: usize, limit: usize) -> bool {
    max_decoded_len(raw_len) > limit
}

/// The text of `bytes`, borrowed when it is valid UTF-8, with U+FFFD for invalid sequences
/// otherwise (as the owned decoding does). One UTF-8 check when nothing needs replacing.
pub(crate) fn text_ref(bytes: &[u8]) -> Cow<'_, str> {
    match core::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(lossy_string(bytes)),
    }
}

/// The lossy text of `bytes` in a string of exactly its size: growing it while replacing could
/// reserve up to twice what the text needs.
fn lossy_string(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(decoded_len(bytes));
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    text
}

fn lossy(bytes: &[u8]) -> ByteString {
    ByteString::from(lossy_string(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_shared_not_copied() {
        let bytes = Bytes::from(alloc::vec![b'a'; 1000]);
        let pointer = bytes.as_ptr();
        assert_eq!(text_from_slice(&bytes, 0..1000).as_ptr(), pointer);
    }

    #[test]
    fn decoded_len_is_the_lossy_text_length() {
        for raw in [
            &b""[..],
            b"plain",
            b"\xFF",
            b"a\xFF\xFFb",
            b"\xE2\x82",
            b"\xE2\x82\xAC\xF0\x9F",
            b"\xC3",
            b"\xED\xA0\x80",
        ] {
            let text = String::from_utf8_lossy(raw);
            assert_eq!(decoded_len(raw), text.len(), "{raw:?}");
            assert!(decoded_len(raw) <= max_decoded_len(raw.len()));
            assert_eq!(&*text_copied(raw), &*text);
            assert_eq!(text_ref(raw), text);
            assert_eq!(lossy_string(raw).capacity(), text.len());
        }
    }

    #[test]
    fn a_copied_text_holds_no_input_memory() {
        let block = Bytes::from(alloc::vec![b'a'; 1000]);
        let copy = text_copied(&block[..2]);
        assert_eq!(&*copy, "aa");
        assert_ne!(copy.as_ptr(), block.as_ptr());
    }

    #[test]
    fn invalid_sequences_become_replacement_characters() {
        for len in [4, 1000] {
            let mut raw = alloc::vec![b'a'; len];
            raw[1] = 0xFF;
            raw[2] = 0xE2;
            raw[3] = 0x82; // truncated three-byte sequence: one U+FFFD for both bytes
            let text = text_from_slice(&Bytes::from(raw.clone()), 0..len);
            assert_eq!(&*text, String::from_utf8_lossy(&raw));
            assert!(text.starts_with("a\u{FFFD}\u{FFFD}"));
        }
    }
}
