use fndefer::{defer, with_defer};

struct File;
impl File {
    fn close(&mut self) {}
}

fn consume(_: File) {}

#[with_defer]
fn run() {
    let mut file = File;
    defer!(file.close());
    consume(file);
}

fn main() {
    run();
}
