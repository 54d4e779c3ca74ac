use fndefer::{defer, with_defer};

fn close() {}
fn unlock() {}

#[with_defer]
fn run() {
    defer!(close(), unlock());
}

fn main() {
    run();
}
