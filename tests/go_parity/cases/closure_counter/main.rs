// Case closure_counter: a deferred closure reads a counter updated after the defer
// statement; a deferred call with the counter as argument keeps its value then.
// Idiom; runtime/defer_test.go TestDeferForFuncWithNoExit (cond set after the defer).
use fndefer::{defer, with_defer};

#[with_defer]
fn work(n: i32) {
    let mut counter = 0;
    defer!(println!("argument counter = {}", counter));
    defer!(|| {
        println!("closure counter = {}", counter);
    });
    for _ in 0..n {
        counter += 1;
    }
    counter *= 10;
    println!("body counter = {}", counter);
}

struct Stats {
    hits: i32,
    misses: i32,
}

#[with_defer]
fn lookup(keys: &[&str]) {
    let mut s = Stats { hits: 0, misses: 0 };
    defer!(|| {
        println!("hits={} misses={}", s.hits, s.misses);
    });
    for k in keys {
        if k.len() > 2 {
            s.hits += 1;
        } else {
            s.misses += 1;
        }
    }
}

pub fn main() {
    work(3);
    work(0);
    lookup(&["alpha", "b", "gamma", "de", "epsilon"]);
}
