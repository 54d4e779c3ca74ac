use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
#[with_defer]
fn run() {
    defer!(cleanup());
}

fn main() {
    run();
}
