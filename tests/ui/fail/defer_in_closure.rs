use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn run() {
    let job = || {
        defer!(cleanup());
    };
    job();
}

fn main() {
    run();
}
