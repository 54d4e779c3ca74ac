// Case recover_go2: port of /usr/share/go-1.19/test/recover.go test1, test1WithClosures,
// test2, test3, test5, test8, test13 and test14 (recover.go's other tests are in recover_go;
// test4, the reflect variants, test15 and test16 cannot be expressed, see COVERAGE.md).
// The checks print what they see instead of calling runtime.Breakpoint.
// Go's `defer mustRecover(x)` (recover called by the deferred helper itself) is the fndefer
// idiom `defer!(|| must_recover(recover(), x))`: the deferred code recovers, the helper
// takes the value. Helpers that recover as a sub-call call fndefer::recover(): nil/None.
use fndefer::{Panic, defer, recover, with_defer};
use std::any::Any;
use std::panic::panic_any;
use std::sync::atomic::{AtomicU8, Ordering};

fn go_val(r: &Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

fn must_recover_body(v1: Option<Panic>, v2: Option<Panic>, v3: Option<Panic>, x: i32) {
    let v = v1;
    if v.is_some() {
        println!("spurious recover {}", go_val(&v));
        return;
    }
    let v = v2;
    let Some(p) = &v else {
        println!("missing recover {}", x);
        return;
    };
    if p.downcast_ref::<i32>() != Some(&x) {
        println!("wrong value {} {}", go_val(&v), x);
        return;
    }

    // the value should be gone now regardless
    let v = v3;
    if v.is_some() {
        println!("recover didn't recover");
        return;
    }
    println!("mustRecoverBody ok: {}", x);
}

fn double_recover() -> Option<Panic> {
    recover()
}

fn must_recover(v: Option<Panic>, x: i32) {
    must_recover_body(double_recover(), v, recover(), x);
}

fn must_not_recover_value(v: Option<Panic>) {
    if v.is_some() {
        println!("spurious recover {}", go_val(&v));
        return;
    }
    println!("mustNotRecover ok");
}

fn must_not_recover() {
    must_not_recover_value(recover());
}

fn without_recover() {
    must_not_recover(); // because it's a sub-call
}

fn without_recover_recursive(n: i32) {
    if n == 0 {
        without_recover_recursive(1);
    } else {
        let v = recover();
        if v.is_some() {
            println!("spurious recover (recursive) {}", go_val(&v));
            return;
        }
        println!("withoutRecoverRecursive ok");
    }
}

#[with_defer]
fn test1() {
    defer!(|| must_not_recover_value(recover())); // because mustRecover will squelch it
    defer!(|| must_recover(recover(), 1)); // because of panic below
    // Go: a recover() in a sub-call of a deferred function is nil. fndefer's
    // deferred function calls are handlers whose recover() works at any depth
    // (`defer!(handle_crash())`), so the sub-call rule is spelled with a
    // closure, whose helpers see no panic (COVERAGE.md).
    defer!(|| without_recover()); // should be no-op, leaving for mustRecover to find
    defer!(|| without_recover_recursive(0)); // ditto
    panic_any(1i32);
}

// Repeat test1 with closures instead of standard function.
// Interesting because recover bases its decision
// on the frame pointer of its caller, and a closure's
// frame pointer is in the middle of its actual arguments
// (after the hidden ones for the closed-over variables).
#[with_defer]
fn test1_with_closures() {
    defer!(|| {
        let v = recover();
        if v.is_some() {
            println!("spurious recover in closure");
            return;
        }
        println!("closure saw nothing");
    });
    let x = 1i32;
    defer!(move || {
        must_not_recover();
        let v = recover();
        let Some(p) = &v else {
            println!("missing recover {}", x);
            return;
        };
        if p.downcast_ref::<i32>() != Some(&x) {
            println!("wrong value {} {}", go_val(&v), x);
            return;
        }
        println!("closure recovered {}", go_val(&v));
    });
    defer!(|| {
        must_not_recover();
    });
    panic_any(1i32);
}

#[with_defer(allow(immediate_recover))]
fn test2() {
    // Recover only sees the panic argument
    // if it is called from a deferred call.
    // It does not see the panic when called from a call within a deferred call (too late)
    // nor does it see the panic when it *is* the deferred call (too early).
    defer!(|| must_recover(recover(), 2));
    defer!(recover()); // should be no-op
    panic_any(2i32);
}

#[with_defer]
fn test3() {
    defer!(|| must_not_recover_value(recover()));
    defer!(|| {
        let _ = recover(); // should squelch
    });
    panic_any(3i32);
}

// Check that closures can set output arguments.
// Run g().  If it panics, return x; else return deflt.
#[with_defer]
fn try_(g: fn(), deflt: Box<dyn Any + Send>) -> Box<dyn Any + Send> {
    defer!(|x| if let Some(v) = recover() {
        *x = Some(v.into_payload());
    });
    defer!(g());
    deflt
}

// Check that closures can set output arguments.
// Run g().  If it panics, return x; else return deflt.
#[with_defer]
fn try1(g: fn(), deflt: Box<dyn Any + Send>) -> Box<dyn Any + Send> {
    defer!(|x| if let Some(v) = recover() {
        *x = Some(v.into_payload());
    });
    defer!(g());
    let x = deflt;
    return x;
}

fn test5() {
    let mut v = *try_(|| panic_any(5i32), Box::new(55i32))
        .downcast::<i32>()
        .unwrap();
    if v != 5 {
        println!("wrong value {} {}", v, 5);
    }

    let mut s = *try_(|| {}, Box::new("hi")).downcast::<&str>().unwrap();
    if s != "hi" {
        println!("wrong value {} {}", s, "hi");
    }

    v = *try1(|| panic_any(5i32), Box::new(55i32))
        .downcast::<i32>()
        .unwrap();
    if v != 5 {
        println!("try1 wrong value {} {}", v, 5);
    }

    s = *try1(|| {}, Box::new("hi")).downcast::<&str>().unwrap();
    if s != "hi" {
        println!("try1 wrong value {} {}", s, "hi");
    }
    println!("test5: {} {}", v, s);
}

fn varargs(s: &mut Option<i32>, r: Option<Panic>, a: &[i32]) {
    *s = Some(0);
    for v in a {
        *s = Some(s.unwrap() + v);
    }
    if r.is_some() {
        *s = Some(s.unwrap() + 100);
    }
}

#[with_defer]
fn test8a() -> i32 {
    defer!(|r| varargs(r, recover(), &[1, 2, 3]));
    panic_any(0i32);
}

#[with_defer]
fn test8b() -> i32 {
    defer!(|r| varargs(r, recover(), &[4, 5, 6]));
    0
}

fn test8() {
    let (a, b) = (test8a(), test8b());
    if a != 106 || b != 15 {
        println!("wrong value");
    }
    println!("test8: {} {}", a, b);
}

trait I {
    fn m(&self, v: Option<Panic>);
}

// enormous receiver, so wrapper splits stack to call M
#[allow(dead_code)]
struct T5([u8; 8192]);

impl I for T5 {
    fn m(&self, v: Option<Panic>) {
        must_recover_body(double_recover(), v, recover(), 13);
    }
}

#[with_defer]
fn test13() {
    let i: Box<dyn I> = Box::new(T5([0; 8192]));
    defer!(|| i.m(recover()));
    panic_any(13i32);
}

// enormous receiver + enormous method frame, so wrapper splits stack to call M,
// and then M splits stack to allocate its frame.
// recover must look back two frames to find the panic.
#[allow(dead_code)]
struct T6([u8; 8192]);

static GLOBAL: AtomicU8 = AtomicU8::new(0);

impl I for T6 {
    fn m(&self, v: Option<Panic>) {
        let mut x = [0u8; 8192];
        x[0] = 1;
        x[1] = 2;
        for i in 0..x.len() {
            GLOBAL.fetch_add(x[i], Ordering::Relaxed);
        }
        must_recover_body(double_recover(), v, recover(), 14);
    }
}

#[with_defer]
fn test14() {
    let i: Box<dyn I> = Box::new(T6([0; 8192]));
    defer!(|| i.m(recover()));
    panic_any(14i32);
}

pub fn main() {
    test1();
    println!("test1 done");
    test1_with_closures();
    println!("test1WithClosures done");
    test2();
    println!("test2 done");
    test3();
    println!("test3 done");
    test5();
    test8();
    test13();
    test14();
    println!("global = {}", GLOBAL.load(Ordering::Relaxed));
    println!("done");
}
