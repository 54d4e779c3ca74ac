use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn total(base: i32) -> i32 {
    let extra = defer!(cleanup());
    base + 1
}

fn main() {
    total(1);
}
