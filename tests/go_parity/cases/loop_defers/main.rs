// Case loop_defers: a defer inside a loop queues one call per iteration; all run at function exit.
// Idiom (Go blog "Defer, Panic, and Recover": `for i := 0; i < 4; i++ { defer fmt.Print(i) }`).
use fndefer::{defer, with_defer};

#[with_defer(allow(loop))]
fn count() {
    defer!(println!());
    for i in 0..5 {
        defer!(print!("{}", i));
    }
    println!("loop done");
}

#[with_defer(allow(loop))]
fn countdown(mut n: i32) {
    defer!(println!("liftoff"));
    while n > 0 {
        defer!(println!("T-minus {}", n));
        n -= 1;
    }
    println!("n is now {}", n);
}

pub fn main() {
    count();
    countdown(3);
}
