// Case defernil: port of /usr/share/go-1.19/test/defernil.go: deferring a nil function
// panics when the deferred call is invoked, not at the defer statement (issues 8047, 34926).
// A nil func value is Rust's None::<fn()>; `defer nilf()` evaluates the function value now
// and calls it at exit, which is `defer!(move || nilf.unwrap()())`. Prints what it checked.
use fndefer::{defer, recover, with_defer};
use std::sync::atomic::{AtomicI32, Ordering};

static X: AtomicI32 = AtomicI32::new(0);

#[with_defer]
pub fn main() {
    defer!(|| {
        let err = recover();
        if err.is_none() {
            panic!("did not panic");
        }
        if X.load(Ordering::Relaxed) != 1 {
            panic!("FAIL");
        }
        println!(
            "recovered the nil func call's panic, x = {}",
            X.load(Ordering::Relaxed)
        );
    });
    f();
}

#[with_defer]
fn f() {
    let nilf: Option<fn()> = None;
    defer!(move || nilf.unwrap()());
    X.store(1, Ordering::Relaxed);
}
