#![deny(deprecated)]
use fndefer::{recover, with_defer};

#[with_defer]
fn run() {
    if let Some(panic) = recover() {
        println!("{panic}");
    }
}

fn main() {
    run();
}
