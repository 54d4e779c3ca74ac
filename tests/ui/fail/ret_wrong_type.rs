use fndefer::{defer, with_defer};

#[with_defer]
fn answer() -> i32 {
    defer!(|ret: Option<i32>| {
        let _ = ret;
    });
    42
}

fn main() {
    answer();
}
