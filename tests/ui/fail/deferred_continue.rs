use fndefer::{defer, with_defer};

fn close(_: u32) {}

#[with_defer(allow(loop))]
fn run(items: &[u32]) {
    for &item in items {
        defer! {
            if item == 0 {
                continue;
            }
            close(item);
        }
    }
}

fn main() {
    run(&[0, 1]);
}
