//! Event ids in a hub: how they are made, and which ones may be published.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use bytestring::ByteString;
use sse_codec::FieldError;

/// The longest id a hub publishes, in bytes.
///
/// A client sends the id back in its `Last-Event-ID` request header, and proxies and servers
/// bound a header line (8 KiB in nginx and Apache by default, shared with every other header):
/// an id well below that always comes back whole.
pub const MAX_EVENT_ID_LEN: usize = 1024;

/// How the hub names events published without an id, so that clients can resume.
///
/// Whatever the scheme, an id must be one a client can send back as a header value
/// ([`IdError`] lists why one may not be); a publish whose id breaks a rule is refused.
#[derive(Clone, Default)]
pub enum IdScheme {
    /// `<start>-<nonce>-<n>`: the channel's start time in milliseconds since the Unix epoch, a
    /// random 48-bit nonce in hexadecimal, then a sequence number from 1. Two channels (in one
    /// process or in several started in the same millisecond) never make the same ids, and a
    /// client resuming with an id from an earlier server or another channel is told to resync
    /// instead of being matched to an unrelated event.
    #[default]
    StartTimeSequence,
    /// `1`, `2`, `3`, ...: shortest, but the numbers start again after a restart (a client
    /// then resumes at the wrong place), and every channel uses the same ones. For tests and
    /// for hubs whose history never outlives the process's clients.
    Sequence,
    /// Your own ids, made from the sequence number (from 1). A publish whose id is refused
    /// ([`IdError`]) or already in the replay ring fails and is not sent.
    Custom(Arc<dyn Fn(u64) -> ByteString + Send + Sync>),
}

impl fmt::Debug for IdScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdScheme::StartTimeSequence => f.write_str("StartTimeSequence"),
            IdScheme::Sequence => f.write_str("Sequence"),
            IdScheme::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

/// Why an id cannot be published by a hub: the client could not send it back intact as its
/// `Last-Event-ID` header, so it could not resume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdError {
    /// The id is empty: a client that receives it forgets its last event ID, and resumes from
    /// nothing.
    Empty,
    /// The id cannot be written as an `id:` field at all (CR, LF or NUL), as the encoder's
    /// [`sse_codec::check_id`] says.
    Field(FieldError),
    /// A control character other than CR, LF and NUL (a tab, DEL, ...), which HTTP libraries
    /// refuse or alter in a header value.
    ControlCharacter {
        /// Byte offset of the character.
        position: usize,
    },
    /// A leading or trailing space, which HTTP strips from a header value.
    SurroundingSpace,
    /// Longer than [`MAX_EVENT_ID_LEN`].
    TooLong {
        /// The id's length in bytes.
        len: usize,
        /// [`MAX_EVENT_ID_LEN`].
        max: usize,
    },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Empty => f.write_str("the id is empty"),
            IdError::Field(error) => fmt::Display::fmt(error, f),
            IdError::ControlCharacter { position } => write!(
                f,
                "event id contains a control character at byte {position}, which a header value cannot carry"
            ),
            IdError::SurroundingSpace => {
                f.write_str("event id starts or ends with a space, which a header value loses")
            }
            IdError::TooLong { len, max } => write!(
                f,
                "event id is {len} bytes long, more than the {max} a Last-Event-ID header reliably carries"
            ),
        }
    }
}

impl std::error::Error for IdError {}

/// Checks that `id` can go out with an event and come back as a `Last-Event-ID` header value.
pub(crate) fn check_publishable_id(id: &str) -> Result<(), IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    sse_codec::check_id(id).map_err(IdError::Field)?;
    if let Some(position) = id.bytes().position(|byte| byte.is_ascii_control()) {
        return Err(IdError::ControlCharacter { position });
    }
    if id.starts_with(' ') || id.ends_with(' ') {
        return Err(IdError::SurroundingSpace);
    }
    if id.len() > MAX_EVENT_ID_LEN {
        return Err(IdError::TooLong {
            len: id.len(),
            max: MAX_EVENT_ID_LEN,
        });
    }
    Ok(())
}

/// Makes the ids of one channel.
#[derive(Debug)]
pub(crate) struct IdMaker {
    scheme: IdScheme,
    /// `<start>-<nonce>-`, for [`IdScheme::StartTimeSequence`].
    prefix: String,
    /// Reused to format each id.
    buffer: String,
}

