use fndefer::{errdefer, with_defer};

fn rollback() {}

#[with_defer]
fn step() -> i32 {
    errdefer!(rollback());
    1
}

fn main() {
    step();
}

#[with_defer]
fn name() -> &'static str {
    errdefer!(rollback());
    "name"
}
