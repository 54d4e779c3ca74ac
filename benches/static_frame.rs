//! Static frames (≤ 8 defers, none in a loop): `#[with_defer]` against the
//! same function with the cleanup written by hand before every return (the
//! floor), `scopeguard::defer!` guards and a `Vec<Box<dyn FnOnce()>>`.
//!
//! Target (DESIGN.md): at most 1.05× the hand-written floor.
//!
//! Every variant has the same shape: N cleanups, then an early return on one
//! input and a normal return on the other; the bench alternates both inputs
//! so both exits are timed.

mod common;

use std::cell::Cell;
use std::hint::black_box;

use common::{BoxStack, bump};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fndefer::{defer, with_defer};

include!("common/static_frame_fns.rs");

// `Vec<Box<dyn FnOnce()>>`: this bench only.

#[inline(never)]
fn boxed_1(c: &Cell<u64>, x: u64) -> u64 {
    let mut d = BoxStack::new();
    d.push(move || bump(c, x));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

#[inline(never)]
fn boxed_2(c: &Cell<u64>, x: u64) -> u64 {
    let mut d = BoxStack::new();
    d.push(move || bump(c, x));
    d.push(move || bump(c, x + 1));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

#[inline(never)]
fn boxed_8(c: &Cell<u64>, x: u64) -> u64 {
    let mut d = BoxStack::new();
    d.push(move || bump(c, x));
    d.push(move || bump(c, x + 1));
    d.push(move || bump(c, x + 2));
    d.push(move || bump(c, x + 3));
    d.push(move || bump(c, x + 4));
    d.push(move || bump(c, x + 5));
    d.push(move || bump(c, x + 6));
    d.push(move || bump(c, x + 7));
    if black_box(x) & 1 == 0 {
        return x / 2;
    }
    x * 3 + 1
}

// ---- the group --------------------------------------------------------------

type Variant = fn(&Cell<u64>, u64) -> u64;

fn static_frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("static_frame");
    let sizes: [(u64, [(&str, Variant); 4]); 3] = [
        (
            1,
            [
                ("hand_written", hand_1),
                ("fndefer", fndefer_1),
                ("scopeguard", scopeguard_1),
                ("vec_box_dyn", boxed_1),
            ],
        ),
        (
            2,
            [
                ("hand_written", hand_2),
                ("fndefer", fndefer_2),
                ("scopeguard", scopeguard_2),
                ("vec_box_dyn", boxed_2),
            ],
        ),
        (
            8,
            [
                ("hand_written", hand_8),
                ("fndefer", fndefer_8),
                ("scopeguard", scopeguard_8),
                ("vec_box_dyn", boxed_8),
            ],
        ),
    ];
    // The catches fndefer's semantics need, by hand (2 defers only).
    let floor: (u64, [(&str, Variant); 1]) = (2, [("catch_floor", catch_2)]);
    let sizes = sizes
        .into_iter()
        .map(|(n, v)| (n, v.to_vec()))
        .chain(std::iter::once((floor.0, floor.1.to_vec())));
    for (defers, variants) in sizes {
        for (name, f) in variants {
            let counter = Cell::new(0u64);
            let mut x = 0u64;
            group.bench_function(BenchmarkId::new(name, defers), |b| {
                b.iter(|| {
                    // Alternate the early and the normal return.
                    x = x.wrapping_add(1);
                    black_box(f(black_box(&counter), black_box(x)))
                })
            });
            black_box(counter.get());
        }
    }
    group.finish();
}

criterion_group!(benches, static_frame);
criterion_main!(benches);
