use fndefer::{defer, recover, with_defer};

fn report(panicked: bool) {
    println!("{panicked}");
}

#[with_defer]
fn run() {
    defer!(report(recover().is_some()));
}

fn main() {
    run();
}
