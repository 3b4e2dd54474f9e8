//! Broadcast benchmarks, every subscriber a task awaiting its axum response body:
//!
//! - `hub-publish`: one small event to 10 000 waiting subscribers, the hub (encode once, share
//!   the `Bytes`) against axum's `Sse` fed by a `tokio::sync::broadcast::Sender<Bytes>` (each
//!   subscriber's body encodes its own copy). Time per publish is criterion's, from the call
//!   until the last subscriber has the frame; bytes allocated per publish are counted by a
//!   counting global allocator over 100 publishes.
//! - `hub-large-event`: a 4 MiB event published while 10 000 subscribers read a stream of small
//!   events published from another thread. Besides criterion's time per publish, it times every
//!   poll of every subscriber's body: a read that waited for the encode would take at least as
//!   long as the encode alone. Such long polls are counted while the large events are published
//!   and, as a control, for as long with the small events only (a shared machine preempts a
//!   worker in the middle of a poll now and then; those show up in both).
//!
//! The counts are printed and written next to criterion's results
//! (`target/criterion/hub-publish/allocations.json`, `target/criterion/hub-large-event/reads.json`)
//! for `benches/report.py`.

use std::alloc::System;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sse_benches::FanOut;
use sse_codec::Event;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const SUBSCRIBERS: usize = 10_000;
const COUNTED_PUBLISHES: usize = 100;
const LARGE_EVENT: usize = 4 * 1024 * 1024;

/// A fan-out's name and how to set it up for a number of subscribers.
type Contender = (&'static str, fn(usize) -> FanOut);

fn publish(c: &mut Criterion) {
    let mut group = c.benchmark_group("hub-publish");
    group.throughput(Throughput::Elements(SUBSCRIBERS as u64));
    let contenders: [Contender; 2] = [
        ("sse-server hub + sse-axum", FanOut::hub),
        ("axum Sse + tokio broadcast", FanOut::broadcast),
    ];
    let mut allocations = Vec::new();
    for (name, make) in contenders {
        let fan_out = make(SUBSCRIBERS);
        let region = Region::new(GLOBAL);
        for _ in 0..COUNTED_PUBLISHES {
            fan_out.publish_and_deliver();
        }
        let counted = region.change();
        let bytes = counted.bytes_allocated / COUNTED_PUBLISHES;
        let count = counted.allocations / COUNTED_PUBLISHES;
        eprintln!(
            "{name}: {bytes} bytes in {count} allocations per publish to {SUBSCRIBERS} waiting subscribers"
        );
        allocations.push(format!(
            r#"{{"function":"{name}","bytes_per_publish":{bytes},"allocations_per_publish":{count}}}"#
        ));
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                (0..iterations).map(|_| fan_out.publish_and_deliver()).sum()
            });
        });
    }
    group.finish();
    write_results(
        "hub-publish",
        "allocations.json",
        &format!("[{}]\n", allocations.join(",")),
    );
}

fn large_event(c: &mut Criterion) {
    let mut group = c.benchmark_group("hub-large-event");
    group.throughput(Throughput::Bytes(LARGE_EVENT as u64));
    let large = "x".repeat(LARGE_EVENT);
    let encode_alone = {
        let event = Event::new(large.clone()).with_id("1");
        let runs = 20;
        let started = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(event.clone().to_bytes());
        }
        started.elapsed() / runs
    };

    let fan_out = FanOut::hub(SUBSCRIBERS);
    // Small events from another thread keep every subscriber reading during the large publish.
    let hub = fan_out.hub_handle();
    let stop = Arc::new(AtomicBool::new(false));
    let ticker = std::thread::spawn({
        let stop = Arc::clone(&stop);
        move || {
            while !stop.load(Ordering::Relaxed) {
                if hub.publish(Event::new("tick")).is_err() {
                    return;
                }
                // Paced so that two workers keep up with 10 000 deliveries per tick.
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    });
    // The control: as long as the measurement below, small events only.
    fan_out.take_poll_times();
    std::thread::sleep(Duration::from_secs(6));
    let control = fan_out.take_poll_times();
    group.bench_function("sse-server hub, 10 000 subscribers reading", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                fan_out.drain_extra_deliveries();
                total += fan_out.publish_frame_and_deliver(&large);
            }
            total
        });
    });
    group.finish();
    stop.store(true, Ordering::Relaxed);
    ticker.join().expect("the ticker thread");
    let during = fan_out.take_poll_times();
    let long = |summary: &sse_benches::PollSummary| summary.at_least(encode_alone);
    eprintln!(
        "4 MiB event: encoding alone takes {encode_alone:?}; reads at least that long: {} of {} while publishing it (longest < {:?}), {} of {} with small events only (longest < {:?})",
        long(&during),
        during.polls(),
        during.longest_below(),
        long(&control),
        control.polls(),
        control.longest_below(),
    );
    write_results(
        "hub-large-event",
        "reads.json",
        &format!(
            "{{\"encode_ns\":{},\"polls\":{},\"long_polls\":{},\"control_polls\":{},\"control_long_polls\":{}}}\n",
            encode_alone.as_nanos(),
            during.polls(),
            long(&during),
            control.polls(),
            long(&control),
        ),
    );
}

/// Beside criterion's own results, where `benches/report.py` reads them.
fn write_results(group: &str, file: &str, contents: &str) {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let dir = target.join("criterion").join(group);
    let written =
        std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(file), contents));
    if let Err(error) = written {
        eprintln!("{file} not written to {}: {error}", dir.display());
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = publish, large_event
}
criterion_main!(benches);
