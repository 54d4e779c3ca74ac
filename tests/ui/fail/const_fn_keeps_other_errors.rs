use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
const fn answer() -> i32 {
    defer!(cleanup());
    "not a number"
}

fn main() {
    answer();
}
