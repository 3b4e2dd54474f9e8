//! Benchmarks of `sse-codec` against the Server-Sent Events crates users would otherwise pick.
//!
//! The library holds the inputs and one driver per decoder and encoder; the criterion benches in
//! `benches/` check each driver's output, then time it. `hub` sets up a broadcast to many
//! subscribers, ours and the usual hand-rolled one. Run `cargo bench -p sse-benches`, then
//! `python3 benches/report.py` for the README's table. `examples/profile.rs` runs one driver in a
//! loop, without criterion, for `perf` or `valgrind --tool=callgrind`.

mod decode;
mod encode;
mod hub;
mod inputs;

pub use decode::DecodePeer;
pub use encode::{EncodeInput, EncodePeer};
pub use hub::{FanOut, PollSummary};
pub use inputs::{
    Corpus, EventFields, LARGE_DATA_LEN, LONG_LINE_LEN, chunk, large_event_fields, long_line,
    small_event_fields,
};
