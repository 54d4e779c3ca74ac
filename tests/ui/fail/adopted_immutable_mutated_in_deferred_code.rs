use fndefer::{defer, with_defer};

struct Log {
    lines: Vec<String>,
}
impl Log {
    fn flush(&mut self) {
        self.lines.clear();
    }
}

#[with_defer]
fn run() {
    let log = Log { lines: Vec::new() };
    defer!(|| log.flush());
    println!("{}", log.lines.len());
}

fn main() {
    run();
}
