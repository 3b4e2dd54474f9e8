//! Encoding throughput of every encoder over the same events.
//!
//! Each encoder's output is decoded with this workspace's decoder and checked against the input
//! events before it is timed; an encoder that disagrees is reported and left out.

use std::time::Duration;

use bytes::BytesMut;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sse_benches::{EncodeInput, EncodePeer, large_event_fields, small_event_fields};

fn encode(c: &mut Criterion) {
    let inputs = [
        EncodeInput::new("small", small_event_fields()),
        EncodeInput::new("large_data", large_event_fields()),
    ];
    for input in &inputs {
        let mut group = c.benchmark_group(format!("encode-{}", input.name));
        group.throughput(Throughput::ElementsAndBytes {
            elements: input.events() as u64,
            bytes: input.encoded_len() as u64,
        });
        let mut out = BytesMut::new();
        for peer in EncodePeer::ALL {
            if let Err(why) = check(peer, input) {
                eprintln!("not timed: {} on {}: {why}", peer.name(), input.name);
                continue;
            }
            group.bench_function(peer.name(), |b| {
                b.iter(|| {
                    peer.run(input, &mut out, &mut |bytes| {
                        std::hint::black_box(bytes);
                    })
                })
            });
        }
        group.finish();
    }
}

/// Decodes what `peer` writes and compares every event with the fields it was made from.
fn check(peer: EncodePeer, input: &EncodeInput) -> Result<(), String> {
    let mut wire = BytesMut::new();
    peer.run(input, &mut BytesMut::new(), &mut |bytes| {
        wire.extend_from_slice(bytes)
    });
    let mut decoder = sse_codec::Decoder::new();
    let mut expected = input.fields().iter();
    let mut events = 0;
    while let Some(frame) = decoder.decode_eof(&mut wire).map_err(|e| e.to_string())? {
        let event = frame.into_event().ok_or("a frame that is not an event")?;
        let fields = expected.next().ok_or("more events than written")?;
        let got = (event.event_type(), event.id(), event.data());
        let want = (&*fields.event_type, Some(&*fields.id), &*fields.data);
        if got != want {
            return Err(format!("event {events} differs: {got:?}"));
        }
        events += 1;
    }
    match expected.len() {
        0 => Ok(()),
        missing => Err(format!("{missing} events missing")),
    }
}

criterion_group! {
    name = benches;
    // Short runs keep the suite to minutes on a shared machine; medians are what we quote.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = encode
}
criterion_main!(benches);
