// Case goroutine_closure: func literals with their own defers: `go func() { defer wg.Done() ... }()`
// and an immediately called `func() { defer ...; ... }()`, whose defers run when the
// literal returns, not when the enclosing function does. Rust: defer_scope!(move || { .. }).
// Idiom (sync.WaitGroup docs); runtime/defer_test.go TestIssue43921 (func literal with defers).
// Goroutines write to their own slot and are joined before printing, so the output is deterministic.
use fndefer::{defer, defer_scope, recover, with_defer};
use std::sync::{Arc, Condvar, Mutex};

// A minimal sync.WaitGroup.
#[derive(Default)]
struct WaitGroup {
    n: Mutex<i32>,
    zero: Condvar,
}

impl WaitGroup {
    fn add(&self, k: i32) {
        *self.n.lock().unwrap() += k;
    }
    fn done(&self) {
        let mut n = self.n.lock().unwrap();
        *n -= 1;
        if *n == 0 {
            self.zero.notify_all();
        }
    }
    fn wait(&self) {
        let mut n = self.n.lock().unwrap();
        while *n > 0 {
            n = self.zero.wait(n).unwrap();
        }
    }
}

#[with_defer]
pub fn main() {
    defer!(println!("main deferred"));
    (defer_scope!(move || {
        defer!(println!("literal deferred"));
        println!("literal body");
    }))();
    println!("after literal");

    let wg = Arc::new(WaitGroup::default());
    let results = Arc::new(Mutex::new(vec![String::new(); 4]));
    for i in 0..4 {
        wg.add(1);
        let (wg, results) = (wg.clone(), results.clone());
        std::thread::spawn(defer_scope!(move || {
            defer!(wg.done());
            defer!(|| {
                if let Some(r) = recover() {
                    results.lock().unwrap()[i] = format!("recovered: {}", r);
                }
            });
            if i == 2 {
                panic!("worker {} failed", i);
            }
            results.lock().unwrap()[i] = format!("result {}", i * 10);
        }));
    }
    wg.wait();
    for r in results.lock().unwrap().iter() {
        println!("{}", r);
    }
}
