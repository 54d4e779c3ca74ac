use fndefer::with_defer;

trait Job {
    #[with_defer]
    fn run(&self);
}

fn main() {}
