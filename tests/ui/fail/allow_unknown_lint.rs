use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer(allow(loops))]
fn run() {
    for _ in 0..3 {
        defer!(cleanup());
    }
}

fn main() {
    run();
}
