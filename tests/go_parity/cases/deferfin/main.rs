// Case deferfin: port of /usr/share/go-1.19/test/deferfin.go: defers do not keep alive
// what the deferred call captured. Go checks that finalizers run after GC; Rust has no
// GC or finalizers, so the finalizer is a Drop impl that counts down, and the goroutines are
// threads (defer_scope! closures). Both sides print the count of values never finalized.
use fndefer::{defer, defer_scope};
use std::sync::atomic::{AtomicI32, Ordering};
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

// new(string) with runtime.SetFinalizer: the finalizer is Drop.
struct Finalized {
    s: String,
    count: Arc<AtomicI32>,
}

impl Drop for Finalized {
    fn drop(&mut self) {
        self.count.fetch_add(-1, Ordering::SeqCst);
    }
}

pub fn main() {
    let n = 10;
    let count = Arc::new(AtomicI32::new(n));
    let wg = Arc::new(WaitGroup::default());
    wg.add(n);
    for _i in 0..n {
        let (wg, count) = (wg.clone(), count.clone());
        std::thread::spawn(defer_scope!(move || {
            defer!(wg.done());
            let v = Arc::new(Finalized {
                s: String::new(),
                count,
            });
            let f = move || {
                if v.s != "" {
                    panic!("oops");
                }
            };
            defer!(f());
        }));
    }
    wg.wait();
    for _i in 0..3 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let count = count.load(Ordering::SeqCst);
    if count != 0 {
        println!("{} out of {} finalizer are not called", count, n);
        panic!("not all finalizers are called");
    }
    println!("finalizers not called: {}", count);
}
