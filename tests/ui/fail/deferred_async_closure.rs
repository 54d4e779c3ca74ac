use fndefer::{defer, with_defer};

async fn close() {}

#[with_defer]
fn run() {
    defer!(async || close().await);
}

fn main() {
    run();
}
