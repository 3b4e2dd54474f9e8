//! The rules a field value must follow to go on the wire, exported so that every layer checks a
//! value exactly as the encoder does.
//!
//! [`Event::try_with_id`](crate::Event::try_with_id) and
//! [`Event::try_with_event_type`](crate::Event::try_with_event_type) are these checks.

use crate::error::FieldError;
use crate::line_end::{find_line_end, find_line_end_or_nul};
use crate::lines::{contains_line_break, contains_line_break_or_nul};

/// Checks that `id` can be written as an `id:` field: no CR or LF (which would end the line and
/// let the rest inject fields) and no NUL (a receiver ignores an `id` field containing NUL, as
/// the WHATWG "process the field" step says).
///
/// # Errors
///
/// [`FieldError::LineBreakInId`] or [`FieldError::NulInId`], with the position of the first
/// offending byte.
///
/// # Examples
///
/// ```
/// use sse_codec::{FieldError, check_id};
///
/// assert_eq!(check_id("order/7"), Ok(()));
/// assert_eq!(check_id("7\nevent: x"), Err(FieldError::LineBreakInId { position: 1 }));
/// assert_eq!(check_id("7\0"), Err(FieldError::NulInId { position: 1 }));
/// ```
#[inline]
pub fn check_id(id: &str) -> Result<(), FieldError> {
    // Most values are fine: a yes-or-no look first, the position only for a refusal.
    if !contains_line_break_or_nul(id.as_bytes()) {
        return Ok(());
    }
    refuse_id(id)
}

#[cold]
fn refuse_id(id: &str) -> Result<(), FieldError> {
    match find_line_end_or_nul(id.as_bytes()) {
        None => Ok(()),
        Some(position) if id.as_bytes()[position] == 0 => Err(FieldError::NulInId { position }),
        Some(position) => Err(FieldError::LineBreakInId { position }),
    }
}

/// Checks that `event_type` can be written as an `event:` field: no CR or LF.
///
/// # Errors
///
/// [`FieldError::LineBreakInEventType`], with the position of the first CR or LF.
///
/// # Examples
///
/// ```
/// use sse_codec::{FieldError, check_event_type};
///
/// assert_eq!(check_event_type("price"), Ok(()));
/// assert_eq!(check_event_type("a\rb"), Err(FieldError::LineBreakInEventType { position: 1 }));
/// ```
#[inline]
pub fn check_event_type(event_type: &str) -> Result<(), FieldError> {
    if !contains_line_break(event_type.as_bytes()) {
        return Ok(());
    }
    refuse_event_type(event_type)
}

#[cold]
fn refuse_event_type(event_type: &str) -> Result<(), FieldError> {
    match find_line_end(event_type.as_bytes()) {
        None => Ok(()),
        Some(position) => Err(FieldError::LineBreakInEventType { position }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Event;

    #[test]
    fn each_refused_byte_is_found_at_every_position_of_short_values() {
        for len in [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33] {
            for position in 0..len {
                let mut value = alloc::vec![b'v'; len];
                for (byte, id_error, event_type_error) in [
                    (
                        b'\n',
                        Some(FieldError::LineBreakInId { position }),
                        Some(FieldError::LineBreakInEventType { position }),
                    ),
                    (
                        b'\r',
                        Some(FieldError::LineBreakInId { position }),
                        Some(FieldError::LineBreakInEventType { position }),
                    ),
                    (0, Some(FieldError::NulInId { position }), None),
                    (b'\t', None, None),
                ] {
                    value[position] = byte;
                    let text = core::str::from_utf8(&value).unwrap();
                    assert_eq!(check_id(text).err(), id_error, "{text:?}");
                    assert_eq!(check_event_type(text).err(), event_type_error, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_checks_agree_with_the_encoders_try_setters() {
        let values = [
            "",
            "plain",
            "a\nb",
            "a\rb",
            "a\r\nb",
            "\0",
            "x\0\n",
            "tab\tbut no line break",
            "long value past the word-at-a-time prefix of sixty-four bytes\n",
        ];
        for value in values {
            assert_eq!(
                check_id(value),
                Event::new("").try_with_id(value).map(drop),
                "{value:?}"
            );
            assert_eq!(
                check_event_type(value),
                Event::new("").try_with_event_type(value).map(drop),
                "{value:?}"
            );
        }
    }
}
