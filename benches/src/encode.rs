//! Every encoder under test, driven through its natural public API over the same events.
//!
//! Each run starts from the event fields and ends with the encoded bytes handed to a sink, one
//! slice per frame (or one slice for a whole buffer), in stream order. What one event costs:
//!
//! - `sse-codec`: build an `Event` from `ByteString` fields (reference-count increments), check
//!   `event` and `id`, encode into one `BytesMut` reused across iterations.
//! - `sse-codec.to_bytes`: the same, but each frame is its own `Bytes`, as a response body yields.
//! - `sse-codec.encode_only`: encoding prebuilt events only, into the reused `BytesMut`.
//! - `axum`: `sse::Event` built from `&str` fields (which writes the frame), taken out of
//!   `Sse::new(stream).into_response()`'s body, one `Frame` per event.
//! - `warp`: `sse::Event` built from `String` fields (its API takes owned strings, so each field is
//!   copied), taken out of `sse::reply(stream)`'s body, one frame per event.
//! - `actix-web-lab`: `sse::Data` built from `ByteString` fields, taken out of
//!   `Sse::from_infallible_stream(stream)` as a `MessageBody`, one chunk per event.
//! - `sse-axum`: `sse_codec::Event` built from `ByteString` fields, taken out of
//!   `sse_axum::Sse::new(stream).into_response()`'s body (keep-alive off, as axum's default), one
//!   `Frame` per chunk.
//! - `russe`: `russe::Event` built from `ByteString` fields, written by its tokio-util encoder
//!   into a reused `BytesMut`.
//! - `baseline-copy`: `extend_from_slice` of each event's pre-encoded bytes into a reused buffer.

use core::convert::Infallible;
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use bytestring::ByteString;
use futures_util::stream;

use crate::EventFields;

/// The events to encode, prepared once in the form each encoder takes.
#[derive(Debug, Clone)]
pub struct EncodeInput {
    /// A short name, used as the criterion group name.
    pub name: &'static str,
    fields: Arc<[EventFields]>,
    byte_strings: Arc<[[ByteString; 3]]>,
    prebuilt: Vec<sse_codec::Event>,
    pre_encoded: Vec<Bytes>,
}

impl EncodeInput {
    /// Prepares `fields` for every encoder.
    pub fn new(name: &'static str, fields: Vec<EventFields>) -> Self {
        let byte_strings: Arc<[[ByteString; 3]]> = fields
            .iter()
            .map(|f| [&f.event_type, &f.id, &f.data].map(|s| ByteString::from(s.as_str())))
            .collect();
        let prebuilt: Vec<sse_codec::Event> = byte_strings.iter().map(our_event).collect();
        let pre_encoded = prebuilt.iter().map(sse_codec::Event::to_bytes).collect();
        EncodeInput {
            name,
            fields: fields.into(),
            byte_strings,
            prebuilt,
            pre_encoded,
        }
    }

    /// The number of events.
    pub fn events(&self) -> usize {
        self.fields.len()
    }

    /// The number of bytes this workspace's encoder writes for all the events.
    pub fn encoded_len(&self) -> usize {
        self.pre_encoded.iter().map(Bytes::len).sum()
    }

    /// The fields of every event, in order.
    pub fn fields(&self) -> &[EventFields] {
        &self.fields
    }
}

/// An encoder under test, or the copy baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodePeer {
    /// This workspace's `Event` built and encoded into a reused `BytesMut`.
    SseCodec,
    /// This workspace's `Event` built and encoded into a `Bytes` of its own.
    SseCodecToBytes,
    /// This workspace's encoder alone, over prebuilt events.
    SseCodecEncodeOnly,
    /// This workspace's `Event` through `sse_axum::Sse`'s response body.
    SseAxum,
    /// `axum::response::sse::Event` through its `Sse` response body.
    Axum,
    /// `warp::sse::Event` through the `warp::sse::reply` body.
    Warp,
    /// `actix_web_lab::sse::Event` through its `Sse` body.
    ActixWebLab,
    /// `russe::Encoder`.
    Russe,
    /// Baseline: copying pre-encoded bytes.
    CopyPreEncoded,
}

impl EncodePeer {
    /// Every encoder and the baseline, ours first.
    pub const ALL: [EncodePeer; 9] = [
        EncodePeer::SseCodec,
        EncodePeer::SseCodecToBytes,
        EncodePeer::SseCodecEncodeOnly,
        EncodePeer::SseAxum,
        EncodePeer::Axum,
        EncodePeer::Warp,
        EncodePeer::ActixWebLab,
        EncodePeer::Russe,
        EncodePeer::CopyPreEncoded,
    ];

