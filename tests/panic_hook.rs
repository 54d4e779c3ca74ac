//! The panic hook runs once per `panic!`, not once per `#[with_defer]` frame
//! the panic unwinds through. Hooks are global, so this binary installs a
//! counting hook and runs its checks in one test.

use fndefer::{defer, recover, with_defer};
use std::panic::catch_unwind;
use std::sync::atomic::{AtomicUsize, Ordering};

static HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);

fn hook_calls() -> usize {
    HOOK_CALLS.swap(0, Ordering::SeqCst)
}

#[with_defer]
fn level3() -> i32 {
    defer!(std::hint::black_box(3));
    panic!("deep");
}

#[with_defer]
fn level2() -> i32 {
    defer!(std::hint::black_box(2));
    level3() + 1
}

#[with_defer]
fn level1() -> i32 {
    defer!(std::hint::black_box(1));
    defer!(std::hint::black_box(0));
    level2() + 1
}

fn panic_with(msg: &str) {
    panic!("{msg}");
}

#[with_defer]
fn replaced() {
    defer!(panic_with("second"));
    panic!("first");
}

#[with_defer]
fn outer_of_replaced() {
    defer!(std::hint::black_box(0));
    replaced();
}

#[with_defer]
fn recovers_and_resumes() {
    defer!(|| {
        if let Some(p) = recover() {
            p.resume();
        }
    });
    panic!("resumed");
}

#[with_defer]
fn recovers() {
    defer!(|| {
        let _ = recover();
    });
    level1();
}

#[with_defer(allow(loop))]
fn loop_frames(n: usize) {
    for i in 0..n {
        defer!(std::hint::black_box(i));
    }
    panic!("loop");
}

#[test]
fn hook_runs_once_per_panic() {
    std::panic::set_hook(Box::new(|_| {
        HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
    }));

    assert!(catch_unwind(level1).is_err());
    assert_eq!(hook_calls(), 1, "one panic! through three frames");

    assert!(catch_unwind(outer_of_replaced).is_err());
    assert_eq!(hook_calls(), 2, "a panic replaced by a deferred panic");

    assert!(catch_unwind(recovers_and_resumes).is_err());
    assert_eq!(hook_calls(), 1, "Panic::resume does not run the hook again");

    recovers();
    assert_eq!(
        hook_calls(),
        1,
        "recovered: the hook ran for the panic! only"
    );

    assert!(catch_unwind(|| loop_frames(20)).is_err());
    assert_eq!(hook_calls(), 1, "dynamic frame");

    let _ = std::panic::take_hook();
}
