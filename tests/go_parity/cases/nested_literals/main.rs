// Case nested_literals: function literals have their own deferred calls, also when
// the literal is itself deferred, and a literal's recover stops only the literal's panic.
// Go test/defer.go (deferred closures) and recover.go (func-literal cases).
use fndefer::{defer, defer_scope, recover, with_defer};

#[with_defer]
fn f() -> i32 {
    defer!(defer_scope!(|| {
        defer!(println!("literal deferred"));
        defer!(|| if let Some(p) = recover() {
            println!("literal recovered: {p}");
        });
        println!("deferred literal body");
        panic!("in literal");
    })());
    println!("f body");
    3
}

#[with_defer]
fn g() {
    defer!(println!("g deferred"));
    for i in 0..2 {
        defer_scope!(|| {
            defer!(println!("iteration {} cleaned up", i));
            println!("iteration {} body", i);
        })();
    }
    println!("g body end");
}

#[with_defer]
pub fn main() {
    println!("f = {}", f());
    g();
    defer_scope!(|| {
        defer!(println!("immediate literal deferred"));
        println!("immediate literal body");
    })();
    println!("done");
}
