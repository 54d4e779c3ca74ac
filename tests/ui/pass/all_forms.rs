//! Every `defer!` form compiles without a warning.
#![deny(warnings)]

use fndefer::{defer, with_defer};
use std::fmt::Write as _;

fn log(_: &str) {}
fn add(_: i32, _: i32) {}

struct File {
    writes: u32,
}
impl File {
    fn close(&mut self) {}
    fn len(&self) -> u32 {
        self.writes
    }
}

fn make(tag: &'static str) -> impl FnOnce() {
    move || log(tag)
}

#[with_defer(allow(call_chain))]
fn forms(x: i32) -> i32 {
    let mut file = File { writes: 0 };
    let n = 3;
    let mut out = String::new();
    defer!(add(x, n));
    fndefer::defer!(log("path"));
    defer!(file.close());
    defer!(println!("{} {n}", x));
    defer!(|| {
        let _ = writeln!(out, "done");
    });
    defer! {
        log("block");
        log("two statements");
    }
    defer!({ log("braced block") });
    defer!(|| log("closure"));
    defer!(move || add(n, 1));
    defer!(|ret| {
        if let Some(value) = ret {
            *value += 1;
        }
    });
    defer!(move |ret: &mut Option<i32>| {
        let _ = ret;
    });
    defer!(assert!(n > 0));
    // Go's `defer f()()`: `make` runs now on purpose.
    defer!(make("eager")());
    file.writes += 1;
    let _ = file.len();
    x
}

#[with_defer]
fn unit_fn() {
    let mut count = 0;
    defer!(|| println!("{count}"));
    count += 1;
}

#[with_defer(allow(call_chain))]
fn writes(out: &mut String) {
    let n = 1;
    defer!(write!(out, "{n}").unwrap());
}

fn main() {
    writes(&mut String::new());
    assert_eq!(forms(1), 2);
    unit_fn();
}
