// Case aborted_panic: a panic inside a deferred call replaces the current panic; the
// remaining deferred calls still run and recover sees the newest panic; once recovered,
// later deferred calls see nil.
// runtime/defer_test.go TestAbortedPanic; recover1.go test2/test3 (sequential panic).
use fndefer::{Panic, defer, recover, with_defer};

// fmt.Println of a recovered value: a string's text, an int's digits, or <nil>.
fn go_val(r: Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

#[with_defer]
fn aborted_panic() {
    defer!(|| {
        let r = recover();
        println!("last deferred: recover() = {}", go_val(r));
    });
    defer!(|| {
        let r = recover();
        println!("second deferred: recover() = {}", go_val(r));
    });
    defer!(|| {
        println!("first deferred: panicking with panic2");
        panic!("panic2");
    });
    panic!("panic1");
}

#[with_defer]
fn sequential() {
    defer!(|| {
        println!("sequential: final recover() = {}", go_val(recover()));
    });
    defer!(|| {
        let v = recover();
        println!("sequential: recovered {} then panic(3)", go_val(v));
        std::panic::panic_any(3i32);
    });
    defer!(println!("sequential: plain deferred print still runs"));
    std::panic::panic_any(2i32);
}

pub fn main() {
    aborted_panic();
    sequential();
    println!("main done");
}
