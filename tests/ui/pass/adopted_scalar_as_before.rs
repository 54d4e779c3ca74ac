//! A local a deferred call adopts is used by the body as before (issue
//! 14.5): `n += 1`, `n == 1`, passing the value, `&n`, in macro input.
#![deny(warnings)]

use fndefer::{defer, with_defer};

fn show(n: &i32) {
    println!("{n}");
}

fn takes(n: i32) -> i32 {
    n
}

#[with_defer]
fn run() -> i32 {
    let mut n = 0;
    defer!(show(&n));
    n += 1;
    assert_eq!(n, 1);
    if n == 1 {
        n = takes(n) + 1;
    }
    show(&n);
    n
}

fn main() {
    assert_eq!(run(), 2);
}
