// Case nested_outer_panics: nested calls where only the outer function panics: the inner
// functions' defers run when they return normally, the outer's defers run while panicking,
// and the caller's recover gets the value. runtime/defer_test.go TestOpenAndNonOpenDefers,
// TestNonOpenAndOpenDefers (an open-coded and a loop defer in the same panic).
use fndefer::{Panic, defer, recover, with_defer};

static GLOB: i32 = 3;

fn go_val(r: Option<Panic>) -> String {
    r.map_or("<nil>".to_string(), |p| p.to_string())
}

#[with_defer]
fn leaf(n: i32) -> i32 {
    defer!(println!("  leaf {} deferred", n));
    n * 2
}

#[with_defer]
fn test_open(arg: i32) {
    let n = 4;
    defer!(move || {
        println!("  testOpen deferred {} recover: {}", n, go_val(recover()));
    });
    if arg > 2 {
        panic!("testOpenDefer");
    }
}

#[with_defer(allow(loop))]
fn outer() {
    loop {
        // Non-open defer because in a loop
        let n = 3;
        defer!(move || {
            println!("  outer loop deferred {} recover: {}", n, go_val(recover()));
        });
        if GLOB > 2 {
            break;
        }
    }
    defer!(println!("  outer deferred, leaf(2) = {}", leaf(2)));
    test_open(47);
    println!("  outer after testOpen, leaf(1) = {}", leaf(1));
    panic!("testNonOpenDefer");
}

pub fn main() {
    println!("calling outer");
    outer();
    println!("outer returned normally");
}
