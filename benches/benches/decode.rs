//! Decoding throughput of every decoder over the same chunked streams.
//!
//! Each decoder's event count is checked against the corpus before it is timed; a decoder that
//! disagrees is reported on stderr and left out of the group rather than timed on wrong output.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sse_benches::{Corpus, DecodePeer, chunk, long_line};

/// Chunk sizes a network read typically returns.
const CHUNK_LENS: [usize; 2] = [4 << 10, 64 << 10];

fn decode_corpora(c: &mut Criterion) {
    let corpora = [
        Corpus::small_events(),
        Corpus::crlf(),
        Corpus::comments(),
        Corpus::multi_line(),
        Corpus::large_data(),
    ];
    for corpus in &corpora {
        let mut group = c.benchmark_group(format!("decode-{}", corpus.name));
        group.throughput(throughput(corpus));
        for chunk_len in CHUNK_LENS {
            let chunks = corpus.chunks(chunk_len);
            let label = format!("{}KiB", chunk_len >> 10);
            for peer in DecodePeer::ALL {
                if agrees(peer, corpus, &chunks, &label) {
                    let id = BenchmarkId::new(peer.name(), &label);
                    group.bench_function(id, |b| b.iter(|| peer.run(&chunks).expect("checked")));
                }
            }
        }
        group.finish();
    }
}

/// One 1 MiB line cut into 1 KiB chunks against the same line in one chunk: a decoder that
/// rescans a partial line on every chunk shows quadratic time here.
fn decode_long_line(c: &mut Criterion) {
    let corpus = long_line();
    let mut group = c.benchmark_group("decode-long_line");
    group.throughput(throughput(&corpus));
    for (label, chunk_len) in [("1KiB", 1 << 10), ("whole", corpus.bytes.len())] {
        let chunks = chunk(&corpus.bytes, chunk_len);
        for peer in DecodePeer::ALL {
            if agrees(peer, &corpus, &chunks, label) {
                let id = BenchmarkId::new(peer.name(), label);
                group.bench_function(id, |b| b.iter(|| peer.run(&chunks).expect("checked")));
            }
        }
    }
    group.finish();
}

fn throughput(corpus: &Corpus) -> Throughput {
    Throughput::ElementsAndBytes {
        elements: corpus.events as u64,
        bytes: corpus.bytes.len() as u64,
    }
}

/// Whether `peer` dispatches as many events as the corpus holds (baselines always pass).
fn agrees(peer: DecodePeer, corpus: &Corpus, chunks: &[bytes::Bytes], label: &str) -> bool {
    if !peer.is_decoder() {
        return true;
    }
    let outcome = match peer.run(chunks) {
        Ok(events) if events == corpus.events => return true,
        Ok(events) => format!("dispatched {events} events, expected {}", corpus.events),
        Err(error) => format!("failed: {error}"),
    };
    eprintln!(
        "not timed: {} on {}/{label} {outcome}",
        peer.name(),
        corpus.name
    );
    false
}

criterion_group! {
    name = benches;
    // Short runs keep the suite to minutes on a shared machine; medians are what we quote.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = decode_corpora, decode_long_line
}
criterion_main!(benches);
