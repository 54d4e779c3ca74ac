//! The panic path: a panic through 1 and 10 nested `#[with_defer]` frames,
//! each with one defer, against the same through `scopeguard` guards. The
//! panic is caught by `catch_unwind` at the top; the panic hook is silenced
//! for this group (and restored after).
//!
//! Target (DESIGN.md): at most 2× the scopeguard-guarded panic.

mod common;

use std::cell::Cell;
use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::bump;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fndefer::{defer, with_defer};
include!("common/panic_path_fns.rs");

type Variant = fn(&Cell<u64>, u32) -> u64;

fn panic_path(c: &mut Criterion) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut group = c.benchmark_group("panic_path");
    let variants: [(&str, Variant); 3] = [
        ("scopeguard", scopeguard_frame),
        ("catch_floor", catch_frame),
        ("fndefer", fndefer_frame),
    ];
    for depth in [1u32, 10] {
        for (name, f) in variants {
            let counter = Cell::new(0u64);
            assert!(catch_unwind(AssertUnwindSafe(|| f(&counter, depth))).is_err());
            assert_eq!(counter.get(), u64::from(depth));
            group.bench_function(BenchmarkId::new(name, depth), |b| {
                b.iter(|| {
                    let caught = catch_unwind(AssertUnwindSafe(|| {
                        f(black_box(&counter), black_box(depth))
                    }));
                    black_box(caught.is_err())
                })
            });
        }
    }
    group.finish();
    std::panic::set_hook(previous);
}

criterion_group!(benches, panic_path);
criterion_main!(benches);
