// Case repanic: recover, then panic again (with the same value or a new one); the caller's
// deferred recover sees the new panic. Unwinding through several frames, each recovering
// and re-panicking until the right level handles it.
// runtime/defer_test.go TestDeferWithRepeatedRepanics (interpreter); idiom `panic(r)` after logging.
use fndefer::{defer, recover, with_defer};

#[with_defer]
fn inner() {
    defer!(|| {
        let r = recover().unwrap();
        println!("inner recovered: {}", r);
        panic!("re-panic: {}", r);
    });
    defer!(println!("inner deferred print runs first"));
    panic!("boom");
}

#[with_defer]
#[allow(unreachable_code)]
fn middle() {
    defer!(|| {
        if let Some(r) = recover() {
            println!("middle saw: {} - passing it on", r);
            r.resume();
        }
    });
    inner();
    println!("middle: not reached");
}

#[with_defer]
fn outer() -> String {
    defer!(|ret| {
        if let Some(r) = recover() {
            *ret = Some(format!("outer handled: {}", r));
        }
    });
    middle();
    "no panic".to_string()
}

#[with_defer]
fn interpreter(level: i32, maxlevel: i32, rec: i32) {
    defer!(|| {
        let Some(e) = recover() else {
            return;
        };
        if level != *e.downcast_ref::<i32>().unwrap() {
            println!("re-panicking at level {}", level);
            e.resume();
        }
        println!("recovered at level {}", level);
    });
    if level + 1 < maxlevel {
        interpreter(level + 1, maxlevel, rec);
    } else {
        println!("initiating panic {}", rec);
        std::panic::panic_any(rec);
    }
}

pub fn main() {
    println!("{}", outer());
    interpreter(0, 6, 2);
    interpreter(0, 5, 1);
    interpreter(0, 3, 0);
}
