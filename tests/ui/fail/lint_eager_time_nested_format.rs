#![deny(deprecated)]

use fndefer::{defer, with_defer};
use std::time::Instant;

fn log(_: String) {}

#[with_defer]
fn timed() {
    let start = Instant::now();
    defer!(log(format!("took {:?}", start.elapsed())));
}

fn main() {
    timed();
}
