//! Runs one decoder or encoder over one input many times, without criterion, for a profiler.
//!
//! ```sh
//! cargo build --profile bench -p sse-benches --example profile
//! perf record -g target/release/examples/profile decode sse-codec small 4096 500
//! valgrind --tool=callgrind target/release/examples/profile encode sse-codec small 0 50
//! ```
//!
//! Arguments: `decode|encode`, a peer name as in the criterion ids, an input name, the chunk
//! length in bytes (decode only; 0 for one chunk), and the number of runs.

use std::hint::black_box;
use std::process::ExitCode;

use bytes::BytesMut;
use sse_benches::{
    Corpus, DecodePeer, EncodeInput, EncodePeer, chunk, large_event_fields, long_line,
    small_event_fields,
};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [direction, peer, input, chunk_len, runs] = &args[..] else {
        eprintln!("usage: profile decode|encode <peer> <input> <chunk length> <runs>");
        return ExitCode::FAILURE;
    };
    let runs: usize = runs.parse().expect("runs is a number");
    match direction.as_str() {
        "decode" => {
            let peer = DecodePeer::ALL
                .into_iter()
                .find(|p| p.name() == peer)
                .expect("a decoder name");
            let corpus = match input.as_str() {
                "small" => Corpus::small_events(),
                "crlf" => Corpus::crlf(),
                "comments" => Corpus::comments(),
                "multi_line" => Corpus::multi_line(),
                "large_data" => Corpus::large_data(),
                "long_line" => long_line(),
                other => panic!("unknown input {other}"),
            };
            let chunk_len: usize = chunk_len.parse().expect("chunk length is a number");
            let chunks = match chunk_len {
                0 => vec![corpus.bytes.clone()],
                len => chunk(&corpus.bytes, len),
            };
            for _ in 0..runs {
                black_box(peer.run(&chunks).expect("decodes"));
            }
        }
        "encode" => {
            let peer = EncodePeer::ALL
                .into_iter()
                .find(|p| p.name() == peer)
                .expect("an encoder name");
            let input = match input.as_str() {
                "small" => EncodeInput::new("small", small_event_fields()),
                "large_data" => EncodeInput::new("large_data", large_event_fields()),
                other => panic!("unknown input {other}"),
            };
            let mut out = BytesMut::new();
            for _ in 0..runs {
                peer.run(&input, &mut out, &mut |bytes| {
                    black_box(bytes);
                });
            }
        }
        other => panic!("unknown direction {other}"),
    }
    ExitCode::SUCCESS
}
