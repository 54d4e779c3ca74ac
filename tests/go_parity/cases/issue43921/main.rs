// Case issue43921: runtime/defer_test.go TestIssue43921 (and TestIssue43920's first part):
// a panic inside a deferred function that recovers it itself must not disturb the outer
// panic, which the caller's deferred function then recovers. Func literals with their own
// defers are named functions here, as in the Rust port.
use fndefer::{Panic, defer, recover, with_defer};

fn expect(n: i32, err: Option<Panic>) {
    let have = err.as_ref().and_then(|p| p.downcast_ref::<i32>()).copied();
    if have != Some(n) {
        println!("have {:?}, want {}", have, n);
        return;
    }
    println!("expect {} ok", n);
}

#[with_defer]
fn panics_and_recovers4() {
    defer!(|| {
        expect(4, recover());
    });
    std::panic::panic_any(4i32);
}

#[with_defer(allow(loop))]
fn inner() {
    // Prevent open-coded defers
    loop {
        defer!(|| {});
        break;
    }

    defer!(panics_and_recovers4());
    std::panic::panic_any(1i32);
}

#[with_defer]
pub fn main() {
    defer!(|| {
        expect(1, recover());
        println!("done");
    });
    inner();
}