    /// The name used as the criterion function id.
    pub fn name(self) -> &'static str {
        match self {
            EncodePeer::SseCodec => "sse-codec",
            EncodePeer::SseCodecToBytes => "sse-codec.to_bytes",
            EncodePeer::SseCodecEncodeOnly => "sse-codec.encode_only",
            EncodePeer::SseAxum => "sse-axum",
            EncodePeer::Axum => "axum",
            EncodePeer::Warp => "warp",
            EncodePeer::ActixWebLab => "actix-web-lab",
            EncodePeer::Russe => "russe",
            EncodePeer::CopyPreEncoded => "baseline-copy",
        }
    }

    /// Whether this is a peer's encoder (not ours, not the baseline).
    pub fn is_peer(self) -> bool {
        matches!(
            self,
            EncodePeer::Axum | EncodePeer::Warp | EncodePeer::ActixWebLab | EncodePeer::Russe
        )
    }

    /// Encodes every event of `input`, handing the bytes to `sink` in order. `out` is a buffer
    /// reused across runs by the encoders that write into one.
    ///
    /// # Panics
    ///
    /// Panics if an encoder refuses an event: the inputs hold no line breaks in `event` or `id`.
    pub fn run(self, input: &EncodeInput, out: &mut BytesMut, sink: &mut impl FnMut(&[u8])) {
        match self {
            EncodePeer::SseCodec => {
                out.clear();
                for fields in input.byte_strings.iter() {
                    our_event(fields).encode(out);
                }
                sink(out);
            }
            EncodePeer::SseCodecToBytes => {
                for fields in input.byte_strings.iter() {
                    sink(&our_event(fields).to_bytes());
                }
            }
            EncodePeer::SseCodecEncodeOnly => {
                out.clear();
                for event in &input.prebuilt {
                    event.encode(out);
                }
                sink(out);
            }
            EncodePeer::SseAxum => sse_axum(input, sink),
            EncodePeer::Axum => axum(input, sink),
            EncodePeer::Warp => warp(input, sink),
            EncodePeer::ActixWebLab => actix_web_lab(input, sink),
            EncodePeer::Russe => russe(input, out, sink),
            EncodePeer::CopyPreEncoded => {
                out.clear();
                for frame in &input.pre_encoded {
                    out.extend_from_slice(frame);
                }
                sink(out);
            }
        }
    }
}

fn our_event([event_type, id, data]: &[ByteString; 3]) -> sse_codec::Event {
    sse_codec::Event::new(data.clone())
        .with_event_type(event_type.clone())
        .with_id(id.clone())
}

/// A stream over the shared fields that owns its data, as the frameworks' bodies require.
fn each_field<U: 'static>(
    fields: &Arc<[EventFields]>,
    build: fn(&EventFields) -> U,
) -> impl futures_util::Stream<Item = Result<U, Infallible>> + Send + Sync + Unpin + 'static {
    let fields = Arc::clone(fields);
    stream::iter((0..fields.len()).map(move |i| Ok(build(&fields[i]))))
}

/// Same as [`each_field`], over the fields as `ByteString`s.
fn each_byte_string<U: 'static>(
    fields: &Arc<[[ByteString; 3]]>,
    build: fn(&[ByteString; 3]) -> U,
) -> impl futures_util::Stream<Item = Result<U, Infallible>> + Send + Sync + Unpin + 'static {
    let fields = Arc::clone(fields);
    stream::iter((0..fields.len()).map(move |i| Ok(build(&fields[i]))))
}

/// Polls an HTTP body to its end, handing each data frame to `sink`. The bodies here wrap
/// streams that are always ready, so a poll never returns `Pending`.
fn drain_http_body<B>(body: B, sink: &mut impl FnMut(&[u8]))
where
    B: http_body::Body<Data = Bytes>,
    B::Error: core::fmt::Debug,
{
    let mut body = pin!(body);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        match body.as_mut().poll_frame(&mut cx) {
            Poll::Ready(Some(frame)) => {
                if let Ok(data) = frame.expect("the event stream cannot fail").into_data() {
                    sink(&data);
                }
            }
            Poll::Ready(None) => return,
            Poll::Pending => unreachable!("the event stream is always ready"),
        }
    }
}

fn sse_axum(input: &EncodeInput, sink: &mut impl FnMut(&[u8])) {
    use axum::response::IntoResponse as _;

    let events = each_byte_string(&input.byte_strings, our_event);
    let body = sse_axum::Sse::new(events)
        .keep_alive(sse_axum::KeepAlive::disabled())
        .into_response()
        .into_body();
    drain_http_body(body, sink);
}

fn axum(input: &EncodeInput, sink: &mut impl FnMut(&[u8])) {
    use axum::response::{IntoResponse as _, sse};

    let events = each_field(&input.fields, |f| {
        sse::Event::default()
            .event(&f.event_type)
            .id(&f.id)
            .data(&f.data)
    });
    drain_http_body(sse::Sse::new(events).into_response().into_body(), sink);
}

fn warp(input: &EncodeInput, sink: &mut impl FnMut(&[u8])) {
    use warp::Reply as _;

    let events = each_field(&input.fields, |f| {
        warp::sse::Event::default()
            .event(f.event_type.clone())
            .id(f.id.clone())
            .data(f.data.clone())
    });
    drain_http_body(warp::sse::reply(events).into_response().into_body(), sink);
}

fn actix_web_lab(input: &EncodeInput, sink: &mut impl FnMut(&[u8])) {
    use actix_web::body::MessageBody as _;
    use actix_web_lab::sse;

    let events = each_byte_string(&input.byte_strings, |[event_type, id, data]| {
        sse::Event::Data(
            sse::Data::new(data.clone())
                .event(event_type.clone())
                .id(id.clone()),
        )
    });
    let mut body = pin!(sse::Sse::from_stream(events));
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        match body.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(chunk)) => sink(&chunk.expect("valid fields")),
            Poll::Ready(None) => return,
            Poll::Pending => unreachable!("the event stream is always ready"),
        }
    }
}

fn russe(input: &EncodeInput, out: &mut BytesMut, sink: &mut impl FnMut(&[u8])) {
    use tokio_util::codec::Encoder as _;

    let mut encoder = russe::Encoder::default();
    out.clear();
    for [event_type, id, data] in input.byte_strings.iter() {
        let message = russe::Message {
            data: data.clone(),
            event: Some(event_type.clone()),
            retry: None,
            id: Some(id.clone()),
        };
        encoder
            .encode(russe::Event::Message(message), out)
            .expect("valid fields");
    }
    sink(out);
}
