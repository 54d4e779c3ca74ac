use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer(allow("loop"))]
fn run() {
    defer!(cleanup());
}

fn main() {
    run();
}
