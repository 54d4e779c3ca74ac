use fndefer::{defer, with_defer};

#[with_defer]
fn numbers() -> impl Iterator<Item = i32> {
    defer!(|ret| {
        if ret.is_none() {
            println!("panicked");
        }
    });
    0..3
}

fn main() {
    let _ = numbers().count();
}
