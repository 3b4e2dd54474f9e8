//! 200 000 distinct channel names subscribed and dropped leave the hub's channel count and
//! memory where they started: clients naming channels in URLs cannot grow the server.
//!
//! Alone in its test binary, because it counts every byte the process holds.

use std::alloc::System;

use futures_util::{FutureExt as _, StreamExt};
use sse_server::Hub;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not freed, over the whole process.
fn live_bytes() -> isize {
    let stats = GLOBAL.stats();
    // Reallocations are counted in both totals already.
    stats.bytes_allocated as isize - stats.bytes_deallocated as isize
}

#[test]
fn two_hundred_thousand_names_subscribed_and_dropped_leave_nothing_behind() {
    let hub = Hub::new();
    let cycle = |n: usize| {
        let mut subscription = hub.channel(&format!("room/{n}")).unwrap().subscribe(None);
        if n.is_multiple_of(2) {
            // Half wait for an event first, so their wakers are registered when they go.
            assert!(subscription.next().now_or_never().is_none());
        }
    };
    for n in 0..1000 {
        cycle(n);
    }
    let before = live_bytes();
    for n in 1000..201_000 {
        cycle(n);
    }
    let after = live_bytes();
    assert_eq!(hub.stats().channels, 0);
    assert_eq!(hub.stats().subscribers, 0);
    assert!(
        after - before < 16 * 1024,
        "{} bytes more held after the churn",
        after - before
    );
}
