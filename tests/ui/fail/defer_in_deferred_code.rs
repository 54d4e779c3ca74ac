use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn run() {
    defer! {
        defer!(cleanup());
    }
}

fn main() {
    run();
}
