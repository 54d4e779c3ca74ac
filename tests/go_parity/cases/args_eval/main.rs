// Case args_eval: arguments of a deferred call are evaluated at the defer statement,
// a deferred closure reads variables as they are at exit.
// Idiom (Go blog "Defer, Panic, and Recover", rule 1); runtime/defer_test.go TestNonSSAableArgs.
use fndefer::{defer, with_defer};
use std::sync::atomic::{AtomicI32, Ordering};

static CALLS: AtomicI32 = AtomicI32::new(0);

fn next() -> i32 {
    let calls = CALLS.fetch_add(1, Ordering::SeqCst) + 1;
    calls * 10
}

fn show(label: &str, v: i32) {
    println!("{} {}", label, v);
}

#[with_defer]
fn a() {
    let mut i = 0;
    defer!(println!("deferred Println sees i = {}", i));
    defer!(show("deferred show sees i =", i));
    defer!(show("deferred next() =", next()));
    // Go passes i as an argument; a `move` closure copies it now. It comes before the
    // closure below, which adopts `i` (after that, `i` names a `&mut i32` in the body).
    defer!(move || println!("deferred closure arg v = {}", i));
    defer!(|| println!("deferred closure sees i = {}", i));
    i += 1;
    i += 5;
    println!("body: i = {} calls = {}", i, CALLS.load(Ordering::SeqCst));
}

pub fn main() {
    a();
    println!("calls after a = {}", CALLS.load(Ordering::SeqCst));
}
