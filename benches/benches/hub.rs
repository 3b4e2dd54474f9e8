//! Publishing one event to 10 000 subscribers: the hub (encode once, share the `Bytes`) against
//! axum's `Sse` fed by a `tokio::sync::broadcast` channel (each subscriber encodes its own copy).
//!
//! Time per publish is criterion's; bytes allocated per publish are counted here, by a counting
//! global allocator over 100 publishes, printed and written next to criterion's results
//! (`target/criterion/hub-publish/allocations.json`) for `benches/report.py`.

use std::alloc::System;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sse_benches::FanOut;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const SUBSCRIBERS: usize = 10_000;
const COUNTED_PUBLISHES: usize = 100;

/// A fan-out's name and how to set it up for a number of subscribers.
type Contender = (&'static str, fn(usize) -> FanOut);
fn hub(c: &mut Criterion) {
    let mut group = c.benchmark_group("hub-publish");
    group.throughput(Throughput::Elements(SUBSCRIBERS as u64));
    let contenders: [Contender; 2] = [
        ("sse-server hub + sse-axum", FanOut::hub),
        ("axum Sse + tokio broadcast", FanOut::broadcast),
    ];
    let mut allocations = Vec::new();
    for (name, make) in contenders {
        let mut fan_out = make(SUBSCRIBERS);
        let delivered = fan_out.publish_and_deliver();
        assert!(delivered >= SUBSCRIBERS, "every subscriber got the frame");

        let region = Region::new(GLOBAL);
        for _ in 0..COUNTED_PUBLISHES {
            fan_out.publish_and_deliver();
        }
        let counted = region.change();
        let bytes = counted.bytes_allocated / COUNTED_PUBLISHES;
        let count = counted.allocations / COUNTED_PUBLISHES;
        eprintln!(
            "{name}: {bytes} bytes in {count} allocations per publish to {SUBSCRIBERS} subscribers"
        );
        allocations.push(format!(
            r#"{{"function":"{name}","bytes_per_publish":{bytes},"allocations_per_publish":{count}}}"#
        ));

        group.bench_function(name, |b| b.iter(|| fan_out.publish_and_deliver()));
    }
    group.finish();
    write_allocations(&allocations);
}

/// Beside criterion's own results, where `benches/report.py` reads them.
fn write_allocations(entries: &[String]) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("criterion").join("hub-publish");
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(
            dir.join("allocations.json"),
            format!("[{}]\n", entries.join(",")),
        )
    });
    if let Err(error) = written {
        eprintln!(
            "allocation counts not written to {}: {error}",
            dir.display()
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = hub
}
criterion_main!(benches);
