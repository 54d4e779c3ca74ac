// Case named_result: deferred closures read and modify named results after `return`.
// Idiom (Go blog "Defer, Panic, and Recover", rule 3: `func c() (i int) { defer func() { i++ }(); return 1 }`);
// recover.go try/try1 (closures can set output arguments).
use fndefer::{defer, with_defer};

#[with_defer]
fn double() -> i32 {
    defer!(|ret| if let Some(x) = ret {
        *x *= 2
    });
    3
}

#[with_defer]
fn c() -> i32 {
    defer!(|ret| if let Some(i) = ret {
        *i += 1
    });
    1
}

#[with_defer]
fn order() -> String {
    defer!(|ret| if let Some(s) = ret {
        s.push_str(" first-registered")
    });
    defer!(|ret| if let Some(s) = ret {
        s.push_str(" second-registered")
    });
    "result:".to_string()
}

#[with_defer]
fn branches(n: i32) -> i32 {
    defer!(|ret| {
        if let Some(r) = ret {
            if *r < 0 {
                *r = 0;
            }
        }
    });
    defer!(|ret| if let Some(r) = ret {
        *r += 100
    });
    if n > 10 {
        return -500;
    }
    if n > 5 {
        return n * 2;
    }
    -n
}

#[with_defer]
fn observe() -> i32 {
    defer!(|ret| println!("deferred sees x = {}", ret.unwrap()));
    let x = 5;
    x + 1
}

pub fn main() {
    println!("double: {}", double());
    println!("c: {}", c());
    println!("order: {}", order());
    for n in [20, 7, 3] {
        println!("branches {} = {}", n, branches(n));
    }
    println!("observe: {}", observe());
}
