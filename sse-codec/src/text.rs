//! Turning field bytes into text, as the specification's UTF-8 decode step does.

use alloc::string::String;
use bytes::Bytes;
use bytestring::ByteString;

/// Decodes `bytes` as UTF-8 without copying, replacing each invalid sequence with U+FFFD exactly
/// as `String::from_utf8_lossy` (and the WHATWG UTF-8 decoder) does.
///
/// Lossy decoding per field is the same as decoding the whole stream first: line ends, colons
/// and spaces are ASCII, which the decoder never folds into an invalid sequence.
pub(crate) fn text_from_bytes(bytes: Bytes) -> ByteString {
    text_from_slice(&bytes, 0..bytes.len())
}

/// `block[range]` as text, as [`text_from_bytes`] does, with one UTF-8 check: the block it is cut
/// from is at hand for the rare value that needs the lossy path (`ByteString::try_from` drops
/// its input when that is not UTF-8).
pub(crate) fn text_from_slice(block: &Bytes, range: core::ops::Range<usize>) -> ByteString {
    match ByteString::try_from(block.slice(range.clone())) {
        Ok(text) => text,
        Err(_) => lossy(&block[range]),
    }
}

fn lossy(bytes: &[u8]) -> ByteString {
    ByteString::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_text_is_shared_not_copied() {
        let bytes = Bytes::from(alloc::vec![b'a'; 1000]);
        let pointer = bytes.as_ptr();
        assert_eq!(text_from_bytes(bytes).as_ptr(), pointer);
    }

    #[test]
    fn invalid_sequences_become_replacement_characters() {
        for len in [4, 1000] {
            let mut raw = alloc::vec![b'a'; len];
            raw[1] = 0xFF;
            raw[2] = 0xE2;
            raw[3] = 0x82; // truncated three-byte sequence: one U+FFFD for both bytes
            let text = text_from_bytes(Bytes::from(raw.clone()));
            assert_eq!(&*text, String::from_utf8_lossy(&raw));
            assert!(text.starts_with("a\u{FFFD}\u{FFFD}"));
        }
    }
}
