//! Instruction counts (callgrind) beside criterion's times: the cases of
//! benches/static_frame.rs, loop_defers.rs, ret_wrap.rs and panic_path.rs,
//! with the same function bodies, as a plain `fn main` that runs one case N
//! times inside `__instr_measure`, so that
//! `valgrind --tool=callgrind --toggle-collect='*__instr_measure*'` counts
//! exactly those N calls (warm-up calls happen before, outside it).
//!
//! Built and run by benches/instructions.sh, in a crate it generates under
//! the target dir (this file is not a target of the workspace; it sits in a
//! subdirectory of benches/ under a name cargo does not auto-discover).
//!
//! usage: instructions list            the case names, one a line
//!        instructions <case> <calls>  run one case
#![allow(clippy::missing_const_for_fn)]

#[path = "../common/mod.rs"]
mod common;

use std::cell::Cell;
use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{BoxStack, bump};
use fndefer::{defer, with_defer};

// ---- the criterion benches' cases, their own function bodies ------------------

include!("../common/static_frame_fns.rs");
include!("../common/loop_defers_fns.rs");
include!("../common/ret_wrap_fns.rs");
include!("../common/panic_path_fns.rs");

// ---- the panic path: a hand-written `Drop` guard beside them -----------------

/// A `Drop` guard written by hand: what scopeguard is, without the closure.
struct Guard<'a>(&'a Cell<u64>);

impl Drop for Guard<'_> {
    #[inline]
    fn drop(&mut self) {
        bump(self.0, 1);
    }
}

#[inline(never)]
fn drop_frame(c: &Cell<u64>, depth: u32) -> u64 {
    let _guard = Guard(c);
    if black_box(depth) <= 1 {
        panic!("boom");
    }
    drop_frame(c, depth - 1) + 1
}

// ---- the driver --------------------------------------------------------------

/// Runs `f` for `0..calls`. The only function callgrind collects in (its
/// callees included); everything else the process does is left out.
#[inline(never)]
fn __instr_measure(calls: u64, mut f: impl FnMut(u64)) {
    for i in 0..calls {
        f(black_box(i));
    }
}

/// Runs `f` for `0..calls` where callgrind does not collect: the warm-up.
#[inline(never)]
fn warm_up(calls: u64, mut f: impl FnMut(u64)) {
    for i in 0..calls {
        f(black_box(i));
    }
}

fn drive(measured: bool, calls: u64, f: impl FnMut(u64)) {
    if measured {
        __instr_measure(calls, f);
    } else {
        warm_up(calls, f);
    }
}

type Static = fn(&Cell<u64>, u64) -> u64;
type Loop = fn(&Cell<u64>, u64);
type Ret = fn(u64) -> Result<u64, Error>;
type Panicking = fn(&Cell<u64>, u32) -> u64;

enum Case {
    /// The empty loop: what `__instr_measure` costs by itself.
    Empty,
    /// Alternates the early and the normal return, as the criterion bench.
    Static(Static),
    /// `n` defers per call.
    Loop(Loop, u64),
    /// `x` as input: 5 takes the `ok` path, 0 the `err` path.
    Ret(Ret, u64),
    /// A panic through `depth` frames, caught at the top.
    Panic(Panicking, u32),
}

fn cases() -> Vec<(String, Case)> {
    let mut v: Vec<(String, Case)> = vec![("empty".into(), Case::Empty)];
    let statics: [(u64, [(&str, Static); 3]); 3] = [
        (1, [("hand_written", hand_1), ("fndefer", fndefer_1), ("scopeguard", scopeguard_1)]),
        (2, [("hand_written", hand_2), ("fndefer", fndefer_2), ("scopeguard", scopeguard_2)]),
        (8, [("hand_written", hand_8), ("fndefer", fndefer_8), ("scopeguard", scopeguard_8)]),
    ];
    for (n, fs) in statics {
        for (name, f) in fs {
            v.push((format!("static/{name}/{n}"), Case::Static(f)));
        }
    }
    v.push(("static/catch_floor/2".into(), Case::Static(catch_2)));
    for n in [10u64, 100, 1000] {
        let loops: [(&str, Loop); 3] = [
            ("vec_tuples", vec_tuples),
            ("fndefer", fndefer_loop),
            ("vec_box_dyn", vec_box_dyn),
        ];
        for (name, f) in loops {
            v.push((format!("loop/{name}/{n}"), Case::Loop(f, n)));
        }
    }
    for (path, x) in [("ok", 5u64), ("err", 0)] {
        let rets: [(&str, Ret); 3] = [
            ("map_err", hand_map_err),
            ("result_slot", hand_result_slot),
            ("fndefer", fndefer_ret),
        ];
        for (name, f) in rets {
            v.push((format!("ret/{name}/{path}"), Case::Ret(f, x)));
        }
    }
    for depth in [1u32, 10] {
        let panics: [(&str, Panicking); 4] = [
            ("drop_guard", drop_frame),
            ("scopeguard", scopeguard_frame),
            ("catch_floor", catch_frame),
            ("fndefer", fndefer_frame),
        ];
        for (name, f) in panics {
            v.push((format!("panic/{name}/{depth}"), Case::Panic(f, depth)));
        }
    }
    v
}

fn run(case: &Case, calls: u64, counter: &Cell<u64>, measured: bool) {
    match *case {
        Case::Empty => drive(measured, calls, |i| {
            black_box(i);
        }),
        Case::Static(f) => drive(measured, calls, |i| {
            black_box(black_box(f)(black_box(counter), i));
        }),
        Case::Loop(f, n) => drive(measured, calls, |_| {
            black_box(f)(black_box(counter), black_box(n));
        }),
        Case::Ret(f, x) => drive(measured, calls, |_| {
            let _ = black_box(black_box(f)(black_box(x)));
        }),
        Case::Panic(f, depth) => drive(measured, calls, |_| {
            let caught = catch_unwind(AssertUnwindSafe(|| {
                black_box(f)(black_box(counter), black_box(depth))
            }));
            black_box(caught.is_err());
        }),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases = cases();
    match args.get(1).map(String::as_str) {
        Some("list") | None => {
            for (name, _) in &cases {
                println!("{name}");
            }
        }
        Some(name) => {
            let calls: u64 = args.get(2).map_or(1000, |s| s.parse().expect("calls"));
            let Some((_, case)) = cases.iter().find(|(n, _)| n == name) else {
                eprintln!("instructions: no case {name}");
                std::process::exit(2);
            };
            std::panic::set_hook(Box::new(|_| {}));
            let counter = Cell::new(0u64);
            // Warm-up outside the collected function: first-call costs
            // (lazy binding, the unwinder's caches, the first allocation).
            run(case, 4, &counter, false);
            run(case, calls, &counter, true);
            black_box(counter.get());
        }
    }
}
