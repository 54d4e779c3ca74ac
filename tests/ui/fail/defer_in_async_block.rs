use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn run() {
    let job = async {
        defer!(cleanup());
    };
    drop(job);
}

fn main() {
    run();
}
