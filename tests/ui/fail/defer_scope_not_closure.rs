use fndefer::defer_scope;

fn work() {}

fn main() {
    let job = defer_scope!(work());
    job();
}
