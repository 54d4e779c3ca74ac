use fndefer::{defer, with_defer};

struct Counter {
    n: u32,
}
impl Counter {
    fn report(&self) {
        println!("{}", self.n);
    }
    fn bump(&mut self) {
        self.n += 1;
    }
}

#[with_defer]
fn run() {
    let counter = Counter { n: 0 };
    defer!(counter.report());
    counter.bump();
}

fn main() {
    run();
}
