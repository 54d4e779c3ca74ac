// Case callers_double_panic: port of TestCallersDoublePanic from Go 1.19
// src/runtime/callers_test.go (golang/go, go1.19.8; /usr/share/go-1.19/src/runtime/callers_test.go).
// The deferred function literal has a deferred literal of its own: the outer literal's
// recover() stops the test's panic(1), it then panics(2), and its own deferred literal's
// recover() stops that one, so the test returns normally.
// Adapted to run standalone: *testing.T is a struct whose Fatal prints; the
// runtime.Callers/testCallersEqual stack check (which needs the test binary's frame names)
// prints the recovered values instead; main runs the test and prints PASS or the panic that
// escapes.
// panic(1) and panic(2) are panic_any of an i32; fmt's printing of a recovered value is go_val.
use fndefer::{Panic, defer, defer_scope, recover, with_defer};
use std::panic::panic_any;

struct T {
    name: String,
}

impl T {
    fn fatal(&self, msg: &str) {
        println!("  {}: FATAL: {}", self.name, msg);
    }
}

fn go_val(r: &Option<Panic>) -> String {
    match r {
        None => "<nil>".to_string(),
        Some(p) => match p.downcast_ref::<i32>() {
            Some(n) => n.to_string(),
            None => p.to_string(),
        },
    }
}

#[with_defer]
#[allow(non_snake_case)]
fn TestCallersDoublePanic(t: &T) {
    defer!(defer_scope!(|| {
        defer!(|| {
            let r = recover();
            println!("  inner literal recovered {}", go_val(&r));
            if r.is_none() {
                t.fatal("did not panic");
            }
        });
        let r = recover();
        println!("  outer literal recovered {}", go_val(&r));
        if r.is_none() {
            t.fatal("did not panic");
        }
        panic_any(2);
    })());
    panic_any(1);
}

#[with_defer]
fn run(name: &str, test: fn(&T)) {
    defer!(|| {
        let r = recover();
        if r.is_some() {
            println!("{}: panic: {}", name, go_val(&r));
        }
    });
    println!("{}:", name);
    test(&T { name: name.to_string() });
    println!("{}: PASS", name);
}

pub fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    run("TestCallersDoublePanic", TestCallersDoublePanic);
}
