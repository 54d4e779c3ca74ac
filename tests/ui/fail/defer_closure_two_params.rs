use fndefer::{defer, with_defer};

#[with_defer]
fn answer() -> i32 {
    defer!(|ret, extra| {
        let _ = (ret, extra);
    });
    42
}

fn main() {
    answer();
}
