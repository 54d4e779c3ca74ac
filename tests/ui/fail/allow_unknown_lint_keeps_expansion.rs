use fndefer::{defer, with_defer};

#[with_defer(allow(loops))]
fn run() {
    let mut count = 0;
    defer!(|| println!("{count}"));
    count += 1;
}

fn main() {
    run();
}
