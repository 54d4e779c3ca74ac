use fndefer::{defer, with_defer};

fn close(_: u32) {}

#[with_defer(allow(loop))]
fn run(items: &[u32]) {
    'items: for &item in items {
        defer! {
            for step in 0..item {
                if step == 2 {
                    break 'items;
                }
                close(step);
            }
        }
    }
}

fn main() {
    run(&[0, 3]);
}
