#![deny(deprecated)]

use fndefer::{defer, with_defer};
use std::process::exit;

fn flush() {}

#[with_defer]
fn run(code: i32) {
    defer!(flush());
    if code != 0 {
        exit(code);
    }
}

fn main() {
    run(0);
}
