// Case many_defers: 200000 defers queued in a loop all run, in reverse order, and sum
// correctly; a named result accumulates through loop defers.
// defer.go (loop defers) scaled up; runtime/defer_test.go TestIssue37688 (heap-allocated defers).
use fndefer::{defer, with_defer};
use std::sync::atomic::{AtomicI64, Ordering};

static SUM: AtomicI64 = AtomicI64::new(0);
static LAST: AtomicI64 = AtomicI64::new(-1);
static OUT_OF_ORDER: AtomicI64 = AtomicI64::new(0);

fn add(i: i64) {
    let last = LAST.load(Ordering::SeqCst);
    if last != -1 && i != last - 1 {
        OUT_OF_ORDER.fetch_add(1, Ordering::SeqCst);
    }
    LAST.store(i, Ordering::SeqCst);
    SUM.fetch_add(i, Ordering::SeqCst);
}

#[with_defer(allow(loop))]
fn many(n: i64) {
    for i in 0..n {
        defer!(add(i));
    }
}

fn add_to(t: &mut Option<i32>, i: i32) {
    if let Some(t) = t {
        *t += i;
    }
}

#[with_defer(allow(loop))]
fn total(n: i32) -> i32 {
    for i in 1..=n {
        defer!(|ret| add_to(ret, i));
    }
    0
}

pub fn main() {
    many(200000);
    println!(
        "sum: {} last: {} out of order: {}",
        SUM.load(Ordering::SeqCst),
        LAST.load(Ordering::SeqCst),
        OUT_OF_ORDER.load(Ordering::SeqCst)
    );
    println!("total(1000): {}", total(1000));
}
