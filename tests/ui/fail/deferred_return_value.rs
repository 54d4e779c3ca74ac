use fndefer::{defer, with_defer};

#[with_defer]
fn answer() -> i32 {
    defer! {
        return 42;
    }
    0
}

fn main() {
    answer();
}
