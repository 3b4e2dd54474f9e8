//! Shared parts of sse-codec's fuzz targets.
//!
//! The targets in `fuzz_targets/` are thin: each turns libFuzzer's bytes into a case with
//! [`Input`] or [`FrameSpec`] and checks it with the helpers here. The invariants are the ones
//! the workspace design promises: no input makes the decoder panic, its buffer stays within its
//! limits, chunking never changes what comes out, the decoder agrees with the naive reference,
//! and every frame the encoder accepts comes back equal.

mod frame_spec;
mod input;
mod transcript;

pub use crate::frame_spec::{FieldLine, FrameSpec, field_lines};
pub use crate::input::{Input, Setup};
pub use crate::transcript::{Output, Transcript, decode_stream, decode_until_cut};
