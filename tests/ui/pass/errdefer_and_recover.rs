//! `errdefer!`, `|ret|`, `recover()` and `defer_scope!` compile cleanly.
#![deny(warnings)]

use fndefer::{defer, defer_scope, errdefer, recover, with_defer};

fn log(_: &str) {}
fn rollback(_: u32) {}

type Res<T> = Result<T, String>;

#[with_defer]
fn transfer(amount: u32) -> Res<u32> {
    errdefer!(rollback(amount));
    errdefer!(|e| e.push_str(" (rolled back)"));
    errdefer! {
        log("failed");
    }
    if amount == 0 {
        return Err("zero".into());
    }
    Ok(amount)
}

#[with_defer]
fn lookup(key: &str) -> Option<usize> {
    errdefer!(log("missing"));
    key.find('x')
}

#[with_defer]
fn safe_div(a: i32, b: i32) -> i32 {
    defer!(|ret| {
        if let Some(panic) = recover() {
            log(&panic.to_string());
            *ret = Some(0);
        }
    });
    a / b
}

#[with_defer]
fn quiet() {
    defer!(|| {
        let _ = recover();
    });
    panic!("swallowed");
}

fn main() {
    let _ = transfer(1);
    let _ = lookup("x");
    assert_eq!(safe_div(1, 0), 0);
    quiet();
    let job = defer_scope!(move || {
        defer!(log("job done"));
        1
    });
    assert_eq!(job(), 1);
    let looped = defer_scope!(allow(loop); || {
        for _ in 0..2 {
            defer!(log("iteration"));
        }
    });
    looped();
}
