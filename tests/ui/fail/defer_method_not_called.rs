use fndefer::{defer, with_defer};

struct File;
impl File {
    fn close(&mut self) {}
}

#[with_defer]
fn run() {
    let mut file = File;
    defer!(file.close);
    let _ = &mut file;
}

fn main() {
    run();
}
