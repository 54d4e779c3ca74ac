use fndefer::{defer, with_defer};

#[with_defer]
fn run() {
    defer!();
}

fn main() {
    run();
}
