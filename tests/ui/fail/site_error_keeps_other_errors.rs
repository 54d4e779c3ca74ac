use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn answer() -> i32 {
    defer!(cleanup);
    defer!(cleanup());
    "not a number"
}

fn main() {
    answer();
}
