// Case recover1_go: port of /usr/share/go-1.19/test/recover1.go test1-test4 (recover during
// recursive panics). A deferred func literal with its own defers becomes a named
// #[with_defer] fn in Rust. test5-test7 (`defer recover()`, recover itself as the deferred
// call) are left out: fndefer has no counterpart for deferring recover itself.
// The checks print what they see instead of calling runtime.Breakpoint.
// Go's `defer mustRecover(x)` (recover inside the deferred function) becomes
// `defer!(|| must_recover(recover(), recover(), x))`: the helper takes the first and the
// second recover() of the deferred code.
use fndefer::{Panic, defer, recover, with_defer};

fn go_val(r: &Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

fn must_recover(v: Option<Panic>, again: Option<Panic>, x: i32) {
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
    if again.is_some() {
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

#[with_defer]
fn test1inner() {
    defer!(|| must_recover(recover(), recover(), 2));
    std::panic::panic_any(2i32);
}

#[with_defer]
fn test1() {
    // Easy nested recursive panic.
    defer!(|| must_recover(recover(), recover(), 1));
    defer!(test1inner());
    std::panic::panic_any(1i32);
}

#[with_defer]
fn test2inner(v: Option<Panic>) {
    if v.as_ref().and_then(|p| p.downcast_ref::<i32>()) != Some(&2) {
        println!("wrong value {} 2", go_val(&v));
    }
    defer!(|| must_recover(recover(), recover(), 3));
    std::panic::panic_any(3i32);
}

#[with_defer]
fn test2() {
    // Sequential panic.
    defer!(|| if recover().is_some() {
        println!("spurious recover")
    });
    defer!(|| test2inner(recover()));
    std::panic::panic_any(2i32);
}

#[with_defer]
fn test3inner(_: Option<Panic>) {
    defer!(|| must_recover(recover(), recover(), 3));
    std::panic::panic_any(3i32);
}

#[with_defer]
fn test3() {
    // Sequential panic - like test2 but less picky.
    defer!(|| if recover().is_some() {
        println!("spurious recover")
    });
    defer!(|| test3inner(recover()));
    std::panic::panic_any(2i32);
}

#[with_defer]
fn test4() {
    // Single panic.
    defer!(|| if recover().is_some() {
        println!("spurious recover")
    });
    defer!(|| {
        let _ = recover();
    });
    std::panic::panic_any(4i32);
}

pub fn main() {
    test1();
    println!("test1 done");
    test2();
    println!("test2 done");
    test3();
    println!("test3 done");
    test4();
    println!("test4 done");
}
