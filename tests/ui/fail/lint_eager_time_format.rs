#![deny(deprecated)]

use fndefer::{defer, with_defer};
use std::time::Instant;

#[with_defer]
fn timed() {
    let start = Instant::now();
    defer!(println!("took {:?}", start.elapsed()));
}

fn main() {
    timed();
}
