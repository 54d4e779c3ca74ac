use fndefer::{defer, with_defer};

#[with_defer]
fn run() {
    let mut count = 0;
    count += 1;
    defer!(count + 1);
}

fn main() {
    run();
}
