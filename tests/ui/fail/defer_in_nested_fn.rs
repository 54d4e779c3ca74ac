use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn run() {
    fn helper() {
        defer!(cleanup());
    }
    helper();
}

fn main() {
    run();
}
