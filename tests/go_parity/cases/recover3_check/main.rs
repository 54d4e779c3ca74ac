// Case recover3_check: port of /usr/share/go-1.19/test/recover3.go: check(name, f, err)
// runs f under a deferred recover and checks the run-time error. Go's nil-pointer and
// type-assertion checks have no safe-Rust counterpart; the substrings are ones both
// languages' messages contain. Prints each check's outcome instead of only "BUG".
use fndefer::{defer, recover, with_defer};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};

static DIDBUG: AtomicBool = AtomicBool::new(false);

fn bug() {
    if DIDBUG.load(Ordering::SeqCst) {
        return;
    }
    println!("BUG");
    DIDBUG.store(true, Ordering::SeqCst);
}

#[with_defer]
fn check<F: FnOnce()>(name: &str, f: F, err: &str) {
    defer!(|| {
        let Some(v) = recover() else {
            bug();
            println!("{} did not panic", name);
            return;
        };
        let s = v.message().unwrap_or("");
        if !s.contains(err) {
            bug();
            println!("{} panicked with {} not {}", name, s, err);
            return;
        }
        println!("{} ok", name);
    });

    f();
}

pub fn main() {
    let x: i32 = black_box(0);
    let x64: i64 = black_box(0);

    check("int-div-zero", || println!("{}", 1 / x), "divide by zero");
    check(
        "int64-div-zero",
        || println!("{}", 1 / x64),
        "divide by zero",
    );

    let i: usize = black_box(99999);
    let sl: Vec<i32> = Vec::new();
    let p1 = Box::new([0i32; 10]);
    check("array-bounds", || println!("{}", p1[i]), "index out of");
    check("slice-bounds", || println!("{}", sl[i]), "index out of");
    check("no-panic", || println!("{}", p1[3]), "index out of");

    if DIDBUG.load(Ordering::SeqCst) {
        println!("recover3 found a bug");
    }
}
