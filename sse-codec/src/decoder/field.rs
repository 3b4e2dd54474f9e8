//! Recognising a line's field, without searching for the colon in lines the algorithm ignores.

/// The fields the algorithm acts on; everything else is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Data,
    Event,
    Id,
    Retry,
    Comment,
    /// A field the specification says to ignore.
    Ignored,
}

/// Splits a non-empty line into its field and where its value starts.
///
/// Spec: the field name is everything before the first colon (the whole line when there is none),
/// and one space after the colon is not part of the value. Only four names matter, so a line is
/// matched against them directly: a name that merely starts like one (`datum:`, `data x:`) is a
/// different, ignored field.
pub(super) fn parse_field(line: &[u8]) -> (Field, usize) {
    let (field, name_len) = match line[0] {
        b':' => return (Field::Comment, 1),
        b'd' if line.starts_with(b"data") => (Field::Data, 4),
        b'i' if line.starts_with(b"id") => (Field::Id, 2),
        b'e' if line.starts_with(b"event") => (Field::Event, 5),
        b'r' if line.starts_with(b"retry") => (Field::Retry, 5),
        _ => return (Field::Ignored, line.len()),
    };
    match line.get(name_len) {
        None => (field, name_len),
        Some(b':') if line.get(name_len + 1) == Some(&b' ') => (field, name_len + 2),
        Some(b':') => (field, name_len + 1),
        Some(_) => (Field::Ignored, line.len()),
    }
}

/// Spec: "If the field value consists of only ASCII digits, then interpret the field value as an
/// integer in base ten". An empty value, or one too large for `u64`, is ignored.
pub(super) fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0u64, |millis, &byte| {
        let digit = byte.checked_sub(b'0').filter(|digit| *digit <= 9)?;
        millis.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whole_and_case_sensitively() {
        assert_eq!(parse_field(b"data: x"), (Field::Data, 6));
        assert_eq!(parse_field(b"data:x"), (Field::Data, 5));
        assert_eq!(parse_field(b"data:  x"), (Field::Data, 6));
        assert_eq!(parse_field(b"data"), (Field::Data, 4));
        assert_eq!(parse_field(b"id"), (Field::Id, 2));
        assert_eq!(parse_field(b"event:"), (Field::Event, 6));
        assert_eq!(parse_field(b"retry: 1"), (Field::Retry, 7));
        assert_eq!(parse_field(b": x"), (Field::Comment, 1));
        for ignored in [
            &b"Data: x"[..],
            b"datum: x",
            b"data : x",
            b"ids: 1",
            b"x",
            b"eventx",
        ] {
            assert_eq!(parse_field(ignored).0, Field::Ignored, "{ignored:?}");
        }
    }

    #[test]
    fn retry_takes_only_ascii_digits_that_fit() {
        assert_eq!(parse_retry(b"0042"), Some(42));
        assert_eq!(parse_retry(b"18446744073709551615"), Some(u64::MAX));
        for ignored in [
            &b""[..],
            b"18446744073709551616",
            b" 1",
            b"1 ",
            b"-1",
            b"+1",
            b"1.5",
            b"\xD9\xA1",
        ] {
            assert_eq!(parse_retry(ignored), None, "{ignored:?}");
        }
    }

    #[test]
    fn a_name_of_the_same_length_and_first_letter_is_not_the_field() {
        for (lookalike, field) in [
            (&b"ix: 1"[..], "id"),
            (b"evens: x", "event"),
            (b"retro: 5", "retry"),
            (b"dato: x", "data"),
        ] {
            assert_eq!(parse_field(lookalike).0, Field::Ignored, "{field}");
        }
    }
}
