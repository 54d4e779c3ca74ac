// Case recover1_go2: port of /usr/share/go-1.19/test/recover1.go test7 (test1-test4 are in
// recover1_go): `defer recover()` as the deferred call itself is a no-op, in Go and in
// fndefer (`defer!(recover())` calls recover at exit, outside any deferred code). test5 and
// test6 cannot be expressed: there Go's `defer recover()` inside a deferred func literal
// stops the outer panic, while fndefer's recover() only ever acts on its own function's
// panic (see COVERAGE.md). The checks print what they see instead of runtime.Breakpoint.
// Go's `defer mustRecover(x)` is the fndefer idiom `defer!(|| must_recover(recover(), x))`.
// The deferred func literal with defers of its own is the named fn `test7inner`.
use fndefer::{Panic, defer, recover, with_defer};
use std::panic::panic_any;

fn go_val(r: &Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

fn must_recover(v: Option<Panic>, x: i32) {
    must_not_recover(); // because it's not a defer call
    let Some(p) = &v else {
        println!("missing recover");
        return;
    };
    if p.downcast_ref::<i32>() != Some(&x) {
        println!("wrong value {} {}", go_val(&v), x);
        return;
    }

    // the value should be gone now regardless
    let v = recover();
    if v.is_some() {
        println!("recover didn't recover");
        return;
    }
    println!("mustRecover ok: {}", x);
}

fn must_not_recover() {
    let v = recover();
    if v.is_some() {
        println!("spurious recover {}", go_val(&v));
    }
}

#[with_defer(allow(immediate_recover))]
fn test7inner() {
    defer!(|| must_recover(recover(), 3));
    defer!(recover()); // now a no-op, unlike in test6.
    panic_any(3i32);
}

#[with_defer]
fn test7() {
    // Like test6, but swapped defer order.
    // The recover in "defer recover()" is now a no-op,
    // because it runs called from panic, not from the func,
    // and therefore cannot see the panic of 2.
    // (Alternately, it cannot see the panic of 2 because
    // there is an active panic of 3.  And it cannot see the
    // panic of 3 because it is at the wrong level (too high on the stack).)
    defer!(|| must_recover(recover(), 2));
    defer!(test7inner());
    panic_any(2i32);
}

pub fn main() {
    test7();
    println!("test7 done");
}
