// Case recover_helper_nil: recover stops a panic only when called directly by the deferred
// function; from a helper called by it (or deeper) it returns nil; a second recover in the
// same deferred function returns nil. A reusable handler therefore takes the recovered value.
// recover.go test1, test1WithClosures, mustRecover/mustNotRecover/withoutRecover/doubleRecover.
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

fn double_recover() -> Option<Panic> {
    recover()
}

fn must_not_recover(place: &str) {
    let v = recover();
    println!("{} mustNotRecover: recover() = {}", place, go_val(v));
}

fn without_recover() {
    must_not_recover("withoutRecover"); // because it's a sub-call
}

fn without_recover_recursive(n: i32) {
    if n == 0 {
        without_recover_recursive(1);
    } else {
        let v = recover();
        println!("withoutRecoverRecursive: recover() = {}", go_val(v));
    }
}

fn handle(v: Option<Panic>) {
    println!("handle: got {}", go_val(v));
}

#[with_defer]
fn test1() {
    defer!(must_not_recover("test1 last")); // because mustRecover will squelch it
    defer!(|| {
        // mustRecover(1)
        println!("doubleRecover() = {}", go_val(double_recover()));
        let v = recover();
        println!("recover() = {}", go_val(v));
        println!("second recover() = {}", go_val(recover()));
    });
    // Go: a recover() in a sub-call of a deferred function is nil. fndefer's
    // deferred function calls are handlers whose recover() works at any depth
    // (`defer!(handle_crash())`), so the sub-call rule is spelled with a
    // closure, whose helpers see no panic (COVERAGE.md).
    defer!(|| without_recover()); // should be no-op, leaving for mustRecover to find
    defer!(|| without_recover_recursive(0)); // ditto
    std::panic::panic_any(1i32);
}

#[with_defer]
fn test1_with_closures() {
    defer!(|| {
        let v = recover();
        println!("closure 3: recover() = {}", go_val(v));
    });
    let x = 1;
    defer!(move || {
        must_not_recover("closure 2");
        let v = recover();
        println!("closure 2: recover() = {} want {}", go_val(v), x);
    });
    defer!(|| {
        must_not_recover("closure 1");
    });
    std::panic::panic_any(1i32);
}

#[with_defer]
fn handler_style() {
    defer!(|| handle(recover()));
    panic!("handled by a helper that takes the value");
}

pub fn main() {
    test1();
    test1_with_closures();
    handler_style();
    println!("main: recover() = {}", go_val(recover()));
}
