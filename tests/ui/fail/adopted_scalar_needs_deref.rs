use fndefer::{defer, with_defer};

fn show(n: &i32) {
    println!("{n}");
}

#[with_defer]
fn run() {
    let mut n = 0;
    defer!(show(&n));
    n += 1;
}

fn main() {
    run();
}
