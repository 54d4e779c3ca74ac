use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn run() {
    defer!(|| {
        let inner = || defer!(cleanup());
        inner();
    });
}

fn main() {
    run();
}
