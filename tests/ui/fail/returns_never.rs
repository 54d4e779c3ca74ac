use fndefer::{defer, with_defer};

fn cleanup() {}

#[with_defer]
fn serve() -> ! {
    defer!(cleanup());
    loop {}
}

fn main() {
    serve();
}
