use fndefer::{defer, with_defer};

fn close() -> i32 {
    0
}

#[with_defer]
fn run() {
    defer! {
        close()
    }
}

fn main() {
    run();
}
