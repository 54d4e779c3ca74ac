// Case issue43920: runtime/defer_test.go TestIssue43920: deferred functions that panic
// (`defer panic(3)`, `defer panic(5)`) inside deferred functions, each recovered at its own
// level, while the outermost panic(1) stays pending until the last deferred function
// recovers it. Func literals with their own defers are named functions, as in the Rust port.
use fndefer::{Panic, defer, recover, with_defer};
use std::panic::panic_any;

fn expect(n: i32, err: Option<Panic>) {
    let have = err.as_ref().and_then(|p| p.downcast_ref::<i32>()).copied();
    if have != Some(n) {
        println!("have {:?}, want {}", have, n);
        return;
    }
    println!("expect {} ok", n);
}

fn step(steps: &mut i32, want: i32) {
    *steps += 1;
    if *steps != want {
        println!("have {}, want {}", steps, want);
        return;
    }
    println!("step {} ok", want);
}

#[with_defer]
fn d3() {
    defer!(|| {
        expect(5, recover());
    });
    defer!(panic_any(5i32));
    (|| {
        panic_any(4i32);
    })();
}

#[with_defer]
fn d2() {
    defer!(d3());
    defer!(|| {
        expect(3, recover());
    });
    defer!(panic_any(3i32));
}

#[with_defer]
fn d1(steps: &mut i32) {
    defer!(step(steps, 1));
    panic_any(1i32);
}

#[with_defer]
pub fn main() {
    let mut steps = 0;

    defer!(|| {
        expect(1, recover());
        println!("done");
    });
    defer!(d2());
    d1(&mut steps);
}
