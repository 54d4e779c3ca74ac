//! The lints stay quiet on the correct spellings they recommend.
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

#[with_defer]
fn closures(lock: &Lock) {
    let start = Instant::now();
    defer!(|| lock.acquire().release());
    defer!(|| record(start.elapsed()));
    defer!(|| report(recover()));
}

#[with_defer]
fn loop_with_exit() {
    let mut i = 0;
    loop {
        i += 1;
        if i > 1 {
            break;
        }
    }
    defer!(close(i));
}

#[with_defer]
fn exit_before_defer(code: i32) {
    if code != 0 {
        std::process::exit(code);
    }
    defer!(close(0));
}

/// Nothing is queued that `exit` could skip (found in base64's example,
/// annotated by the transparency check).
#[with_defer]
fn exit_after_empty_defer(code: i32) {
    defer!(|| {});
    if code != 0 {
        std::process::exit(code);
    }
}

fn since(_: Instant) {}

struct Wg;
impl Wg {
    fn done(&self) {}
}

#[with_defer]
fn start_time_is_fine(wg: &Wg) {
    let start = Instant::now();
    defer!(since(start));
    defer!(wg.done());
}

#[with_defer(allow(loop))]
fn loops_with_ways_out(items: &[Option<u32>]) -> u32 {
    let mut it = items.iter();
    loop {
        defer!(close(1));
        let Some(item) = it.next() else { break };
        match item {
            Some(0) => return 0,
            Some(_) => continue,
            None => break,
        }
    }
    'outer: loop {
        loop {
            defer!(close(2));
            break 'outer;
        }
    }
    1
}

fn main() {
    start_time_is_fine(&Wg);
    loops_with_ways_out(&[Some(1), None]);
    closures(&Lock);
    loop_with_exit();
    exit_before_defer(0);
    exit_after_empty_defer(0);
}
