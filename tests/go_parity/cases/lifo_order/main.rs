// Case lifo_order: deferred calls run last-in first-out when the function returns.
// Idiom (Effective Go, "Defer"); runtime/defer_test.go TestConditionalDefers checks the same order.
use fndefer::{defer, with_defer};

#[with_defer]
fn three() {
    defer!(println!("deferred 1"));
    defer!(println!("deferred 2"));
    defer!(println!("deferred 3"));
    println!("body");
}

#[with_defer]
pub fn main() {
    three();
    println!("after three");
    defer!(println!("main deferred a"));
    defer!(println!("main deferred b"));
    println!("main body end");
}
