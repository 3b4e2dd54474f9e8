//! Stand-ins for decoder methods that `sse-codec` is about to provide.

use bytes::BytesMut;
use sse_codec::Decoder;

/// Drops whatever the decoder holds of the previous connection (partial line, pending event,
/// skip state) and looks for the byte order mark again; keeps the last event ID and the
/// reconnection time.
pub(crate) fn start_new_stream(decoder: &mut Decoder) {
    let mut nothing = BytesMut::new();
    // With no bytes there is no complete line, so no frame can come out; `decode_eof` then
    // resets the stream state.
    while let Ok(Some(_)) = decoder.decode_eof(&mut nothing) {}
}

/// The value to send as `Last-Event-ID`: none when there is no id or it is empty.
pub(crate) fn last_event_id_header(decoder: &Decoder) -> Option<&str> {
    decoder.last_event_id().filter(|id| !id.is_empty())
}
