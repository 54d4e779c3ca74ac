//! A `|ret|` error-wrapping defer (Go's `defer func() { if err != nil { err =
//! wrap(err) } }()` on a named result) against `map_err` written by hand, on
//! the success path and on the error path.

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fndefer::{defer, with_defer};
include!("common/ret_wrap_fns.rs");

type Variant = fn(u64) -> Result<u64, Error>;

fn ret_wrap(c: &mut Criterion) {
    let mut group = c.benchmark_group("ret_wrap");
    let variants: [(&str, Variant); 3] = [
        ("map_err", hand_map_err),
        ("result_slot", hand_result_slot),
        ("fndefer", fndefer_ret),
    ];
    for (path, x) in [("ok", 5u64), ("err", 0)] {
        for (name, f) in variants {
            assert_eq!(f(x).is_err(), x == 0);
            assert!(f(0).unwrap_err().wrapped);
            group.bench_function(BenchmarkId::new(name, path), |b| {
                b.iter(|| black_box(f(black_box(x))))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, ret_wrap);
criterion_main!(benches);
