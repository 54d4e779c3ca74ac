#![deny(deprecated)]

use fndefer::{defer, with_defer};
use std::time::{Duration, Instant};

fn record(took: Duration) {
    println!("{took:?}");
}

#[with_defer]
fn timed() {
    let start = Instant::now();
    defer!(record(start.elapsed()));
}

fn main() {
    timed();
}