impl IdMaker {
    pub(crate) fn new(scheme: IdScheme) -> Self {
        let prefix = match scheme {
            IdScheme::StartTimeSequence => {
                let start_millis = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |since| since.as_millis());
                format!("{start_millis}-{:012x}-", nonce() & 0xFFFF_FFFF_FFFF)
            }
            IdScheme::Sequence | IdScheme::Custom(_) => String::new(),
        };
        IdMaker {
            scheme,
            prefix,
            buffer: String::new(),
        }
    }

    pub(crate) fn id(&mut self, sequence: u64) -> ByteString {
        use std::fmt::Write as _;
        match &self.scheme {
            IdScheme::StartTimeSequence => {
                self.buffer.clear();
                self.buffer.push_str(&self.prefix);
                let _ = write!(self.buffer, "{sequence}");
                ByteString::from(self.buffer.as_str())
            }
            IdScheme::Sequence => {
                self.buffer.clear();
                let _ = write!(self.buffer, "{sequence}");
                ByteString::from(self.buffer.as_str())
            }
            IdScheme::Custom(make) => make(sequence),
        }
    }
}

/// 64 bits that differ between channels, processes and machines: std's `RandomState` is keyed
/// from the operating system's random source once per thread and advanced on every use, so
/// hashing a counter and the clock with it gives a fresh value each time without a dependency
/// on a random number crate. Ids need to be unique, not secret.
fn nonce() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_unsafe_ids_are_refused_with_the_reason() {
        let long = "x".repeat(MAX_EVENT_ID_LEN + 1);
        let cases = [
            ("", IdError::Empty),
            (
                "a\nb",
                IdError::Field(FieldError::LineBreakInId { position: 1 }),
            ),
            ("a\0", IdError::Field(FieldError::NulInId { position: 1 })),
            ("a\tb", IdError::ControlCharacter { position: 1 }),
            ("a\x7f", IdError::ControlCharacter { position: 1 }),
            (" a", IdError::SurroundingSpace),
            ("a ", IdError::SurroundingSpace),
            (
                long.as_str(),
                IdError::TooLong {
                    len: MAX_EVENT_ID_LEN + 1,
                    max: MAX_EVENT_ID_LEN,
                },
            ),
        ];
        for (id, error) in cases {
            assert_eq!(check_publishable_id(id), Err(error), "{id:?}");
        }
        for id in [
            "42",
            "order/7",
            "a b",
            "événement-9",
            &"x".repeat(MAX_EVENT_ID_LEN),
        ] {
            assert_eq!(check_publishable_id(id), Ok(()), "{id:?}");
        }
    }

    #[test]
    fn start_time_ids_of_channels_made_in_the_same_millisecond_differ() {
        let ids: std::collections::HashSet<_> = (0..1000)
            .map(|_| IdMaker::new(IdScheme::StartTimeSequence).id(1))
            .collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            assert_eq!(check_publishable_id(id), Ok(()));
        }
    }

    #[test]
    fn sequence_ids_are_the_numbers() {
        let mut ids = IdMaker::new(IdScheme::Sequence);
        assert_eq!((ids.id(1), ids.id(42)), ("1".into(), "42".into()));
    }

    #[test]
    fn every_id_error_says_what_is_wrong() {
        let cases = [
            (IdError::Empty, "the id is empty"),
            (
                IdError::Field(FieldError::NulInId { position: 1 }),
                &*FieldError::NulInId { position: 1 }.to_string(),
            ),
            (
                IdError::ControlCharacter { position: 3 },
                "event id contains a control character at byte 3, which a header value cannot carry",
            ),
            (
                IdError::SurroundingSpace,
                "event id starts or ends with a space, which a header value loses",
            ),
            (
                IdError::TooLong {
                    len: 2000,
                    max: 1024,
                },
                "event id is 2000 bytes long, more than the 1024 a Last-Event-ID header reliably carries",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
        assert!(!FieldError::NulInId { position: 1 }.to_string().is_empty());
    }

    #[test]
    fn id_schemes_debug_by_name() {
        let custom = IdScheme::Custom(Arc::new(|n| n.to_string().into()));
        let names =
            [IdScheme::StartTimeSequence, IdScheme::Sequence, custom].map(|s| format!("{s:?}"));
        assert_eq!(names, ["StartTimeSequence", "Sequence", "Custom(..)"]);
    }
}
