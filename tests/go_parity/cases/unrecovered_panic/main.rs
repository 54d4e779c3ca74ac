// Case unrecovered_panic: an unrecovered panic still runs every pending deferred call, in
// every frame, innermost first, and then the program exits with a failure status
// (Go: 2, Rust: 101). runtime/defer_test.go TestUnconditionalPanic without the recover.
use fndefer::{defer, with_defer};

#[with_defer]
fn inner() {
    defer!(println!("inner deferred 2"));
    defer!(println!("inner deferred 1"));
    println!("inner about to panic");
    panic!("unrecovered");
}

#[with_defer]
#[allow(unreachable_code)]
fn outer() {
    defer!(println!("outer deferred"));
    inner();
    println!("outer: not reached");
}

#[with_defer]
#[allow(unreachable_code)]
pub fn main() {
    defer!(println!("main deferred"));
    println!("main start");
    outer();
    println!("main: not reached");
}
