#![deny(deprecated)]

use fndefer::{Panic, defer, recover, with_defer};

fn report(panic: Option<Panic>) {
    if let Some(panic) = panic {
        println!("recovered: {panic}");
    }
}

#[with_defer]
fn guarded() {
    defer!(report(recover()));
    panic!("boom");
}

fn main() {
    guarded();
}
