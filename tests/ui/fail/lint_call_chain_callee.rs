#![deny(deprecated)]
use fndefer::{defer, with_defer};

fn make() -> impl FnOnce() {
    || {}
}

#[with_defer]
fn chained() {
    defer!(make()());
}

#[with_defer(allow(call_chain))]
fn allowed() {
    defer!(make()());
}

fn main() {
    chained();
    allowed();
}
