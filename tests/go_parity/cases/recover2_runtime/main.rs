// Case recover2_runtime: port of /usr/share/go-1.19/test/recover2.go test1, test2, test3,
// test7: recover from run-time errors (index out of range, slice bounds, divide by zero).
// The Go and Rust messages differ, so the check looks for a substring both contain and
// prints the outcome. test4-test6 (interface conversion, uncomparable and unhashable types)
// have no Rust run-time counterpart.
use fndefer::{Panic, defer, recover, with_defer};
use std::hint::black_box;

static X: [u8; 10] = [0; 10];

fn must_recover(name: &str, v: Option<Panic>, s: &str) {
    let Some(v) = v else {
        panic!("expected panic");
    };
    let e = v.message().unwrap_or("");
    if !e.contains(s) {
        panic!("want: {}; have: {}", s, e);
    }
    println!("{} recovered a run-time error containing {}", name, s);
}

#[with_defer]
fn test1() {
    defer!(|| must_recover("test1", recover(), "index"));
    let i = black_box(123);
    println!("{}", X[i]);
}

#[with_defer]
fn test2() {
    defer!(|| must_recover("test2", recover(), "slice"));
    let hi = black_box(15);
    println!("{:?}", &X[5..hi]);
}

#[with_defer]
fn test3() {
    defer!(|| must_recover("test3", recover(), "slice"));
    let lo = black_box(11);
    let hi = black_box(9);
    println!("{:?}", &X[lo..hi]);
}

#[with_defer]
fn test7() {
    defer!(|| must_recover("test7", recover(), "divide by zero"));
    let (x, y) = (black_box(0i32), black_box(0i32));
    println!("{}", x / y);
}

pub fn main() {
    test1();
    test2();
    test3();
    test7();
}
