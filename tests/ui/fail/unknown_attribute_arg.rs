use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer(deny(loop))]
fn run() {
    defer!(cleanup());
}

fn main() {
    run();
}
