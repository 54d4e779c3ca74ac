use fndefer::{errdefer, with_defer};

fn rollback() {}

#[with_defer]
fn step() {
    errdefer!(rollback());
}

fn main() {
    step();
}
