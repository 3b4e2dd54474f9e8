//! Deterministic benchmark inputs: the byte streams the decoders read and the events the encoders
//! write. Every run builds the same bytes, so numbers from different runs and machines compare.

use bytes::Bytes;

/// Size each decode stream grows to: several MiB, so that one iteration dwarfs per-call overhead
/// and leaves every cache level.
const STREAM_LEN: usize = 4 << 20;

/// The length of the single-line data value in [`Corpus::large_data`].
pub const LARGE_DATA_LEN: usize = 64 << 10;

/// The length of the line in [`long_line`].
pub const LONG_LINE_LEN: usize = 1 << 20;

/// A `text/event-stream` body with the number of events a conforming decoder dispatches from it.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// A short name, used as the criterion group name.
    pub name: &'static str,
    /// The whole stream.
    pub bytes: Bytes,
    /// How many events (not comments, not retries) a conforming decoder dispatches.
    pub events: usize,
}

impl Corpus {
    /// ~60-byte events with `event`, `id` and a small JSON `data`, LF line ends.
    pub fn small_events() -> Self {
        Self::repeat("small", |n, out| small_event(n, "\n", out))
    }

    /// The small events with CRLF line ends.
    pub fn crlf() -> Self {
        Self::repeat("crlf", |n, out| small_event(n, "\r\n", out))
    }

    /// The small events, each followed by a keep-alive comment (a comment line and a blank line,
    /// as servers send them).
    pub fn comments() -> Self {
        Self::repeat("comments", |n, out| {
            small_event(n, "\n", out);
            out.extend_from_slice(b": keep-alive\n\n");
        })
    }

    /// Events of 20 `data` lines of ~40 bytes each.
    pub fn multi_line() -> Self {
        Self::repeat("multi_line", |n, out| {
            for line in 0..20 {
                out.extend_from_slice(b"data: ");
                out.extend_from_slice(&json_fragment(n * 20 + line, 34));
                out.push(b'\n');
            }
            out.push(b'\n');
        })
    }

    /// Events of one 64 KiB `data` line.
    pub fn large_data() -> Self {
        Self::repeat("large_data", |n, out| {
            out.extend_from_slice(b"data: ");
            out.extend_from_slice(&json_fragment(n, LARGE_DATA_LEN));
            out.extend_from_slice(b"\n\n");
        })
    }

    /// Appends events made by `write_event(index, out)` until the stream reaches [`STREAM_LEN`].
    fn repeat(name: &'static str, mut write_event: impl FnMut(usize, &mut Vec<u8>)) -> Self {
        let mut bytes = Vec::with_capacity(STREAM_LEN + LARGE_DATA_LEN);
        let mut events = 0;
        while bytes.len() < STREAM_LEN {
            write_event(events, &mut bytes);
            events += 1;
        }
        Corpus {
            name,
            bytes: bytes.into(),
            events,
        }
    }

    /// The stream cut into `chunk_len`-byte pieces (the last may be shorter), as a network would
    /// deliver it. The pieces share the stream's allocation.
    pub fn chunks(&self, chunk_len: usize) -> Vec<Bytes> {
        chunk(&self.bytes, chunk_len)
    }
}

/// One event whose `data` is a single line of [`LONG_LINE_LEN`] bytes, to show that a decoder's
/// time is linear in its input however the input is cut.
pub fn long_line() -> Corpus {
    let mut bytes = b"data: ".to_vec();
    bytes.extend_from_slice(&json_fragment(0, LONG_LINE_LEN));
    bytes.extend_from_slice(b"\n\n");
    Corpus {
        name: "long_line",
        bytes: bytes.into(),
        events: 1,
    }
}

/// `bytes` cut into `chunk_len`-byte pieces sharing its allocation.
pub fn chunk(bytes: &Bytes, chunk_len: usize) -> Vec<Bytes> {
    (0..bytes.len())
        .step_by(chunk_len)
        .map(|start| bytes.slice(start..bytes.len().min(start + chunk_len)))
        .collect()
}

/// The fields of one event to encode, as the text a server has at hand.
#[derive(Debug, Clone)]
pub struct EventFields {
    /// The `event` field.
    pub event_type: String,
    /// The `id` field.
    pub id: String,
    /// The `data` field, a single line.
    pub data: String,
}

/// ~60-byte events (`event`, `id`, small JSON `data`) for the encoders: 64 Ki of them.
pub fn small_event_fields() -> Vec<EventFields> {
    (0..1 << 16)
        .map(|n| EventFields {
            event_type: "update".to_owned(),
            id: n.to_string(),
            data: small_json(n),
        })
        .collect()
}

/// Events with one 64 KiB `data` line for the encoders: 64 of them, 4 MiB in all.
pub fn large_event_fields() -> Vec<EventFields> {
    (0..64)
        .map(|n| EventFields {
            event_type: "blob".to_owned(),
            id: n.to_string(),
            data: String::from_utf8(json_fragment(n, LARGE_DATA_LEN)).expect("ASCII"),
        })
        .collect()
}

/// `event: update`, `id: <n>`, `data: {"seq":..}` and the blank line, ~60 bytes with LF ends.
fn small_event(n: usize, line_end: &str, out: &mut Vec<u8>) {
    for field in [
        "event: update".to_owned(),
        format!("id: {n}"),
        format!("data: {}", small_json(n)),
        String::new(),
    ] {
        out.extend_from_slice(field.as_bytes());
        out.extend_from_slice(line_end.as_bytes());
    }
}

/// A small JSON object whose numbers vary with `n`.
fn small_json(n: usize) -> String {
    let price = mix(n) % 100_000;
    format!(r#"{{"seq":{n},"px":{}.{:02}}}"#, price / 100, price % 100)
}

/// `len` bytes of JSON-looking ASCII without line breaks, varying with `seed`.
fn json_fragment(seed: usize, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut state = mix(seed);
    while out.len() < len {
        state = mix(state);
        out.extend_from_slice(format!(r#"{{"k":{}}},"#, state % 1_000_000).as_bytes());
    }
    out.truncate(len);
    out
}

/// A cheap, fixed integer hash (splitmix-style) for deterministic variety.
fn mix(n: usize) -> usize {
    let mut x = (n as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (x ^ (x >> 31)) as usize
}
