//! Stack use per frame of `#[with_defer]` functions against the same
//! function without the attribute (cleanup written by hand) and with
//! scopeguard, for each frame shape: one static `defer!(call)`, a `|ret|`
//! defer, a defer in a loop (dynamic frame).
//!
//! Two figures per function, each deterministic:
//! - bytes per frame: the stack pointer at the leaf of a recursion of depth
//!   0 and of depth `DEPTH` (on a large stack), divided by `DEPTH`;
//! - max depth on a 256 KiB thread stack: the deepest recursion that returns,
//!   found by probing depths (exponential, then binary search), each probe a
//!   child process (`stack_depth probe NAME DEPTH`), since a stack overflow
//!   aborts the process.
//!
//! Built and run by benches/stack_depth.sh in a crate it generates under the
//! target dir (not a target of the workspace).
//!
//! usage: stack_depth            one line per function: shape, variant,
//!                               bytes per frame, max depth (tab-separated)
//!        stack_depth probe NAME DEPTH
#![allow(clippy::missing_const_for_fn)]

#[path = "../common/mod.rs"]
mod common;

use std::cell::Cell;
use std::hint::black_box;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::bump;
use fndefer::{defer, with_defer};

/// The thread stack the goal is stated for.
const STACK: usize = 256 * 1024;
/// Recursion depth for the bytes-per-frame figure (on a `BIG_STACK` thread).
const DEPTH: u32 = 200;
const BIG_STACK: usize = 64 * 1024 * 1024;

static LEAF_SP: AtomicUsize = AtomicUsize::new(0);

/// The innermost call: records (roughly) the stack pointer.
#[inline(never)]
fn leaf(c: &Cell<u64>) -> u64 {
    let marker = 0u8;
    LEAF_SP.store(black_box(&marker) as *const u8 as usize, Ordering::Relaxed);
    c.get()
}

// ---- static: one defer!(call) -----------------------------------------------

#[with_defer]
#[inline(never)]
fn fndefer_static(c: &Cell<u64>, depth: u32) -> u64 {
    defer!(bump(c, 1));
    if black_box(depth) == 0 {
        return leaf(c);
    }
    fndefer_static(c, depth - 1) + 1
}

#[inline(never)]
fn hand_static(c: &Cell<u64>, depth: u32) -> u64 {
    if black_box(depth) == 0 {
        let r = leaf(c);
        bump(c, 1);
        return r;
    }
    let r = hand_static(c, depth - 1) + 1;
    bump(c, 1);
    r
}

