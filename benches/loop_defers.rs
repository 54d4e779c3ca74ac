//! Loop defers (dynamic frame): N `defer!`s queued by one call, run LIFO when
//! it returns, against a `Vec<Box<dyn FnOnce()>>` (a stack of boxed closures,
//! the obvious design) and a `Vec` of argument tuples written by hand (the
//! floor). Reported per defer (`Throughput::Elements`).
//!
//! Target (DESIGN.md): at most 3 ns per defer amortized and at least 3×
//! faster than `Vec<Box<dyn FnOnce()>>`.

mod common;

use std::cell::Cell;
use std::hint::black_box;

use common::{BoxStack, bump};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fndefer::{defer, with_defer};
include!("common/loop_defers_fns.rs");

type Variant = fn(&Cell<u64>, u64);

fn loop_defers(c: &mut Criterion) {
    let mut group = c.benchmark_group("loop_defers");
    let variants: [(&str, Variant); 3] = [
        ("vec_tuples", vec_tuples),
        ("fndefer", fndefer_loop),
        ("vec_box_dyn", vec_box_dyn),
    ];
    for n in [10u64, 100, 1_000, 100_000] {
        group.throughput(Throughput::Elements(n));
        for (name, f) in variants {
            let counter = Cell::new(0u64);
            group.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| f(black_box(&counter), black_box(n)))
            });
            black_box(counter.get());
        }
    }
    group.finish();
}

criterion_group!(benches, loop_defers);
criterion_main!(benches);
