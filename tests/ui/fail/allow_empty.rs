use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer(allow())]
fn run() {
    defer!(cleanup());
}

fn main() {
    run();
}
