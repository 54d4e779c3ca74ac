#![deny(deprecated)]

use fndefer::{defer, with_defer};

fn flush() {}

#[with_defer]
fn run(code: i32) {
    defer!(flush());
    if code != 0 {
        std::process::exit(code);
    }
}

fn main() {
    run(0);
}
