//! Spec-exact, zero-copy, bounded incremental encoding and decoding of Server-Sent Events.
//!
//! `text/event-stream` is the wire format behind the browser's `EventSource`: a stream of
//! `field: value` lines where a blank line dispatches an event. This crate implements it exactly as
//! the WHATWG HTML Living Standard's "event stream interpretation" algorithm describes, for both
//! directions, with one event model shared by the two ([`Event`] inside a [`Frame`]).
//!
//! - **Exact**: every rule of the algorithm (byte order mark, the three line ends even when a CRLF
//!   is split across reads, one leading space, `id` with NUL, `retry` digits, the persistent last
//!   event ID, discarding an unfinished event at end of stream, U+FFFD for invalid UTF-8) behaves
//!   the same whatever the chunking of the input, down to one byte at a time.
//! - **Fast**: line ends are found with `memchr`, a line that trickles in is never rescanned, the
//!   complete lines of a read are taken about 8 KiB at a time, each block in one split and
//!   checked as UTF-8 in one pass, and a single-line value is handed out as a slice of the input
//!   buffer rather than copied.
//! - **Across connections**: a decoder moved to the next connection of a reconnecting client
//!   ([`Decoder::start_new_stream`], or `EventStream::with_decoder` with the `stream` feature) decodes it exactly as a
//!   fresh decoder seeded with the last event ID and reconnection time would.
//! - **Bounded**: line length and event size are limited ([`Limits`]), and so is the memory a
//!   decoder holds, whatever the input ([`Limits::max_held_bytes`]); exceeding a limit is a typed,
//!   recoverable [`DecodeError`].
//! - **Safe to encode**: an `event` or `id` value that would inject a field is refused
//!   ([`FieldError`]); data is split into `data:` lines on every kind of line break.
//! - `no_std` with `alloc`, no `unsafe`.
//!
//! # Decoding a chunked stream
//!
//! Feed bytes as they arrive; frames come out as soon as they are complete.
//!
//! ```
//! use bytes::BytesMut;
//! use sse_codec::{Decoder, Frame};
//!
//! let chunks: [&[u8]; 3] = [b"\xEF\xBB\xBFretry: 2500\nevent: price\nid: 7\nda", b"ta: 101.5\r", b"\n\n: ping\n\n"];
//! let mut decoder = Decoder::new();
//! let mut buf = BytesMut::new();
//! let mut frames = Vec::new();
//! for chunk in chunks {
//!     buf.extend_from_slice(chunk);
//!     while let Some(frame) = decoder.decode(&mut buf)? {
//!         frames.push(frame);
//!     }
//! }
//! while let Some(frame) = decoder.decode_eof(&mut buf)? {
//!     frames.push(frame);
//! }
//!
//! assert_eq!(frames[0], Frame::Retry(2500));
//! let Frame::Event(event) = &frames[1] else { panic!() };
//! assert_eq!((event.event_type(), event.data(), event.id()), ("price", "101.5", Some("7")));
//! assert_eq!(frames.len(), 2);
//! assert_eq!(decoder.last_event_id(), Some("7"));
//! # Ok::<(), sse_codec::DecodeError>(())
//! ```
//!
//! # Encoding
//!
//! ```
//! use sse_codec::{Event, FieldError, Frame};
//!
//! let frame = Event::new("first line\nsecond line").with_event_type("note").with_id("42");
//! assert_eq!(&frame.to_bytes()[..], b"event: note\nid: 42\ndata: first line\ndata: second line\n\n");
//!
//! // Values from users are checked: no field can be smuggled in.
//! let forged = Event::new("x").try_with_id("1\nevent: admin");
//! assert_eq!(forged, Err(FieldError::LineBreakInId { position: 1 }));
//!
//! // A frame is a `Bytes`: encode once, send to every connection.
//! let shared = Frame::comment("keep-alive").to_bytes();
//! assert_eq!(&shared[..], b":keep-alive\n");
//! ```
//!
//! # Crate features
//!
//! - `std` (default): `std::error::Error` impls, and memchr's runtime CPU detection (AVX2).
//! - `tokio-util`: `Decoder` and `Encoder` implement tokio-util's codec traits, for
//!   `FramedRead` and `FramedWrite`.
//! - `stream`: `EventStream`, which turns a stream of byte chunks with any error type (a
//!   `reqwest` or `hyper` body) into a stream of frames.
//! - `json`: `Event::json` and `Event::parse_json`, event data from and to `serde` types.

#![no_std]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod decoder;
mod encode;
mod error;
mod event;
mod event_ref;
mod field_rules;
mod limits;
mod line_end;
mod lines;
mod text;

#[cfg(feature = "tokio-util")]
mod codec;
#[cfg(feature = "json")]
mod json;
#[cfg(feature = "stream")]
mod stream;

pub use bytestring::ByteString;

#[cfg(feature = "tokio-util")]
pub use crate::codec::{CodecError, Encoder};
pub use crate::decoder::Decoder;
pub use crate::error::{DecodeError, FieldError};
pub use crate::event::{DEFAULT_EVENT_TYPE, Event, Frame};
pub use crate::event_ref::{EventRef, FrameRef};
pub use crate::field_rules::{check_event_type, check_id};
pub use crate::limits::Limits;
#[cfg(feature = "stream")]
pub use crate::stream::{EventStream, StreamError};

// The workspace README's examples are compiled as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct WorkspaceReadme;
