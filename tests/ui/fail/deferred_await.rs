use fndefer::{defer, with_defer};

async fn close() {}

#[with_defer]
fn run() {
    defer!(|| {
        close().await;
    });
}

fn main() {
    run();
}
