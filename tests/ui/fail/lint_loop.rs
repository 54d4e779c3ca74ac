#![deny(deprecated)]

use fndefer::{defer, with_defer};

fn close(_: &str) {}

#[with_defer]
fn process(names: &[&str]) {
    for name in names {
        defer!(close(name));
    }
}

fn main() {
    process(&["a", "b"]);
}
