use fndefer::{errdefer, with_defer};

#[with_defer]
fn step() {
    errdefer!(|e| {
        let _ = e;
    });
}

fn main() {
    step();
}
