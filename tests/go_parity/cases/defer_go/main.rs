// Case defer_go: port of /usr/share/go-1.19/test/defer.go (test1, test2):
// ten loop defers of a plain and of a variadic function append in reverse order.
use fndefer::{defer, with_defer};
use std::fmt::Display;
use std::sync::Mutex;

static RESULT: Mutex<String> = Mutex::new(String::new());

fn add_int(i: i32) {
    RESULT.lock().unwrap().push_str(&i.to_string())
}

#[with_defer(allow(loop))]
fn test1helper() {
    for i in 0..10 {
        defer!(add_int(i));
    }
}

fn test1() {
    *RESULT.lock().unwrap() = String::new();
    test1helper();
    let result = RESULT.lock().unwrap().clone();
    if result != "9876543210" {
        println!(
            "test1: bad defer result (should be 9876543210): {:?}",
            result
        );
        panic!("defer");
    }
    println!("test1: {:?}", result);
}

fn add_dot_dot_dot(v: Vec<Box<dyn Display>>) {
    for x in v {
        RESULT.lock().unwrap().push_str(&x.to_string())
    }
}

#[with_defer(allow(loop))]
fn test2helper() {
    for i in 0..10 {
        defer!(add_dot_dot_dot(vec![Box::new(i) as Box<dyn Display>]));
    }
}

fn test2() {
    *RESULT.lock().unwrap() = String::new();
    test2helper();
    let result = RESULT.lock().unwrap().clone();
    if result != "9876543210" {
        println!(
            "test2: bad defer result (should be 9876543210): {:?}",
            result
        );
        panic!("defer");
    }
    println!("test2: {:?}", result);
}

pub fn main() {
    test1();
    test2();
}
