#![deny(deprecated)]

use fndefer::{defer, recover, with_defer};

#[with_defer]
fn quiet() {
    defer!(recover());
    panic!("should be swallowed");
}

fn main() {
    quiet();
}
