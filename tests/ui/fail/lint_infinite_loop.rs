#![deny(deprecated)]

use fndefer::{defer, with_defer};

fn close() {}
fn serve_one() {}

#[with_defer]
fn serve() {
    loop {
        defer!(close());
        serve_one();
    }
}

fn main() {
    serve();
}
