//! Publish-to-delivery latency and publishes per second: from one node to 1000 subscribers on
//! another node through Redis, next to the in-process hub.
//!
//! ```sh
//! redis-server --save "" --appendonly no --port 6390 &
//! cargo run --release -p sse-redis --example latency -- --redis redis://127.0.0.1:6390
//! ```
//!
//! Latency is measured from just before `publish` to the moment each subscriber's task gets
//! the frame, over every (event, subscriber) pair; events are published one at a time, 2 ms
//! apart, so the figure is the path's, not a queue's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sse_codec::Event;
use sse_redis::{RedisHub, RedisHubConfig};
use sse_server::{Hub, Subscription};

const SUBSCRIBERS: usize = 1000;
const EVENTS: usize = 200;
const GAP: Duration = Duration::from_millis(2);
const THROUGHPUT_FOR: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut redis = "redis://127.0.0.1:6379".to_owned();
    while let Some(flag) = args.next() {
        match (flag.as_str(), args.next()) {
            ("--redis", Some(url)) => redis = url,
            _ => return Err("usage: latency [--redis URL]".into()),
        }
    }
    let config = || RedisHubConfig::new().stream_max_len(1000);
    let publisher = RedisHub::connect(&redis, config()).await?;
    let receiver = RedisHub::connect(&redis, config()).await?;
    let publisher_channel = publisher.channel("bench")?;
    let receiver_channel = receiver.channel("bench")?;

    let local = Hub::new();
    let local_channel = local.channel("bench")?;
    let in_process = latency(
        || local_channel.subscribe(None),
        |data| {
            local_channel.publish(Event::new(data)).expect("open");
            async {}
        },
    )
    .await;
    report("in-process hub", &in_process);
    let redis_latency = latency(
        || receiver_channel.subscribe(None),
        |data| {
            let channel = publisher_channel.clone();
            async move {
                channel.publish(Event::new(data)).await.expect("published");
            }
        },
    )
    .await;
    report("Redis, node to node", &redis_latency);

    let started = Instant::now();
    let mut published = 0u64;
    while started.elapsed() < THROUGHPUT_FOR {
        local_channel.publish(Event::new("x")).expect("open");
        published += 1;
    }
    println!(
        "in-process hub: {:.0} publishes/s (one publisher)",
        published as f64 / started.elapsed().as_secs_f64()
    );
    for publishers in [1usize, 16] {
        let started = Instant::now();
        let tasks: Vec<_> = (0..publishers)
            .map(|_| {
                let channel = publisher_channel.clone();
                tokio::spawn(async move {
                    let mut published = 0u64;
                    while started.elapsed() < THROUGHPUT_FOR {
                        channel.publish(Event::new("x")).await.expect("published");
                        published += 1;
                    }
                    published
                })
            })
            .collect();
        let mut total = 0;
        for task in tasks {
            total += task.await?;
        }
        println!(
            "Redis: {:.0} publishes/s ({publishers} concurrent publishers)",
            total as f64 / started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Every (event, subscriber) latency, sorted.
async fn latency<F>(
    subscribe: impl Fn() -> Subscription,
    publish: impl Fn(String) -> F,
) -> Vec<Duration>
where
    F: std::future::Future<Output = ()>,
{
    let sent: Arc<Vec<std::sync::OnceLock<Instant>>> =
        Arc::new((0..EVENTS).map(|_| std::sync::OnceLock::new()).collect());
    let readers: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| {
            let mut subscription = subscribe();
            tokio::spawn(async move {
                let mut received = Vec::with_capacity(EVENTS);
                while received.len() < EVENTS {
                    let frame = subscription.next().await.expect("open");
                    received.push((frame, Instant::now()));
                }
                received
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    for n in 0..EVENTS {
        let _ = sent[n].set(Instant::now());
        publish(n.to_string()).await;
        tokio::time::sleep(GAP).await;
    }
    let mut latencies = Vec::with_capacity(EVENTS * SUBSCRIBERS);
    for reader in readers {
        for (frame, at) in reader.await.expect("reader") {
            let text = String::from_utf8_lossy(&frame);
            let n: usize = text
                .lines()
                .find_map(|line| line.strip_prefix("data: "))
                .and_then(|data| data.parse().ok())
                .expect("an event of the benchmark");
            latencies.push(at.duration_since(*sent[n].get().expect("sent")));
        }
    }
    latencies.sort();
    latencies
}

fn report(what: &str, latencies: &[Duration]) {
    let at = |fraction: f64| latencies[((latencies.len() - 1) as f64 * fraction) as usize];
    println!(
        "{what}: publish to delivery, {SUBSCRIBERS} subscribers x {EVENTS} events: median {:?}, p99 {:?}",
        at(0.5),
        at(0.99)
    );
}