/// The floor for `recover()` semantics: the body under `catch_unwind` by
/// hand, the cleanup after it.
#[inline(never)]
fn catch_static(c: &Cell<u64>, depth: u32) -> u64 {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if black_box(depth) == 0 {
            return leaf(c);
        }
        catch_static(c, depth - 1) + 1
    }));
    bump(c, 1);
    match result {
        Ok(value) => value,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

#[inline(never)]
fn scopeguard_static(c: &Cell<u64>, depth: u32) -> u64 {
    scopeguard::defer!(bump(c, 1));
    if black_box(depth) == 0 {
        return leaf(c);
    }
    scopeguard_static(c, depth - 1) + 1
}

// ---- |ret|: error wrapping on the way out -------------------------------------

#[derive(Debug, Clone, Copy)]
pub struct Error(pub u32, pub bool);

#[inline(never)]
fn step(x: u64) -> Result<u64, Error> {
    if black_box(x) == u64::MAX {
        Err(Error(7, false))
    } else {
        Ok(x)
    }
}

#[inline(never)]
fn wrap(e: Error) -> Error {
    Error(black_box(e.0), true)
}

#[with_defer]
#[inline(never)]
fn fndefer_ret(c: &Cell<u64>, depth: u32) -> Result<u64, Error> {
    defer!(|ret| {
        if let Some(Err(e)) = ret {
            *e = wrap(*e);
        }
    });
    if black_box(depth) == 0 {
        return step(leaf(c));
    }
    let y = fndefer_ret(c, depth - 1)?;
    Ok(y + 1)
}

/// scopeguard cannot change the result: its port is this one (`map_err`).
#[inline(never)]
fn hand_ret(c: &Cell<u64>, depth: u32) -> Result<u64, Error> {
    if black_box(depth) == 0 {
        return step(leaf(c)).map_err(wrap);
    }
    let y = hand_ret(c, depth - 1).map_err(wrap)?;
    Ok(y + 1)
}

// ---- loop: defers queued in a loop (dynamic frame) ------------------------------

#[with_defer(allow(loop))]
#[inline(never)]
fn fndefer_loop(c: &Cell<u64>, depth: u32) -> u64 {
    for k in 0..black_box(2u64) {
        defer!(bump(c, k));
    }
    if black_box(depth) == 0 {
        return leaf(c);
    }
    fndefer_loop(c, depth - 1) + 1
}

#[inline(never)]
fn hand_loop(c: &Cell<u64>, depth: u32) -> u64 {
    let mut queued: Vec<(u64,)> = Vec::new();
    for k in 0..black_box(2u64) {
        queued.push((k,));
    }
    if black_box(depth) == 0 {
        let r = leaf(c);
        while let Some((k,)) = queued.pop() {
            bump(c, k);
        }
        return r;
    }
    let r = hand_loop(c, depth - 1) + 1;
    while let Some((k,)) = queued.pop() {
        bump(c, k);
    }
    r
}

#[inline(never)]
fn scopeguard_loop(c: &Cell<u64>, depth: u32) -> u64 {
    let mut queued = scopeguard::guard(Vec::new(), |queued: Vec<(u64,)>| {
        for (k,) in queued.into_iter().rev() {
            bump(c, k);
        }
    });
    for k in 0..black_box(2u64) {
        queued.push((k,));
    }
    if black_box(depth) == 0 {
        return leaf(c);
    }
    scopeguard_loop(c, depth - 1) + 1
}

// ---- the driver ---------------------------------------------------------------

type Recursion = fn(&Cell<u64>, u32) -> u64;

fn functions() -> Vec<(&'static str, &'static str, Recursion)> {
    vec![
        ("static, 1 defer!(call)", "hand_written", hand_static),
        ("static, 1 defer!(call)", "scopeguard", scopeguard_static),
        ("static, 1 defer!(call)", "catch_unwind by hand (floor)", catch_static),
        ("static, 1 defer!(call)", "fndefer", fndefer_static),
        ("`|ret|` defer", "hand_written", |c, d| hand_ret(c, d).unwrap_or(0)),
        ("`|ret|` defer", "fndefer", |c, d| fndefer_ret(c, d).unwrap_or(0)),
        ("loop defer (dynamic)", "hand_written", hand_loop),
        ("loop defer (dynamic)", "scopeguard", scopeguard_loop),
        ("loop defer (dynamic)", "fndefer", fndefer_loop),
    ]
}

fn name((shape, variant, _): &(&str, &str, Recursion)) -> String {
    format!("{shape}/{variant}")
}

/// Runs `f` to `depth` on a thread with a `stack`-byte stack; returns the
/// leaf's stack pointer.
fn on_thread(f: Recursion, depth: u32, stack: usize) -> usize {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let c = Cell::new(0);
            black_box(f(black_box(&c), depth));
            LEAF_SP.load(Ordering::Relaxed)
        })
        .expect("spawn")
        .join()
        .expect("join")
}

fn bytes_per_frame(f: Recursion) -> f64 {
    // Same thread for both, so the stacks start at the same place.
    std::thread::Builder::new()
        .stack_size(BIG_STACK)
        .spawn(move || {
            let c = Cell::new(0);
            black_box(f(black_box(&c), 0));
            let top = LEAF_SP.load(Ordering::Relaxed);
            black_box(f(black_box(&c), DEPTH));
            let deep = LEAF_SP.load(Ordering::Relaxed);
            (top - deep) as f64 / f64::from(DEPTH)
        })
        .expect("spawn")
        .join()
        .expect("join")
}

/// Whether recursing to `depth` on a `STACK` thread returns (child process).
fn fits(name: &str, depth: u32) -> bool {
    Command::new(std::env::current_exe().expect("current_exe"))
        .args(["probe", name, &depth.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("probe")
        .success()
}

fn max_depth(name: &str, guess: u32) -> u32 {
    // Bracket: `lo` fits, `hi` does not.
    let (mut lo, mut hi) = (0u32, guess.max(8));
    while fits(name, hi) {
        lo = hi;
        if hi >= 1 << 24 {
            return lo; // no stack growth: the recursion was made a loop
        }
        hi *= 2;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(name, mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let functions = functions();
    if args.get(1).map(String::as_str) == Some("probe") {
        let depth: u32 = args[3].parse().expect("depth");
        let f = functions.iter().find(|x| name(x) == args[2]).expect("no such function");
        on_thread(f.2, depth, STACK);
        return;
    }
    for x in &functions {
        let bpf = bytes_per_frame(x.2);
        let guess = if bpf > 0.0 { (STACK as f64 / bpf) as u32 } else { 1024 };
        let depth = max_depth(&name(x), guess);
        println!("{}\t{}\t{bpf:.1}\t{depth}", x.0, x.1);
    }
}
