use fndefer::{defer, with_defer};

fn release(_: String) {}

#[with_defer]
fn run() {
    let name = String::from("lock");
    defer!(release(name));
    println!("{name}");
}

fn main() {
    run();
}
