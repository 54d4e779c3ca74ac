//! Every lint, silenced with `#[with_defer(allow(..))]`, leaves no warning.
#![deny(warnings)]

use fndefer::{Panic, defer, recover, with_defer};
use std::time::{Duration, Instant};

fn close(_: u32) {}
fn report(_: Option<Panic>) {}
fn record(_: Duration) {}

struct Lock;
impl Lock {
    fn acquire(&self) -> Guard {
        Guard
    }
}
struct Guard;
impl Guard {
    fn release(self) {}
}

#[with_defer(allow(loop))]
fn in_loop() {
    for i in 0..3 {
        defer!(close(i));
    }
}

#[with_defer(allow(infinite_loop))]
fn endless() {
    loop {
        defer!(close(0));
        std::thread::yield_now();
    }
}

#[with_defer(allow(call_chain))]
fn chain(lock: &Lock) {
    defer!(lock.acquire().release());
}

#[with_defer(allow(immediate_recover))]
fn immediate() {
    defer!(report(recover()));
}

#[with_defer(allow(exit))]
fn exits(code: i32) {
    defer!(close(1));
    if code != 0 {
        std::process::exit(code);
    }
}

#[with_defer(allow(eager_time))]
fn eager() {
    let start = Instant::now();
    defer!(record(start.elapsed()));
}

#[with_defer(allow(loop, call_chain, eager_time))]
fn several(lock: &Lock) {
    let start = Instant::now();
    for _ in 0..2 {
        defer!(lock.acquire().release());
        defer!(record(start.elapsed()));
    }
}

fn main() {
    in_loop();
    let _: fn() = endless;
    chain(&Lock);
    immediate();
    exits(0);
    eager();
    several(&Lock);
}
