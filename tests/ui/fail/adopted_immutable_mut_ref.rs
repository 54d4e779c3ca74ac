use fndefer::{defer, with_defer};

fn reset(buffer: &mut Vec<u8>) {
    buffer.clear();
}

#[with_defer]
fn run() {
    let buffer = vec![1, 2, 3];
    defer!(reset(&mut buffer));
    println!("{}", buffer.len());
}

fn main() {
    run();
}
